using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Gaps;

/// <summary>
/// A people directory no definition ships, for the query-mapping, error-mapping and post-step tests: <c>GET
/// /v1/people</c> filtered by its own <c>email</c> and <c>updated_after</c> query parameters and paged by <c>page</c>;
/// <c>POST /v1/people/search</c> filtered by a nested body field; tags per id (<c>/v1/tags?ids=</c>) and field
/// definitions (<c>/v1/fields</c>) for steps; errors as <c>{"error": {"message", "code"}}</c>.
/// </summary>
public sealed class DirectoryDouble(int people = 25) : ProviderDouble
{
    public const string ApiKey = "dir-key";
    /// <summary>A key the directory revoked: 401 with <c>E_REVOKED</c> (an unknown key is 401 <c>E_AUTH</c>).</summary>
    public const string RevokedKey = "dir-revoked";
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>When person <c>u-i</c> was last updated: day i of 2026.</summary>
    public static DateTime UpdatedAt(int i) => Epoch.AddDays(i);

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers["X-Api-Key"] == RevokedKey)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(new { error = new { message = "This API key was revoked.", code = "E_REVOKED" } });
                return;
            }
            if (context.Request.Headers["X-Api-Key"] != ApiKey)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(new { error = new { message = "Unknown API key.", code = "E_AUTH" } });
                return;
            }
            await next(context);
        });

        app.MapGet("/v1/people", (HttpContext context) =>
        {
            var query = context.Request.Query;
            DateTime? after = null;
            if (query.TryGetValue("updated_after", out var text))
            {
                if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                    return Error(400, $"updated_after '{text}' is not a date.", "E_BAD_DATE");
                after = parsed;
            }
            var page = int.TryParse(query["page"], out var p) ? p : 1;
            var matching = Enumerable.Range(0, people)
                .Where(i => !query.ContainsKey("email") || Email(i) == query["email"])
                .Where(i => after is null || UpdatedAt(i) > after)
                .ToList();
            var slice = matching.Skip((page - 1) * 10).Take(10).ToList();
            return Results.Json(new JsonObject
            {
                ["data"] = new JsonArray([.. slice.Select(i => (JsonNode)Person(i))]),
                ["next_page"] = page * 10 < matching.Count ? page + 1 : null,
            });
        });

        app.MapPost("/v1/people/search", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!;
            // The fixed parts of the body must still be there beside the mapped filter.
            if ((string?)body["kind"] != "person" || (bool?)body["where"]?["active"] != true)
                return Error(400, "kind and where.active are required.", "E_SEARCH");
            var email = (string?)body["where"]?["contact"]?["email"];
            var matching = Enumerable.Range(0, people).Where(i => email is null || Email(i) == email);
            return Results.Json(new JsonObject { ["data"] = new JsonArray([.. matching.Select(i => (JsonNode)Person(i))]) });
        });

        app.MapGet("/v1/people/{id}", (string id) =>
        {
            var i = id.StartsWith("u-", StringComparison.Ordinal) && int.TryParse(id[2..], out var n) && n < people ? n : -1;
            return i < 0 ? Error(404, $"No person {id}.", "E_NOT_FOUND") : Results.Json(Person(i));
        });

        app.MapGet("/v1/tags", (HttpContext context) =>
        {
            var ids = context.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
            var tags = new JsonObject();
            foreach (var id in ids) tags[id] = new JsonArray(int.Parse(id[2..], CultureInfo.InvariantCulture) % 3 == 0 ? "vip" : "regular");
            return Results.Json(new JsonObject { ["tags"] = tags });
        });

        app.MapGet("/v1/fields", () => Results.Json(new { fields = new[] { new { key = "tier", label = "Tier" } } }));
    }

    public static string Email(int i) => $"u{i}@example.com";

    private static JsonObject Person(int i) => new()
    {
        ["id"] = $"u-{i}",
        ["email"] = Email(i),
        ["given"] = "Given",
        ["family"] = $"Family{i}",
        ["updated"] = UpdatedAt(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    private static IResult Error(int status, string message, string code) =>
        Results.Json(new { error = new { message, code } }, statusCode: status);
}
