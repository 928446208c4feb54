using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.ProviderDoubles;
using IntegrationHealth.Engine.Tests.Execution;

namespace IntegrationHealth.Engine.Tests.Auth;

/// <summary>The shipped client-credentials definition (HRIS persons as employees) against its double: an app
/// token from the token endpoint, next links, mapping; a token endpoint outage retried (nothing single-use
/// is consumed by a client credentials request).</summary>
public sealed class ClientCredentialsProviderTests : IAsyncLifetime
{
    private readonly PersonioDouble _double = new();
    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        await _double.StartAsync();
        _engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["personio"] = _double },
            new Dictionary<string, string?> { ["Engine:Credentials:TokenRetryBaseDelay"] = "00:00:00.010", ["Engine:Credentials:MaxTokenRetryDelay"] = "00:00:00.020" });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _double.DisposeAsync();
    }

    private Task<EngineConnection> ConnectAsync() => _engine.ConnectAsync(
        ConnectionCredentials.Of(("client_id", PersonioDouble.ClientId), ("client_secret", PersonioDouble.ClientSecret)));

    [Fact]
    public async Task ListAsync_FirstPage_GetsAnAppTokenAndMapsPersonsToEmployees()
    {
        var page = await _engine.Executor.ListAsync(_engine.Registry.Get("personio"), await ConnectAsync(), "persons").FirstAsync();

        Assert.Equal(50, page.Records.Count);
        Assert.Empty(page.MappingFailures);
        var first = page.Records[0].Data;
        Assert.Equal(("1000", "Given0", "Surname0", "Given0 Surname0", null, "active"),
            ((string?)first["id"], (string?)first["first_name"], (string?)first["last_name"], (string?)first["display_name"], (string?)first["work_email"], (string?)first["employment_status"]));
        var second = page.Records[1].Data;
        Assert.Equal(("Gigi", "user1@customer.example", "inactive", "Engineering", "2021-02-15T08:30:00Z"),
            ((string?)second["display_name"], (string?)second["work_email"], (string?)second["employment_status"], (string?)second["custom_fields"]!["department"], (string?)second["created_at"]));
        Assert.Equal("pending", (string?)page.Records[2].Data["employment_status"]);
        Assert.Equal(1, _double.TokenRequests);
        var persons = _double.Requests.Single(r => r.PathAndQuery.StartsWith("/v2/persons", StringComparison.Ordinal));
        Assert.StartsWith("Bearer papi-", persons.Authorization, StringComparison.Ordinal);
        Assert.Equal("/v2/persons?limit=50", persons.PathAndQuery);
    }

    [Fact]
    public async Task ListAllAsync_FollowsNextLinks_ReusesTheAppToken()
    {
        var (records, failures) = await _engine.Executor.ListAllAsync(_engine.Registry.Get("personio"), await ConnectAsync(), "persons");

        Assert.Empty(failures);
        Assert.Equal(PersonioDouble.Users, records.Count);
        Assert.Equal(Enumerable.Range(0, PersonioDouble.Users).Select(i => (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), records.Select(r => r.RemoteId));
        Assert.Equal(1, _double.TokenRequests);
        Assert.Equal(3, _double.Requests.Count(r => r.PathAndQuery.StartsWith("/v2/persons", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TokenEndpoint503_ClientCredentials_RetriedWithBackoff_ThenSucceeds()
    {
        _double.TokenOutages = 2;

        var page = await _engine.Executor.ListAsync(_engine.Registry.Get("personio"), await ConnectAsync(), "persons").FirstAsync();

        Assert.Equal(50, page.Records.Count);
        Assert.Equal(3, _double.TokenRequests);
        var events = await _engine.TelemetryAsync();
        Assert.Equal([Data.Entities.ErrorClass.Server5xx, Data.Entities.ErrorClass.Server5xx, Data.Entities.ErrorClass.None],
            events.Where(e => e.Kind == Data.Entities.TelemetryKind.TokenRefresh).Select(e => e.ErrorClass));
    }
}
