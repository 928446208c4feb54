using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// Pipedrive API v1 as documented: <c>api_token</c> in the query, <c>start</c>/<c>limit</c> paging (limit capped at
/// 500) with <c>additional_data.pagination.more_items_in_collection</c>, <c>{success, data}</c> envelopes (also for
/// errors), and the <c>x-ratelimit-*</c> headers.
/// </summary>
public sealed class PipedriveDouble(int persons = 230) : ProviderDouble
{
    public const string ApiToken = "pd-token";

    /// <summary>Ignore <c>start</c> and always serve the first page, as a broken deployment might.</summary>
    public bool IgnoreStart { get; set; }

    protected override void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/persons", (HttpContext c) => List(c, persons, Person));
        api.MapGet("/organizations", (HttpContext c) => List(c, 12, Organization));
        // One person and writes: {success, data} envelopes; 201 on create; delete answers {success, data: {id}}.
        api.MapGet("/persons/{id}", (HttpContext c, string id) =>
            Unauthorized(c) ?? (Find(id) is { } found ? Envelope(found) : PersonNotFound()));
        api.MapPost("/persons", async (HttpContext c) =>
        {
            if (Unauthorized(c) is { } denied) return denied;
            var body = await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(c.Request.Body);
            if (body?["name"] is not JsonValue name || ((string?)name)?.Length is null or 0)
                return Results.Json(new { success = false, error = "Name must be given.", errorCode = 400 }, statusCode: 400);
            var id = 90_000 + Interlocked.Increment(ref _created);
            var record = (JsonObject)body.DeepClone();
            record["id"] = id;
            record["add_time"] = "2025-01-01 00:00:00";
            record["update_time"] = "2025-01-01 00:00:00";
            Written[id.ToString(CultureInfo.InvariantCulture)] = record;
            return Envelope(record, 201);
        });
        api.MapPut("/persons/{id}", async (HttpContext c, string id) =>
        {
            if (Unauthorized(c) is { } denied) return denied;
            if (Find(id) is not { } record) return PersonNotFound();
            var body = await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(c.Request.Body);
            foreach (var (name, value) in body ?? []) record[name] = value?.DeepClone();
            record["update_time"] = "2025-02-02 00:00:00";
            Written[id] = record;
            return Envelope(record);
        });
        api.MapDelete("/persons/{id}", (HttpContext c, string id) =>
        {
            if (Unauthorized(c) is { } denied) return denied;
            if (Find(id) is null) return PersonNotFound();
            Deleted[id] = true;
            return Results.Json(new JsonObject { ["success"] = true, ["data"] = new JsonObject { ["id"] = int.Parse(id, CultureInfo.InvariantCulture) } });
        });
    }

    private int _created;

    /// <summary>Persons created or changed through the API, by id.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, JsonObject> Written { get; } = new();

    /// <summary>Ids of persons deleted through the API.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> Deleted { get; } = new();

    private JsonObject? Find(string id)
    {
        if (Deleted.ContainsKey(id)) return null;
        if (Written.TryGetValue(id, out var written)) return (JsonObject)written.DeepClone();
        return int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= persons ? Person(n - 1) : null;
    }

    private static IResult? Unauthorized(HttpContext context) => context.Request.Query["api_token"] != ApiToken
        ? Results.Json(new { success = false, error = "You need to be authorized to make this request.", errorCode = 401 }, statusCode: 401)
        : null;

    private static IResult PersonNotFound() => Results.Json(new { success = false, error = "Person not found", errorCode = 404 }, statusCode: 404);

    private static IResult Envelope(JsonObject record, int status = 200) =>
        Results.Json(new JsonObject { ["success"] = true, ["data"] = record }, statusCode: status);

    private IResult List(HttpContext context, int total, Func<int, JsonObject> record)
    {
        if (context.Request.Query["api_token"] != ApiToken)
            return Results.Json(new { success = false, error = "You need to be authorized to make this request.", errorCode = 401 }, statusCode: 401);
        var start = IgnoreStart ? 0 : int.TryParse(context.Request.Query["start"], out var s) ? s : 0;
        var limit = Served(int.TryParse(context.Request.Query["limit"], out var l) ? l : 100, 500);
        var count = Math.Max(0, Math.Min(limit, total - start));
        var more = start + count < total;
        var pagination = new JsonObject { ["start"] = start, ["limit"] = limit, ["more_items_in_collection"] = more };
        if (more) pagination["next_start"] = start + count;
        context.Response.Headers["x-ratelimit-limit"] = "80";
        context.Response.Headers["x-ratelimit-remaining"] = "79";
        context.Response.Headers["x-ratelimit-reset"] = "2";
        return Results.Json(new JsonObject
        {
            ["success"] = true,
            ["data"] = count == 0 ? null : new JsonArray([.. Enumerable.Range(start, count).Select(i => (JsonNode)record(i))]),
            ["additional_data"] = new JsonObject { ["pagination"] = pagination },
        });
    }

    /// <summary>Pipedrive's 429: its envelope and the x-ratelimit headers, reset in seconds.</summary>
    public override Fault RateLimitedFault() => Fault.Of(429, """{"success":false,"error":"Request over limit","errorCode":429}""",
        ("x-ratelimit-limit", "80"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "2"));

    public static JsonObject Person(int i) => new()
    {
        ["id"] = i + 1,
        ["name"] = $"Person {i + 1}",
        ["first_name"] = "Person",
        ["last_name"] = (i + 1).ToString(CultureInfo.InvariantCulture),
        ["email"] = new JsonArray(
            new JsonObject { ["label"] = "home", ["value"] = $"home{i + 1}@example.org", ["primary"] = false },
            new JsonObject { ["label"] = "work", ["value"] = i % 5 == 0 ? "" : $"person{i + 1}@example.com", ["primary"] = true }),
        ["phone"] = new JsonArray(new JsonObject { ["label"] = "work", ["value"] = $"555-{i:0000}", ["primary"] = true }),
        ["org_id"] = i % 4 == 0 ? null : new JsonObject { ["name"] = $"Org {i % 4}", ["value"] = i % 4 },
        ["add_time"] = "2017-02-10 19:29:09",
        ["update_time"] = "2024-03-04 05:06:07",
    };

    public static JsonObject Organization(int i) => new()
    {
        ["id"] = 500 + i,
        ["name"] = $"Org {i}",
        ["people_count"] = i * 3,
        ["address"] = i % 2 == 0 ? $"{i} Main St" : null,
        ["add_time"] = "2018-01-01 00:00:00",
        ["update_time"] = null,
    };
}
