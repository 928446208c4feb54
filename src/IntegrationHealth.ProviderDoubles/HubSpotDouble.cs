using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// HubSpot CRM v3 as its public API behaves: bearer tokens from <c>POST /oauth/v1/token</c> (refresh grant, client
/// credentials in the form; the authorization code grant after <c>GET /oauth/authorize</c>, which consents at once), objects under <c>/crm/v3/objects/{type}</c> paged by <c>paging.next.after</c> with
/// <c>limit</c> capped at 100, 401 bodies whose <c>category</c> tells expired from invalid tokens, and the
/// <c>X-HubSpot-RateLimit-*</c> headers.
/// </summary>
public sealed class HubSpotDouble(int contacts = 250, int companies = 30) : ProviderDouble
{
    public const string ClientId = "hs-client";
    public const string ClientSecret = "hs-secret";
    private int _remaining = 100;
    private int _tokenSerial;

    /// <summary>The access token the API accepts now.</summary>
    public string ValidToken { get; private set; } = "hs-token-0";
    public string RefreshToken { get; set; } = "hs-refresh";
    /// <summary>Tokens the API says have expired (rather than being invalid).</summary>
    public HashSet<string> ExpiredTokens { get; } = [];
    public int TokenRequests { get; private set; }

    /// <summary>Refresh tokens of other installs of the app (one per connected account), each with tokens of its own.</summary>
    public OAuthGrants Grants { get; } = new("hs-grant-token-");

    /// <summary>Marks the current token expired, as when its 30 minutes are up.</summary>
    public void ExpireToken() => ExpiredTokens.Add(ValidToken);

