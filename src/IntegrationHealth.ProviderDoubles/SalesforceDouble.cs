using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// Salesforce REST as its public API behaves: an org's instance URL (<c>/services/data/v59.0</c> under it), SOQL through
/// <c>/query</c> and <c>/queryAll</c> (<c>?q=</c>), batches of <see cref="BatchSize"/> records with <c>totalSize</c>,
/// <c>done</c> and a <c>nextRecordsUrl</c> relative to the instance (<c>/services/data/v59.0/query/01gXX-200</c>), records
/// with an <c>attributes</c> object, relationship fields nested (<c>Account.Name</c>), <c>IsDeleted</c> rows only from
/// <c>queryAll</c>, and its error bodies: a JSON array of <c>{message, errorCode}</c>, 401 <c>INVALID_SESSION_ID</c> for an
/// expired session, 403 <c>REQUEST_LIMIT_EXCEEDED</c> for the org's daily limit. Tokens from
/// <c>POST /services/oauth2/token</c> (no <c>expires_in</c>, as Salesforce sends none).
/// </summary>
public sealed class SalesforceDouble(int contacts = 450, int accounts = 40) : ProviderDouble
{
    public const string Version = "v59.0";
    public const int BatchSize = 200;
    public const string ClientId = "sf-client";
    public const string ClientSecret = "sf-secret";
    public string ValidToken { get; private set; } = "00Dxx!sf-token-0";
    public string RefreshToken { get; set; } = "sf-refresh";
    public HashSet<string> ExpiredTokens { get; } = [];
    /// <summary>Tokens of a connected app whose access was revoked: 401 with another body.</summary>
    public HashSet<string> RevokedTokens { get; } = [];
    /// <summary>Remote ids reported deleted (IsDeleted = true, by queryAll only).</summary>
    public HashSet<int> Deleted { get; } = [];
    /// <summary>Changes a contact's last name (a record changed at the provider).</summary>
    public Dictionary<int, string> Renamed { get; } = [];
    public int TokenRequests { get; private set; }

    /// <summary>Refresh tokens of other orgs' connections (one per connected account), each with tokens of its own.</summary>
    public OAuthGrants Grants { get; } = new("00Dxx!sf-grant-token-");
    private int _serial;

    public void ExpireToken() => ExpiredTokens.Add(ValidToken);

    protected override void Map(WebApplication app)
    {
        app.MapPost("/services/oauth2/token", async (HttpContext context) =>
        {
            TokenRequests++;
            var form = await context.Request.ReadFormAsync();
            if (form["grant_type"] == "refresh_token" && form["client_id"] == ClientId && Grants.Exchange(form["refresh_token"]) is { } granted)
                return Results.Json(new { access_token = granted, instance_url = Origin.ToString().TrimEnd('/'), token_type = "Bearer",
                    issued_at = "1700000000000", signature = "sig" });
            if (form["grant_type"] != "refresh_token" || form["refresh_token"] != RefreshToken || form["client_id"] != ClientId)
                return Results.Json(new { error = "invalid_grant", error_description = "expired access/refresh token" }, statusCode: 400);
            ValidToken = $"00Dxx!sf-token-{++_serial}";
            return Results.Json(new { access_token = ValidToken, instance_url = Origin.ToString().TrimEnd('/'), token_type = "Bearer",
                issued_at = "1700000000000", signature = "sig" });
        });
        app.MapGet($"/services/data/{Version}/query", (HttpContext c) => Query(c, all: false));
        app.MapGet($"/services/data/{Version}/queryAll", (HttpContext c) => Query(c, all: true));
        app.MapGet($"/services/data/{Version}/query/{{locator}}", (HttpContext c, string locator) => More(c, locator));
    }

    private IResult Query(HttpContext context, bool all)
    {
        if (Authorized(context) is { } denied) return denied;
        var soql = context.Request.Query["q"].ToString();
        if (soql.StartsWith("SELECT ", StringComparison.Ordinal) && soql.Contains(" FROM Account", StringComparison.Ordinal))
        {
            // Fewer accounts than a batch: one answer, done.
            return Results.Json(new JsonObject
            {
                ["totalSize"] = accounts, ["done"] = true,
                ["records"] = new JsonArray([.. Enumerable.Range(1, accounts).Select(i => (JsonNode)Account(i))]),
            });
        }
        if (!soql.StartsWith("SELECT ", StringComparison.Ordinal) || !soql.Contains(" FROM Contact", StringComparison.Ordinal))
            return Results.Json(new[] { new { message = "unexpected token: " + soql.Split(' ').FirstOrDefault(), errorCode = "MALFORMED_QUERY" } }, statusCode: 400);
        return Batch(all, 0);
    }

