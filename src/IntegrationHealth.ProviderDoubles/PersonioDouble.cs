using System.Collections.Concurrent;

namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// Personio's API v2 as its conventions go: <c>POST /v2/auth/token</c> (client credentials grant, credentials in the
/// form body, a scope per resource), <c>GET /v2/persons</c> with <c>limit</c> (capped at 50), records in <c>_data</c>,
/// the next page as an absolute link at <c>_meta.links.next.href</c> with a <c>cursor</c>, custom attributes as a list
/// of id/value pairs, a 401 error body for a token it did not issue, and x-ratelimit headers.
/// </summary>
public sealed class PersonioDouble : ProviderDouble
{
    public const string ClientId = "papi-client-0e1f";
    public const string ClientSecret = "papi-secret-9a8b";
    public const int Users = 120;

    private readonly ConcurrentDictionary<string, bool> _issued = new();
    private int _tokens;

    /// <summary>Token requests answered 503 before the next one succeeds.</summary>
    public int TokenOutages;

    public int TokenRequests => _tokens;

    /// <summary>Personio's 429: its error list and the x-ratelimit headers.</summary>
    public override Fault RateLimitedFault() => Fault.Of(429,
        """{"personio_trace_id":"t-429","errors":[{"title":"Too Many Requests","detail":"Rate limit exceeded."}]}""",
        ("Retry-After", "2"), ("x-ratelimit-limit", "150"), ("x-ratelimit-remaining", "0"));

    protected override void Map(WebApplication app)
    {
        app.MapPost("/v2/auth/token", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _tokens);
            var form = await context.Request.ReadFormAsync();
            if (Interlocked.Decrement(ref TokenOutages) >= 0)
                return Results.Json(new { error = "temporarily_unavailable" }, statusCode: 503);
            Interlocked.Exchange(ref TokenOutages, 0);
            if (form["grant_type"] != "client_credentials" || form["scope"] != "personio:persons:read")
                return Results.Json(new { error = "invalid_request", error_description = "grant_type and scope" }, statusCode: 400);
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            var token = "papi-" + Guid.NewGuid().ToString("N");
            _issued[token] = true;
            return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = 86400, scope = "personio:persons:read" });
        });
        app.MapGet("/v2/persons", (HttpContext context) =>
        {
            var bearer = context.Request.Headers.Authorization.ToString();
            if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal) || !_issued.ContainsKey(bearer[7..]))
                return Results.Json(new { personio_trace_id = "t-1", errors = new[] { new { title = "Unauthorized", detail = "The access token is invalid." } } }, statusCode: 401);
            var limit = int.TryParse(context.Request.Query["limit"], out var l) ? l : 10;
            var start = int.TryParse(context.Request.Query["cursor"], out var c) ? c : 0;
            var size = Served(limit, 50);
            var persons = Enumerable.Range(start, Math.Max(0, Math.Min(size, Users - start))).Select(i => new Dictionary<string, object?>
            {
                ["id"] = (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["first_name"] = $"Given{i}",
                ["last_name"] = $"Surname{i}",
                ["preferred_name"] = i == 1 ? "Gigi" : null,
                ["email"] = i == 0 ? null : $"user{i}@customer.example",
                ["status"] = i == 1 ? "INACTIVE" : i == 2 ? "ONBOARDING" : "ACTIVE",
                ["custom_attributes"] = new[] { new { id = "department", value = i % 2 == 0 ? "Sales" : "Engineering" } },
                ["created_at"] = "2021-02-15T08:30:00Z",
                ["updated_at"] = "2024-05-01T12:00:00Z",
            }).ToList();
            var links = new Dictionary<string, object?>
            {
                ["self"] = new { href = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}" },
            };
            if (start + persons.Count < Users)
                links["next"] = new { href = $"{context.Request.Scheme}://{context.Request.Host}/v2/persons?limit={limit}&cursor={start + persons.Count}" };
            context.Response.Headers["x-ratelimit-limit"] = "150";
            context.Response.Headers["x-ratelimit-remaining"] = "149";
            return Results.Json(new Dictionary<string, object?> { ["_data"] = persons, ["_meta"] = new { links } });
        });
    }
}
