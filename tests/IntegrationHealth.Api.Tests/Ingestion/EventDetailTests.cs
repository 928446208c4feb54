using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Ingestion;

/// <summary>
/// Fields real engines send (issue 13, item 2; they were refused as unknown properties): a request's <c>endpoint</c>
/// route template and a failure's <c>errorMessage</c>, <c>field</c> and <c>recordId</c>, accepted within their bounds,
/// stored beside the narrow telemetry row and returned by <c>GET /v1/accounts/{id}/events</c>.
/// </summary>
public sealed class EventDetailTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    private const string Template = "/services/data/v59.0/sobjects/{type}/{id}";

    private HttpClient Client() => fixture.Host.Client(fixture.Key);

    private static JsonObject MappingFailure(string account = "acct-1") => TestEvents.Valid(account).With(e =>
    {
        e["kind"] = "mapping_failure";
        e["errorClass"] = "mapping";
        e.Remove("status");
        e["errorMessage"] = "Field 'Email' expected a string, got null\n  at contact.email";
        e["field"] = "Contact.Email";
        e["recordId"] = "003XX000004TmiQYAS";
    });

    [Fact]
    public async Task PostEvents_EndpointAndMappingFailureDetail_AreStoredOnceAndReadBack()
    {
        using var client = Client();
        var request = TestEvents.Valid("acct-2").With(e => e["endpoint"] = Template);
        var sameTemplate = TestEvents.Valid("acct-2").With(e => e["endpoint"] = Template);
        var failure = MappingFailure("acct-2");
        var templatesBefore = await fixture.Host.QueryAsync(db => db.EndpointTemplates.CountAsync());

        using var response = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(request, sameTemplate, failure, TestEvents.Valid("acct-2"))));

        await TestHttp.EnsureSuccessAsync(response);
        var stored = (await client.GetFromJsonAsync<JsonObject>("/v1/accounts/acct-2/events?limit=1000"))!["items"]!.AsArray().ToDictionary(e => e!["id"]!.GetValue<string>());
        Assert.Equal(Template, stored[request["id"]!.GetValue<string>()]!["endpoint"]!.GetValue<string>());
        Assert.Null(stored[request["id"]!.GetValue<string>()]!["errorMessage"]);
        var readFailure = stored[failure["id"]!.GetValue<string>()]!;
        Assert.Equal(failure["errorMessage"]!.GetValue<string>(), readFailure["errorMessage"]!.GetValue<string>());
        Assert.Equal("Contact.Email", readFailure["field"]!.GetValue<string>());
        Assert.Equal("003XX000004TmiQYAS", readFailure["recordId"]!.GetValue<string>());
        Assert.Null(readFailure["endpoint"]);
        // Interned once for the two events that name it; one detail row, for the one event that has detail.
        Assert.Equal(templatesBefore + 1, await fixture.Host.QueryAsync(db => db.EndpointTemplates.CountAsync()));
        var failureId = Guid.Parse(failure["id"]!.GetValue<string>());
        Assert.Equal(1, await fixture.Host.QueryAsync(db => db.TelemetryEventDetails.CountAsync(d => d.EventId == failureId)));
    }

    [Fact]
    public async Task PostEvents_ReplayWithOtherDetail_IsADuplicateAndKeepsTheStoredDetail()
    {
        using var client = Client();
        var failure = MappingFailure();
        await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(failure))));

        using var replay = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(
            failure.DeepClone().AsObject().With(e => e["errorMessage"] = "a different message"))));

        Assert.Equal(1, (await TestHttp.ReadJsonAsync(replay)).GetProperty("duplicates").GetInt32());
        var id = failure["id"]!.GetValue<string>();
        var read = (await client.GetFromJsonAsync<JsonObject>("/v1/accounts/acct-1/events?limit=1000"))!["items"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == id);
        Assert.Equal(failure["errorMessage"]!.GetValue<string>(), read!["errorMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostEvents_DetailsAtTheirLimits_AreAccepted()
    {
        using var client = Client();
        using var response = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(MappingFailure().With(e =>
        {
            e["endpoint"] = "/" + new string('e', 299);
            e["errorMessage"] = new string('m', 999) + "\u00e9";
            e["field"] = new string('f', 200);
            e["recordId"] = new string('r', 200);
        }))));

        await TestHttp.EnsureSuccessAsync(response);
    }

    public static TheoryData<string, string> InvalidDetails => new()
    {
        { "endpoint", "\"/" + new string('e', 300) + "\"" },
        { "endpoint", "\"\"" },
        { "endpoint", "\"/a\\u0000b\"" },
        { "endpoint", "\"/a\\nb\"" },
        { "endpoint", "42" },
        { "endpoint", "[\"/a\"]" },
        { "errorMessage", "\"" + new string('m', 1_001) + "\"" },
        { "errorMessage", "\"nul \\u0000 inside\"" },
        { "errorMessage", "\"escape \\u001b[31m\"" },
        { "errorMessage", "\"  \"" },
        { "errorMessage", "{\"text\":\"x\"}" },
        { "field", "\"" + new string('f', 201) + "\"" },
        { "field", "\"Contact.\\u0007Email\"" },
        { "field", "true" },
        { "recordId", "\"" + new string('r', 201) + "\"" },
        { "recordId", "\"id\\r\"" },
        { "recordId", "7" },
    };

    [Theory]
    [MemberData(nameof(InvalidDetails))]
    public async Task PostEvents_InvalidDetail_Answers400NamingTheFieldAndStoresNothing(string field, string json)
    {
        var before = await fixture.Host.CountEventsAsync();
        using var client = Client();
        var valid = TestEvents.Valid().ToJsonString();
        var broken = MappingFailure().With(e => e.Remove(field)).ToJsonString().TrimEnd('}') + $",\"{field}\":{json}}}";

        using var response = await client.PostAsync("/v1/events", TestHttp.Json("[" + valid + "," + broken + "]"));

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("index").GetInt32() == 1 && e.GetProperty("field").GetString() == field);
        Assert.Equal(before, await fixture.Host.CountEventsAsync());
    }
}
