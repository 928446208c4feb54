using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>The shipped BambooHR definition against its double: an API key over HTTP Basic, a connection value in the
/// base URL path, the unpaged directory, single employees, and throttling as 503 with Retry-After.</summary>
public sealed class BambooHrTests : IAsyncLifetime
{
    private readonly BambooHrDouble _double = new();
    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        await _double.StartAsync();
        _engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["bamboohr"] = _double });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _double.DisposeAsync();
    }

    private Engine.Definitions.LoadedProvider BambooHr => _engine.Registry.Get("bamboohr");

    private Task<EngineConnection> ConnectAsync(string key = BambooHrDouble.ApiKey) =>
        _engine.ConnectAsync(ConnectionCredentials.Of(("api_key", key)), ("company_domain", BambooHrDouble.Company));

    [Fact]
    public async Task ListAllAsync_Directory_MapsEmployeesInOneRequest()
    {
        var (records, failures) = await _engine.Executor.ListAllAsync(BambooHr, await ConnectAsync(), "employees");

        Assert.Empty(failures);
        Assert.Equal(40, records.Count);
        var first = records[0];
        Assert.Equal("hris.employee", first.Model);
        Assert.Equal(("1", "Employee", "CEO", "Sales", "active"), (first.RemoteId, (string?)first.Data["first_name"], (string?)first.Data["job_title"],
            (string?)first.Data["department"], (string?)first.Data["employment_status"]));
        Assert.Equal("801-555-0100", (string?)first.Data["phone"]);
        Assert.Null(records[1].Data["phone"]); // empty work phone, no mobile
        Assert.Equal("North America", (string?)first.Data["custom_fields"]!["division"]);
        var request = Assert.Single(_double.Requests);
        Assert.Equal("/api/gateway.php/acme/v1/employees/directory", request.PathAndQuery);
        Assert.StartsWith("Basic ", request.Authorization);
        Assert.Equal("application/json", request.Headers["Accept"]);
    }

    [Fact]
    public async Task GetAsync_Employee_MapsStatusHireDateAndManager()
    {
        var connection = await ConnectAsync();

        var ceo = await _engine.Executor.GetAsync(BambooHr, connection, "employees", "1");
        var noHireDate = await _engine.Executor.GetAsync(BambooHr, connection, "employees", "2");
        var inactive = await _engine.Executor.GetAsync(BambooHr, connection, "employees", "3");

        Assert.Equal(("2021-04-05", null), ((string?)ceo!.Data["start_date"], (string?)ceo.Data["manager_id"]));
        Assert.Null(noHireDate!.Data["start_date"]); // BambooHR's 0000-00-00 is no date
        Assert.Equal("1", (string?)noHireDate.Data["manager_id"]);
        Assert.Equal("inactive", (string?)inactive!.Data["employment_status"]);
        Assert.Contains("fields=firstName%2ClastName", _double.Requests.Last().PathAndQuery);
    }

    [Fact]
    public async Task ListAsync_Throttled503_RateLimitedInTheRequestPathAndRetriedInTheBackground()
    {
        var connection = await ConnectAsync();
        _double.Enqueue(Fault.Of(503, "", ("Retry-After", "3")));
        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () => await _engine.Executor.ListAsync(BambooHr, connection, "employees").FirstAsync());
        _double.Enqueue(Fault.Of(503, "", ("Retry-After", "0")));

        var page = await _engine.Executor.ListAsync(BambooHr, connection, "employees", new ListRequest { Context = CallContext.Background }).FirstAsync();

        Assert.Equal((ResponseAction.RateLimited, TimeSpan.FromSeconds(3)), (error.Classification.Action, error.Classification.Wait));
        Assert.Equal(40, page.Records.Count);
    }

    [Fact]
    public async Task ListAsync_Plain503WithoutRetryAfter_IsATransientFailure()
    {
        _double.Enqueue(Fault.Of(503));

        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () => await _engine.Executor.ListAsync(BambooHr, await ConnectAsync(), "employees").FirstAsync());

        Assert.Equal(ResponseAction.Retry, error.Classification.Action);
        Assert.Equal("default for 503", error.Classification.Rule);
    }

    [Fact]
    public async Task ListAsync_WrongKey_NeedsReauth()
    {
        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () => await _engine.Executor.ListAsync(BambooHr, await ConnectAsync("nope"), "employees").FirstAsync());

        Assert.Equal(ResponseAction.NeedsReauth, error.Classification.Action);
    }
}
