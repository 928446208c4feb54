using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// A provider defined only by a document written in the tests (no shipped definition): bearer tokens,
/// <c>GET /v2/people?page=n&amp;per_page=m</c> with <c>has_more</c>, an <c>updated_since</c> filter, a soft-delete flag
/// (<c>archived</c>) and a custom-field definitions endpoint (<c>/v2/fields</c>) for pre-steps. Records can be changed,
/// archived or removed between syncs; a page can be made to fail (500) to interrupt a sync; page requests are counted.
/// </summary>
public sealed class PagedRecordsDouble(int people = 95, int perPage = 10) : ProviderDouble
{
    public const string Token = "people-token";
    private readonly ConcurrentDictionary<int, int> _pageRequests = new();

    /// <summary>Person numbers served (1-based); remove one to make it vanish, as a hard delete.</summary>
    public SortedSet<int> People { get; } = [.. Enumerable.Range(1, people)];
    public Dictionary<int, string> Renamed { get; } = [];
    public HashSet<int> Archived { get; } = [];
    /// <summary>Every request for this page number and after answers 500, until cleared.</summary>
    public int? FailFromPage { get; set; }
    /// <summary>Every request for this page number and after gets no answer until the client goes away or this is
    /// cleared (a process killed while it waits mid-page).</summary>
    public int? BlockFromPage { get; set; }
    /// <summary>The updated time of every person (ISO 8601); set one later to make it "modified since".</summary>
    public Dictionary<int, DateTime> UpdatedAt { get; } = [];

    public int PageRequests(int page) => _pageRequests.GetValueOrDefault(page);
    public int TotalPageRequests => _pageRequests.Values.Sum();

    protected override void Map(WebApplication app)
    {
        app.MapGet("/v2/fields", (HttpContext c) => c.Request.Headers.Authorization != $"Bearer {Token}"
            ? Results.Json(new { error = "unauthorized" }, statusCode: 401)
            : Results.Json(new { fields = new[] { new { key = "cf_1", label = "Plan" }, new { key = "cf_2", label = "Region" } } }));
        app.MapGet("/v2/people", async (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization != $"Bearer {Token}") return Results.Json(new { error = "unauthorized" }, statusCode: 401);
            var page = int.TryParse(context.Request.Query["page"], out var p) ? p : 1;
            var size = int.TryParse(context.Request.Query["per_page"], out var s) ? Math.Min(s, perPage) : perPage;
            _pageRequests.AddOrUpdate(page, 1, (_, n) => n + 1);
            if (FailFromPage is { } fail && page >= fail) return Results.Json(new { error = "internal" }, statusCode: 500);
            while (BlockFromPage is { } block && page >= block && !context.RequestAborted.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(50, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client is gone.
                }
            }
            if (context.RequestAborted.IsCancellationRequested) return Results.Empty;
            IEnumerable<int> selected = People;
            if (DateTime.TryParse(context.Request.Query["updated_since"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var since))
                selected = selected.Where(i => Updated(i) > since);
            var all = selected.ToList();
            var items = all.Skip((page - 1) * size).Take(size).Select(i => (JsonNode)Person(i)).ToList();
            return Results.Json(new JsonObject
            {
                ["data"] = new JsonArray([.. items]),
                ["has_more"] = page * size < all.Count,
            });
        });
    }

    private DateTime Updated(int i) => UpdatedAt.TryGetValue(i, out var t) ? t : new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public JsonObject Person(int i) => new()
    {
        ["id"] = i,
        ["first"] = $"Ada{i}",
        ["last"] = Renamed.TryGetValue(i, out var name) ? name : $"Lovelace{i}",
        ["mail"] = $"ada{i}@people.example",
        ["custom"] = new JsonObject { ["cf_1"] = "pro", ["cf_2"] = "eu" },
        ["archived"] = Archived.Contains(i),
        ["updated"] = Updated(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    /// <summary>A definition of this double, as a tenant would upload it.</summary>
    public static string Definition(string key = "peopleapi", int pageSize = 10) => $$"""
        {
          "key": "{{key}}", "name": "People API", "category": "hris",
          "base_url": "https://api.people.example",
          "auth": { "kind": "bearer" },
          "resources": {
            "people": {
              "model": "crm.contact",
              "sync": { "every_minutes": 30, "incremental": true, "lookback_seconds": 60, "deleted_when": "archived = true" },
              "operations": { "list": {
                "method": "GET", "path": "/v2/people",
                "query": { "updated_since": "{modified_since}" },
                "records": "data",
                "pagination": { "strategy": "page_number", "page_param": { "query": "page" }, "page_size": {{pageSize}},
                  "page_size_param": { "query": "per_page" }, "stop_when": "body.has_more = false" },
                "response_mapping": "{ 'id': $string(id), 'first_name': first, 'last_name': last, 'email': mail, 'updated_at': updated }"
              } }
            }
          }
        }
        """;
}
