using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// BambooHR's API as documented: <c>/api/gateway.php/{companyDomain}/v1/…</c>, HTTP Basic with the API key as user
/// and any password, the employee directory as one unpaged <c>{fields, employees}</c> document, single employees with
/// a <c>fields</c> list, and throttling answered 503 with <c>Retry-After</c>.
/// </summary>
public sealed class BambooHrDouble(int employees = 40) : ProviderDouble
{
    public const string Company = "acme";
    public const string ApiKey = "bamboo-key";

    protected override void Map(WebApplication app)
    {
        var api = app.MapGroup($"/api/gateway.php/{Company}/v1");
        api.MapGet("/employees/directory", (HttpContext c) => Authorized(c) ?? Results.Json(new JsonObject
        {
            ["fields"] = new JsonArray(new JsonObject { ["id"] = "displayName", ["type"] = "text", ["name"] = "Display name" }),
            ["employees"] = new JsonArray([.. Enumerable.Range(0, employees).Select(i => (JsonNode)DirectoryEntry(i))]),
        }));
        api.MapGet("/employees/{id}", (HttpContext c, string id) => Authorized(c) ?? (int.TryParse(id, out var n) && n >= 1 && n <= employees
            ? Results.Json(Employee(n - 1))
            : Results.NotFound()));
    }

    private static IResult? Authorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ApiKey}:x"));
        return header == expected ? null : Results.Text("", statusCode: 401);
    }

    /// <summary>BambooHR throttles with 503 and Retry-After.</summary>
    public override Fault RateLimitedFault() => new(503, "", new Dictionary<string, string> { ["Retry-After"] = "2" }, "text/plain");

    public static JsonObject DirectoryEntry(int i) => new()
    {
        ["id"] = (i + 1).ToString(CultureInfo.InvariantCulture),
        ["displayName"] = $"Employee {i + 1}",
        ["firstName"] = "Employee",
        ["lastName"] = (i + 1).ToString(CultureInfo.InvariantCulture),
        ["preferredName"] = null,
        ["jobTitle"] = i == 0 ? "CEO" : "Engineer",
        ["workPhone"] = i % 2 == 0 ? "801-555-0100" : "",
        ["mobilePhone"] = null,
        ["workEmail"] = $"employee{i + 1}@acme.example",
        ["department"] = i % 3 == 0 ? "Sales" : "Engineering",
        ["location"] = "Lindon, Utah",
        ["division"] = "North America",
        ["photoUploaded"] = false,
    };

    public static JsonObject Employee(int i) => new()
    {
        ["id"] = (i + 1).ToString(CultureInfo.InvariantCulture),
        ["firstName"] = "Employee",
        ["lastName"] = (i + 1).ToString(CultureInfo.InvariantCulture),
        ["displayName"] = $"Employee {i + 1}",
        ["jobTitle"] = "Engineer",
        ["workEmail"] = $"employee{i + 1}@acme.example",
        ["department"] = "Engineering",
        ["location"] = "Lindon, Utah",
        ["hireDate"] = i == 1 ? "0000-00-00" : "2021-04-05",
        ["status"] = i == 2 ? "Inactive" : "Active",
        ["supervisorEId"] = i == 0 ? null : "1",
    };
}
