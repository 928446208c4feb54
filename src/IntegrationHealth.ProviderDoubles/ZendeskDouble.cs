using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// Zendesk Support API v2 as documented: API tokens over HTTP Basic (<c>{email}/token:{api_token}</c>), cursor
/// pagination by <c>page[size]</c> (at most 100) and <c>page[after]</c> with <c>meta.has_more</c> and absolute
/// <c>links.next</c>, and the IETF <c>ratelimit-*</c> headers.
/// </summary>
public sealed class ZendeskDouble(int users = 130, int organizations = 12) : ProviderDouble
{
    public const string Email = "admin@acme.example";
    public const string ApiToken = "zd-token";

    protected override void Map(WebApplication app)
    {
        // Fewer organizations than a page: one answer without a next link.
        app.MapGet("/api/v2/organizations.json", (HttpContext context) =>
        {
            if (Unauthenticated(context) is { } denied) return denied;
            RateLimitHeaders(context);
            return Results.Json(new JsonObject
            {
                ["organizations"] = new JsonArray([.. Enumerable.Range(0, organizations).Select(i => (JsonNode)Organization(i))]),
                ["meta"] = new JsonObject { ["has_more"] = false, ["after_cursor"] = null, ["before_cursor"] = null },
                ["links"] = new JsonObject { ["next"] = null, ["prev"] = null },
            });
        });
        app.MapGet("/api/v2/users.json", (HttpContext context) =>
        {
            if (Unauthenticated(context) is { } denied) return denied;
            var size = Served(int.TryParse(context.Request.Query["page[size]"], out var s) ? s : 100, 100);
            var after = int.TryParse(context.Request.Query["page[after]"], out var a) ? a : 0;
            var count = Math.Max(0, Math.Min(size, users - after));
            var more = after + count < users;
            var cursor = (after + count).ToString(CultureInfo.InvariantCulture);
            RateLimitHeaders(context);
            return Results.Json(new JsonObject
            {
                ["users"] = new JsonArray([.. Enumerable.Range(after, count).Select(i => (JsonNode)User(i))]),
                ["meta"] = new JsonObject { ["has_more"] = more, ["after_cursor"] = more ? cursor : null, ["before_cursor"] = null },
                ["links"] = new JsonObject
                {
                    ["next"] = more ? $"{Origin}api/v2/users.json?page[after]={cursor}&page[size]={size}&role=end-user" : null,
                    ["prev"] = null,
                },
            });
        });
    }

    private static IResult? Unauthenticated(HttpContext context)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Email}/token:{ApiToken}"));
        return context.Request.Headers.Authorization.ToString() != expected
            ? Results.Json(new { error = "Couldn't authenticate you" }, statusCode: 401)
            : null;
    }

    private static void RateLimitHeaders(HttpContext context)
    {
        context.Response.Headers["ratelimit-limit"] = "700";
        context.Response.Headers["ratelimit-remaining"] = "699";
        context.Response.Headers["ratelimit-reset"] = "40";
    }

    public static JsonObject Organization(int i) => new()
    {
        ["id"] = 12 + i,
        ["name"] = $"Customer Org {i}",
        ["domain_names"] = i % 4 == 0 ? new JsonArray() : new JsonArray($"org{i}.example"),
        ["organization_fields"] = new JsonObject { ["tier"] = i % 2 == 0 ? "gold" : "silver" },
        ["created_at"] = "2023-01-01T10:00:00Z",
        ["updated_at"] = "2024-05-01T10:00:00Z",
    };

    /// <summary>Zendesk's 429: Retry-After and the IETF ratelimit headers at zero.</summary>
    public override Fault RateLimitedFault() => Fault.Of(429, """{"error":"APIRateLimitExceeded","description":"Number of allowed API requests per minute exceeded"}""",
        ("Retry-After", "3"), ("ratelimit-limit", "700"), ("ratelimit-remaining", "0"), ("ratelimit-reset", "3"));

    public static JsonObject User(int i) => new()
    {
        ["id"] = 360000000 + i,
        ["name"] = i % 10 == 0 ? "Cher" : $"Jane Doe{i}",
        ["email"] = $"user{i}@customer.example",
        ["phone"] = null,
        ["role"] = "end-user",
        ["organization_id"] = i % 2 == 0 ? 12 : null,
        ["user_fields"] = new JsonObject { ["plan"] = "pro" },
        ["created_at"] = "2023-07-01T10:00:00Z",
        ["updated_at"] = "2024-07-01T10:00:00Z",
    };
}
