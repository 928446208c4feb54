using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// A provider no definition ships, speaking conventions the shipped ones do not use: an OAuth 2.0 client-credentials
/// token endpoint, a POST search paged by a page number inside the JSON body, a cursor in response and request
/// headers, next links at a body path, and offset/limit inside the body. Definitions for it are written in the tests.
/// </summary>
public sealed class ConventionsDouble(int records = 45) : ProviderDouble
{
    public const string ClientId = "cc-client";
    public const string ClientSecret = "cc-secret";
    private int _tokens;

    public int TokenRequests => _tokens;
    /// <summary>The refresh token <c>/oauth/json-token</c> accepts now (rotated on every use).</summary>
    public string CurrentRefreshToken { get; private set; } = "rt-0";
    /// <summary>A next link to this origin on another address, which the engine must refuse to follow.</summary>
    public string? ForeignNextLink { get; set; }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/oauth/token", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _tokens);
            var form = await context.Request.ReadFormAsync();
            var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
            if (context.Request.Headers.Authorization != basic) return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            if (form["grant_type"] != "client_credentials") return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
            return Results.Json(new { access_token = $"cc-token-{_tokens}", token_type = "Bearer", expires_in = 3600, scope = form["scope"].ToString() });
        });

        // A token endpoint that takes JSON (some providers do), rotating the refresh token on every use.
        app.MapPost("/oauth/json-token", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _tokens);
            var body = (await JsonNode.ParseAsync(context.Request.Body))!;
            if ((string?)body["grant_type"] != "refresh_token" || (string?)body["refresh_token"] != CurrentRefreshToken
                || (string?)body["client_id"] != ClientId || (string?)body["client_secret"] != ClientSecret)
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            CurrentRefreshToken = $"rt-{_tokens}";
            return Results.Json(new { data = new { token = $"json-token-{_tokens}", refresh = CurrentRefreshToken, ttl_ms = 600_000 } });
        });

        app.MapPost("/v2/people/search", async (HttpContext context) =>
        {
            if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer cc-token-", StringComparison.Ordinal))
                return Results.Json(new { error = new { code = "unauthenticated" } }, statusCode: 401);
            var body = (await JsonNode.ParseAsync(context.Request.Body))!;
            var number = (int?)body["page"]?["number"] ?? 0;
            var size = Served((int?)body["page"]?["size"] ?? 10, 20);
            var start = number * size;
            var people = Enumerable.Range(start, Math.Max(0, Math.Min(size, records - start))).Select(i => (JsonNode)Person(i));
            return Results.Json(new JsonObject
            {
                ["data"] = new JsonObject { ["people"] = new JsonArray([.. people]), ["has_more"] = start + size < records },
                ["echo"] = body["filter"]?.DeepClone(),
            });
        });

        app.MapGet("/items/header-cursor", (HttpContext context) =>
        {
            var at = int.TryParse(context.Request.Headers["X-Cursor"], out var c) ? c : 0;
            var size = Served(10, 10);
            if (at + size < records) context.Response.Headers["X-Next-Cursor"] = (RepeatCursor ? size : at + size).ToString(CultureInfo.InvariantCulture);
            return Results.Json(Items(at, size));
        });

        app.MapGet("/items/next-url", (HttpContext context) =>
        {
            var page = int.TryParse(context.Request.Query["page"], out var p) ? p : 1;
            var start = (page - 1) * 10;
            string? next = start + 10 < records ? ForeignNextLink ?? $"/items/next-url?page={page + 1}" : null;
            return Results.Json(new JsonObject { ["items"] = Items(start, 10), ["links"] = new JsonObject { ["next"] = next } });
        });

        app.MapPost("/items/cursor-body", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!;
            var at = int.TryParse((string?)body["query"]?["page"]?["cursor"], out var c) ? c : 0;
            var next = at + 10 < records ? (at + 10).ToString(CultureInfo.InvariantCulture) : null;
            return Results.Json(new JsonObject { ["result"] = new JsonObject { ["rows"] = Items(at, 10), ["next_cursor"] = next }, ["kind"] = (string?)body["query"]?["kind"] });
        });

        app.MapGet("/items/slow", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
            return Results.Json(Items(0, 1));
        });

        app.MapPost("/items/offset-body", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!;
            var offset = (int?)body["paging"]?["offset"] ?? 0;
            var limit = Served((int?)body["paging"]?["limit"] ?? 10, 100);
            return Results.Json(new JsonObject { ["records"] = Items(offset, limit), ["offset"] = offset, ["total"] = records });
        });
    }

    private JsonArray Items(int start, int count) =>
        new([.. Enumerable.Range(start, Math.Max(0, Math.Min(count, records - start))).Select(i => (JsonNode)new JsonObject { ["id"] = $"item-{i}", ["email"] = $"i{i}@example.com" })]);

    public static JsonObject Person(int i) => new()
    {
        ["person_id"] = $"p-{i:000}",
        ["name"] = new JsonObject { ["given"] = "Given", ["family"] = $"Family{i}" },
        ["contact"] = new JsonObject { ["email"] = $"p{i}@corp.example" },
        ["position"] = new JsonObject { ["title"] = "Analyst", ["team"] = "Finance", ["started"] = "2022-09-01", ["reports_to"] = i == 0 ? null : "p-000" },
        ["state"] = i % 10 == 9 ? "LEFT" : "EMPLOYED",
    };
}