    private IResult More(HttpContext context, string locator)
    {
        if (Authorized(context) is { } denied) return denied;
        // Locators are "01g<all flag>-<offset>", opaque to the client.
        var parts = locator.Split('-');
        if (parts.Length != 2 || !parts[0].StartsWith("01g", StringComparison.Ordinal) || !int.TryParse(parts[1], out var offset))
            return Results.Json(new[] { new { message = "invalid query locator", errorCode = "INVALID_QUERY_LOCATOR" } }, statusCode: 400);
        return Batch(parts[0] == "01gA", RepeatCursor ? BatchSize : offset);
    }

    private IResult Batch(bool all, int offset)
    {
        var visible = Enumerable.Range(1, contacts).Where(i => all || !Deleted.Contains(i)).ToList();
        var size = Served(BatchSize, BatchSize);
        var page = visible.Skip(offset).Take(size).ToList();
        var next = offset + page.Count;
        var done = next >= visible.Count;
        var body = new JsonObject
        {
            ["totalSize"] = visible.Count,
            ["done"] = done,
            ["records"] = new JsonArray([.. page.Select(i => (JsonNode)Contact(i))]),
        };
        if (!done) body["nextRecordsUrl"] = $"/services/data/{Version}/query/{(all ? "01gA" : "01gQ")}-{next.ToString(CultureInfo.InvariantCulture)}";
        return Results.Json(body);
    }

    private IResult? Authorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "";
        if (RevokedTokens.Contains(token))
            return Results.Json(new[] { new { message = "This session is not valid for use with the REST API", errorCode = "INVALID_AUTH_HEADER" } }, statusCode: 401);
        if (Grants.Accepts(token) && !ExpiredTokens.Contains(token)) return null;
        if (token != ValidToken || ExpiredTokens.Contains(token))
            return Results.Json(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }, statusCode: 401);
        return null;
    }

    /// <summary>Salesforce has no 429: the org's request limit is a 403 REQUEST_LIMIT_EXCEEDED.</summary>
    public override Fault RateLimitedFault() =>
        Fault.Of(403, """[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""");

    /// <summary>Salesforce's 503 while an instance is unavailable.</summary>
    public override Fault ServerErrorFault() =>
        Fault.Of(503, """[{"message":"Server temporarily unavailable","errorCode":"SERVER_UNAVAILABLE"}]""");

    public string IdOf(int i) => "003" + i.ToString("D15", CultureInfo.InvariantCulture);

    public static JsonObject Account(int i) => new()
    {
        ["attributes"] = new JsonObject { ["type"] = "Account", ["url"] = $"/services/data/{Version}/sobjects/Account/001{i:D15}" },
        ["Id"] = "001" + i.ToString("D15", CultureInfo.InvariantCulture),
        ["Name"] = $"Account {i}",
        ["Website"] = i % 3 == 0 ? null : $"https://www.account{i}.example/home",
        ["Industry"] = i % 2 == 0 ? "Technology" : "Manufacturing",
        ["Phone"] = $"(415) 555-{i:0000}",
        ["NumberOfEmployees"] = i % 4 == 0 ? null : 10 * i,
        ["CreatedDate"] = "2023-03-04T05:06:07.000+0000",
        ["LastModifiedDate"] = "2024-06-01T00:00:00.000+0000",
        ["IsDeleted"] = false,
    };

    public JsonObject Contact(int i) => new()
    {
        ["attributes"] = new JsonObject { ["type"] = "Contact", ["url"] = $"/services/data/{Version}/sobjects/Contact/{IdOf(i)}" },
        ["Id"] = IdOf(i),
        ["FirstName"] = $"First{i}",
        ["LastName"] = Renamed.TryGetValue(i, out var name) ? name : $"Last{i}",
        ["Email"] = $"contact{i}@example.com",
        ["Phone"] = i % 4 == 0 ? null : $"(415) 555-{i:0000}",
        ["Account"] = i % 5 == 0 ? null : new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Account" }, ["Name"] = $"Account {i % 9}" },
        ["CreatedDate"] = "2024-01-02T03:04:05.000+0000",
        ["LastModifiedDate"] = "2024-06-01T00:00:00.000+0000",
        ["IsDeleted"] = Deleted.Contains(i),
    };
}