    protected override void Map(WebApplication app)
    {
        // The install screen, consented at once (as a user clicking "Connect app"): back to the redirect URI with a code.
        app.MapGet("/oauth/authorize", (HttpContext context) =>
        {
            var query = context.Request.Query;
            if (query["client_id"] != ClientId || query["response_type"] != "code"
                || !Uri.TryCreate(query["redirect_uri"], UriKind.Absolute, out var redirect))
                return Results.Text("Authorization failed because the client id or redirect URI is invalid.", statusCode: 400);
            return Results.Redirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(redirect.AbsoluteUri,
                new Dictionary<string, string?> { ["code"] = Grants.IssueCode(redirect.AbsoluteUri), ["state"] = query["state"].ToString() }));
        });
        app.MapPost("/oauth/v1/token", async (HttpContext context) =>
        {
            TokenRequests++;
            var form = await context.Request.ReadFormAsync();
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
                return Results.Json(new { status = "BAD_CLIENT_ID", message = "missing or unknown client id", error = "invalid_client" }, statusCode: 400);
            if (form["grant_type"] == "authorization_code")
            {
                var refresh = Grants.Redeem(form["code"], form["redirect_uri"]);
                return refresh is null
                    ? Results.Json(new { status = "BAD_AUTH_CODE", message = "missing or unknown auth code", error = "invalid_grant" }, statusCode: 400)
                    : Results.Json(new { access_token = Grants.Exchange(refresh), refresh_token = refresh, expires_in = 1800, token_type = "bearer" });
            }
            if (form["grant_type"] == "refresh_token" && Grants.Exchange(form["refresh_token"]) is { } granted)
                return Results.Json(new { access_token = granted, refresh_token = form["refresh_token"].ToString(), expires_in = 1800, token_type = "bearer" });
            if (form["grant_type"] != "refresh_token" || form["refresh_token"] != RefreshToken)
                return Results.Json(new { status = "BAD_REFRESH_TOKEN", message = "missing or unknown refresh token", error = "invalid_grant" }, statusCode: 400);
            ValidToken = $"hs-token-{++_tokenSerial}";
            return Results.Json(new { access_token = ValidToken, refresh_token = RefreshToken, expires_in = 1800, token_type = "bearer" });
        });
        app.MapGet("/crm/v3/objects/contacts", (HttpContext c) => List(c, contacts, Contact));
        app.MapGet("/crm/v3/objects/companies", (HttpContext c) => List(c, companies, Company));
        app.MapGet("/crm/v3/objects/contacts/{id}", (HttpContext c, string id) =>
            Authorized(c) ?? (Find(id) is { } found ? Results.Json(found) : NotFound()));
        // Writes, as the CRM v3 objects API takes them: {properties: {...}}; 201 on create, 204 on delete.
        app.MapPost("/crm/v3/objects/contacts", async (HttpContext c) =>
        {
            if (Authorized(c) is { } denied) return denied;
            var body = await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(c.Request.Body);
            if (body?["properties"] is not JsonObject properties || properties["email"] is null)
                return Results.Json(new { status = "error", message = "Property values were not valid", category = "VALIDATION_ERROR" }, statusCode: 400);
            var id = (100_000 + Interlocked.Increment(ref _created)).ToString(CultureInfo.InvariantCulture);
            var record = new JsonObject
            {
                ["id"] = id, ["properties"] = properties.DeepClone(),
                ["createdAt"] = "2025-01-01T00:00:00Z", ["updatedAt"] = "2025-01-01T00:00:00Z", ["archived"] = false,
            };
            Written[id] = record;
            RateLimitHeaders(c);
            return Results.Json(record, statusCode: 201);
        });
        app.MapPatch("/crm/v3/objects/contacts/{id}", async (HttpContext c, string id) =>
        {
            if (Authorized(c) is { } denied) return denied;
            if (Find(id) is not { } record) return NotFound();
            var body = await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(c.Request.Body);
            foreach (var (name, value) in body?["properties"] as JsonObject ?? []) record["properties"]![name] = value?.DeepClone();
            record["updatedAt"] = "2025-02-02T00:00:00Z";
            Written[id] = record;
            return Results.Json(record);
        });
        app.MapDelete("/crm/v3/objects/contacts/{id}", (HttpContext c, string id) =>
        {
            if (Authorized(c) is { } denied) return denied;
            if (Find(id) is null) return NotFound();
            Deleted[id] = true;
            return Results.NoContent();
        });
    }

    private int _created;

    /// <summary>Contacts created or changed through the API, by id.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, JsonObject> Written { get; } = new();

    /// <summary>Ids of contacts deleted through the API.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> Deleted { get; } = new();

    private JsonObject? Find(string id)
    {
        if (Deleted.ContainsKey(id)) return null;
        if (Written.TryGetValue(id, out var written)) return (JsonObject)written.DeepClone();
        return int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= contacts ? Contact(n - 1) : null;
    }

    private static IResult NotFound() =>
        Results.Json(new { status = "error", message = "Object not found.", category = "OBJECT_NOT_FOUND" }, statusCode: 404);

    private IResult List(HttpContext context, int total, Func<int, JsonObject> record)
    {
        if (Authorized(context) is { } denied) return denied;
        var limit = Served(int.TryParse(context.Request.Query["limit"], out var l) ? l : 10, 100);
        var after = int.TryParse(context.Request.Query["after"], out var a) ? a : 0;
        var results = new JsonArray([.. Enumerable.Range(after, Math.Max(0, Math.Min(limit, total - after))).Select(i => (JsonNode)record(i))]);
        var body = new JsonObject { ["results"] = results };
        var next = RepeatCursor ? limit : after + limit;
        if (after + limit < total)
        {
            var cursor = next.ToString(CultureInfo.InvariantCulture);
            body["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = cursor, ["link"] = $"{Origin}crm/v3/objects?after={cursor}" } };
        }
        RateLimitHeaders(context);
        return Results.Json(body);
    }

    private IResult? Authorized(HttpContext context)
    {
        var token = context.Request.Headers.Authorization.ToString() is { } h && h.StartsWith("Bearer ", StringComparison.Ordinal) ? h[7..] : "";
        if ((token == ValidToken || Grants.Accepts(token)) && !ExpiredTokens.Contains(token)) return null;
        return ExpiredTokens.Contains(token)
            ? Results.Json(new { status = "error", message = "The OAuth token used to make this call expired 2 minute(s) ago.", correlationId = "c-1", category = "EXPIRED_AUTHENTICATION" }, statusCode: 401)
            : Results.Json(new { status = "error", message = "Authentication credentials not found.", correlationId = "c-2", category = "INVALID_AUTHENTICATION" }, statusCode: 401);
    }

    /// <summary>HubSpot's secondly limit: 429 with its policy in the body and the limit headers at zero.</summary>
    public override Fault RateLimitedFault() => Fault.Of(429,
        """{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"c-429","policyName":"SECONDLY"}""",
        ("X-HubSpot-RateLimit-Max", "100"), ("X-HubSpot-RateLimit-Remaining", "0"), ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"));

    /// <summary>Restore the 100 calls every 10 seconds, as HubSpot's window does (off by default: the tests count calls
    /// down from 100 within one window).</summary>
    public bool RollingRateLimitWindow { get; set; }

    private long _windowStarted = Environment.TickCount64;

    private void RateLimitHeaders(HttpContext context)
    {
        if (RollingRateLimitWindow && Environment.TickCount64 - Interlocked.Read(ref _windowStarted) >= 10_000)
        {
            Interlocked.Exchange(ref _windowStarted, Environment.TickCount64);
            Interlocked.Exchange(ref _remaining, 100);
        }
        context.Response.Headers["X-HubSpot-RateLimit-Max"] = "100";
        context.Response.Headers["X-HubSpot-RateLimit-Remaining"] = Math.Max(0, Interlocked.Decrement(ref _remaining)).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000";
    }

    public static JsonObject Contact(int i) => new()
    {
        ["id"] = (i + 1).ToString(CultureInfo.InvariantCulture),
        ["properties"] = new JsonObject
        {
            ["firstname"] = $"First{i + 1}",
            ["lastname"] = $"Last{i + 1}",
            ["email"] = $"contact{i + 1}@example.com",
            ["phone"] = i % 3 == 0 ? null : $"+1 555 {i:0000}",
            ["company"] = $"Company {i % 7}",
            ["lifecyclestage"] = "lead",
            ["createdate"] = "2024-01-02T03:04:05.678Z",
            ["lastmodifieddate"] = "2024-06-01T00:00:00Z",
            ["hs_object_id"] = (i + 1).ToString(CultureInfo.InvariantCulture),
        },
        ["createdAt"] = "2024-01-02T03:04:05.678Z",
        ["updatedAt"] = "2024-06-01T00:00:00Z",
        ["archived"] = false,
    };

    public static JsonObject Company(int i) => new()
    {
        ["id"] = (1000 + i).ToString(CultureInfo.InvariantCulture),
        ["properties"] = new JsonObject
        {
            ["name"] = $"Company {i}",
            ["domain"] = $"company{i}.example",
            ["industry"] = "COMPUTER_SOFTWARE",
            ["phone"] = null,
            ["numberofemployees"] = i % 2 == 0 ? (50 * (i + 1)).ToString(CultureInfo.InvariantCulture) : null,
        },
        ["createdAt"] = "2023-05-06T07:08:09Z",
        ["updatedAt"] = "2024-02-03T04:05:06Z",
        ["archived"] = false,
    };
}
