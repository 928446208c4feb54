using System.Text.Json.Nodes;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Tests.Definitions;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>
/// A provider that exists only as a JSON document written here (no shipped definition, no code): client-credentials
/// OAuth, a POST search paged by a page number at a nested path of the request body, records at a nested path, a
/// stop condition on a <c>has_more</c> flag, and a mapping into HRIS employees, run by the same engine.
/// </summary>
public sealed class DocumentDefinedProviderTests : IAsyncLifetime
{
    private readonly ConventionsDouble _double = new(records: 45);
    private EngineHarness _engine = null!;

    public const string Document = """
        {
          "key": "peopledesk",
          "name": "PeopleDesk",
          "category": "hris",
          "connection_values": { "tenant": { "pattern": "[a-z]+" } },
          "base_url": "https://{tenant}.peopledesk.test",
          "auth": {
            "kind": "oauth2_client_credentials",
            "token_url": "https://auth.peopledesk.test/oauth/token",
            "scopes": ["people:read", "org:read"],
            "client_authentication": "basic_header"
          },
          "resources": {
            "employees": {
              "model": "hris.employee",
              "operations": {
                "list": {
                  "method": "POST",
                  "path": "/v2/people/search",
                  "body": { "filter": { "include_former": true }, "page": { "size": 20 } },
                  "records": "data.people",
                  "pagination": {
                    "strategy": "page_number",
                    "page_param": { "body_path": "page.number" },
                    "start": 0,
                    "page_size": 20,
                    "stop_when": "body.data.has_more = false"
                  },
                  "response_mapping": "{ 'id': person_id, 'first_name': name.given, 'last_name': name.family, 'display_name': name.given & ' ' & name.family, 'work_email': contact.email, 'job_title': position.title, 'department': position.team, 'start_date': position.started, 'manager_id': position.reports_to, 'employment_status': state = 'EMPLOYED' ? 'active' : 'inactive', 'custom_fields': { 'tenant': $connection.tenant } }"
                }
              }
            }
          }
        }
        """;

    public async Task InitializeAsync()
    {
        await _double.StartAsync();
        _engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["peopledesk"] = _double });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _double.DisposeAsync();
    }

    [Fact]
    public async Task ListAllAsync_ProviderFromATestDocument_ListsAndMapsEveryRecord()
    {
        var provider = TestDefinitions.Loader.Load(Document);
        var connection = await _engine.ConnectAsync(ConnectionCredentials.Of(("client_id", ConventionsDouble.ClientId), ("client_secret", ConventionsDouble.ClientSecret)),
            ("tenant", "acme"));

        var (records, failures) = await _engine.Executor.ListAllAsync(provider, connection, "employees");

        Assert.Empty(failures);
        Assert.Equal(Enumerable.Range(0, 45).Select(i => $"p-{i:000}"), records.Select(r => r.RemoteId));
        var second = records[1].Data;
        Assert.Equal(("Given Family1", "p1@corp.example", "Finance", "2022-09-01", "p-000", "active"),
            ((string?)second["display_name"], (string?)second["work_email"], (string?)second["department"], (string?)second["start_date"],
             (string?)second["manager_id"], (string?)second["employment_status"]));
        Assert.Equal("inactive", (string?)records[9].Data["employment_status"]);
        Assert.Equal("acme", (string?)second["custom_fields"]!["tenant"]);
        Assert.Equal(1, _double.TokenRequests); // one token for the three pages
        Assert.Equal(["POST /oauth/token", "POST /v2/people/search", "POST /v2/people/search", "POST /v2/people/search"],
            _double.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        var events = await _engine.TelemetryAsync();
        Assert.Equal([TelemetryKind.TokenRefresh, TelemetryKind.Request, TelemetryKind.Request, TelemetryKind.Request], events.Select(e => e.Kind));
        Assert.All(events.Skip(1), e => Assert.Equal(("employees", "/v2/people/search", HttpMethodCode.Post), (e.Resource, _engine.EndpointOf(e), e.Method)));
    }

    [Fact]
    public async Task ListAsync_SavedTokenStillFresh_IsReusedWithoutATokenRequest()
    {
        var provider = TestDefinitions.Loader.Load(Document);
        var now = DateTimeOffset.UtcNow;
        var connection = await _engine.ConnectAsync(ConnectionCredentials.Of(("client_id", ConventionsDouble.ClientId), ("client_secret", ConventionsDouble.ClientSecret))
            .WithToken("cc-token-saved", null, now, now.AddHours(1)), ("tenant", "acme"));

        await _engine.Executor.ListAsync(provider, connection, "employees").FirstAsync();

        Assert.Equal(0, _double.TokenRequests);
        Assert.Equal("Bearer cc-token-saved", Assert.Single(_double.Requests).Authorization);
    }

    [Fact]
    public async Task ListAsync_SavedTokenPastFiveSixthsOfItsLife_IsRenewedFirst()
    {
        var provider = TestDefinitions.Loader.Load(Document);
        var issued = DateTimeOffset.UtcNow.AddMinutes(-51); // a 1-hour token, 51 minutes old
        var connection = await _engine.ConnectAsync(ConnectionCredentials.Of(("client_id", ConventionsDouble.ClientId), ("client_secret", ConventionsDouble.ClientSecret))
            .WithToken("cc-token-old", null, issued, issued.AddHours(1)), ("tenant", "acme"));

        await _engine.Executor.ListAsync(provider, connection, "employees").FirstAsync();

        Assert.Equal(1, _double.TokenRequests);
        Assert.Equal("Bearer cc-token-1", _double.Requests.Last().Authorization);
    }

    [Fact]
    public async Task ListAsync_ClientSecretRejected_NeedsReauth()
    {
        var provider = TestDefinitions.Loader.Load(Document);
        var connection = await _engine.ConnectAsync(ConnectionCredentials.Of(("client_id", ConventionsDouble.ClientId), ("client_secret", "wrong")), ("tenant", "acme"));

        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () => await _engine.Executor.ListAsync(provider, connection, "employees").FirstAsync());

        Assert.Equal(Engine.Responses.ResponseAction.NeedsReauth, error.Classification.Action);
        Assert.Single(_double.Requests); // the token request only
    }

    [Fact]
    public async Task ListAsync_BodyCarriesTheDefinitionsFieldsAndThePageNumber()
    {
        var provider = TestDefinitions.Loader.Load(Document);
        var connection = await _engine.ConnectAsync(ConnectionCredentials.Of(("client_id", ConventionsDouble.ClientId), ("client_secret", ConventionsDouble.ClientSecret)),
            ("tenant", "acme"));

        var pages = new List<JsonObject>();
        await foreach (var page in _engine.Executor.ListAsync(provider, connection, "employees"))
            pages.Add((JsonObject)page.Records[0].Data["remote_data"]!);

        Assert.Equal(["p-000", "p-020", "p-040"], pages.Select(p => (string?)p["person_id"]));
    }
}
