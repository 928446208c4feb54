using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// Greenhouse Harvest v1 as documented: HTTP Basic with the API key as user and an empty password, lists as top-level
/// arrays paged by <c>page</c>/<c>per_page</c> (at most 500) with RFC 8288 <c>Link</c> headers (<c>next</c>,
/// <c>prev</c>, <c>last</c>), and <c>X-RateLimit-Limit</c>/<c>X-RateLimit-Remaining</c>.
/// </summary>
public sealed class GreenhouseDouble(int candidates = 120) : ProviderDouble
{
    public const string ApiKey = "gh-key";

    protected override void Map(WebApplication app)
    {
        app.MapGet("/v1/candidates", (HttpContext context) =>
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ApiKey}:"));
            if (context.Request.Headers.Authorization.ToString() != expected)
                return Results.Json(new { message = "Invalid Basic Auth credentials" }, statusCode: 401);
            var perPage = Served(int.TryParse(context.Request.Query["per_page"], out var p) ? p : 100, 500);
            var page = int.TryParse(context.Request.Query["page"], out var n) ? n : 1;
            var start = (page - 1) * perPage;
            var count = Math.Max(0, Math.Min(perPage, candidates - start));
            var last = Math.Max(1, (candidates + perPage - 1) / perPage);
            string Link(int target) => $"<{Origin}v1/candidates?page={target}&per_page={perPage}>";
            var links = new List<string>();
            if (page < last) links.Add($"{Link(RepeatCursor ? 2 : page + 1)}; rel=\"next\"");
            if (page > 1) links.Add($"{Link(page - 1)}; rel=\"prev\"");
            links.Add($"{Link(last)}; rel=\"last\"");
            context.Response.Headers["Link"] = string.Join(", ", links);
            context.Response.Headers["X-RateLimit-Limit"] = "50";
            context.Response.Headers["X-RateLimit-Remaining"] = "49";
            return Results.Json(new JsonArray([.. Enumerable.Range(start, count).Select(i => (JsonNode)Candidate(i))]));
        });
    }

    /// <summary>Greenhouse's 429: Retry-After with its X-RateLimit headers.</summary>
    public override Fault RateLimitedFault() => Fault.Of(429, """{"message":"Rate limit exceeded"}""",
        ("Retry-After", "2"), ("X-RateLimit-Limit", "50"), ("X-RateLimit-Remaining", "0"));

    public static JsonObject Candidate(int i) => new()
    {
        ["id"] = 90000 + i,
        ["first_name"] = "Candidate",
        ["last_name"] = (i + 1).ToString(CultureInfo.InvariantCulture),
        ["company"] = i % 2 == 0 ? "Previous Co" : null,
        ["title"] = "Engineer",
        ["created_at"] = "2024-01-01T12:00:00.000Z",
        ["updated_at"] = "2024-02-01T12:00:00.000Z",
        ["email_addresses"] = i % 3 == 0 ? new JsonArray() : new JsonArray(new JsonObject { ["value"] = $"cand{i}@mail.example", ["type"] = "personal" }),
        ["phone_numbers"] = new JsonArray(new JsonObject { ["value"] = "555-0101", ["type"] = "mobile" }),
        ["application_ids"] = new JsonArray(70000 + i, 80000 + i),
        ["custom_fields"] = new JsonObject { ["desired_salary"] = "100000", ["referrer"] = null },
    };
}
