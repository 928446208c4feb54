using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>The shipped Pipedrive definition against its double: offset paging counted by records, the
/// <c>more_items_in_collection</c> stop condition, an API token in the query, and failures inside 200 bodies.</summary>
public sealed class PipedriveTests : IAsyncLifetime
{
    private readonly PipedriveDouble _double = new();
    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        await _double.StartAsync();
        _engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["pipedrive"] = _double });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _double.DisposeAsync();
    }

    private Engine.Definitions.LoadedProvider Pipedrive => _engine.Registry.Get("pipedrive");

    private Task<EngineConnection> ConnectAsync(string token = PipedriveDouble.ApiToken) =>
        _engine.ConnectAsync(ConnectionCredentials.Of(("api_key", token)), ("company_domain", "acme"));

    [Fact]
    public async Task ListAsync_FirstPage_MapsPersonsWithTheirPrimaryEmail()
    {
        var page = await _engine.Executor.ListAsync(Pipedrive, await ConnectAsync(), "persons").FirstAsync();

        Assert.Equal(100, page.Records.Count);
        var second = page.Records[1].Data;
        Assert.Equal("2", (string?)second["id"]);
        Assert.Equal("person2@example.com", (string?)second["email"]); // the primary one, not the first
        Assert.Equal("555-0001", (string?)second["phone"]);
        Assert.Equal("Org 1", (string?)second["company"]);
        Assert.Equal("2017-02-10T19:29:09Z", (string?)second["created_at"]);
        Assert.Null(page.Records[0].Data["email"]); // an empty primary address is no address
        Assert.Null(page.Records[0].Data["company"]);
        Assert.Equal((80, 79), (page.RateLimit.Limit, page.RateLimit.Remaining));
        Assert.Equal("/api/v1/persons?limit=100&start=0&api_token=pd-token", Assert.Single(_double.Requests).PathAndQuery);
    }

    [Fact]
    public async Task ListAllAsync_AllPages_StopsWhenNoMoreItems()
    {
        var (records, failures) = await _engine.Executor.ListAllAsync(Pipedrive, await ConnectAsync(), "persons");

        Assert.Empty(failures);
        Assert.Equal(Enumerable.Range(1, 230).Select(i => i.ToString()), records.Select(r => r.RemoteId));
        Assert.Equal(3, _double.Requests.Count);
        var events = await _engine.TelemetryAsync();
        Assert.All(events, e => Assert.Equal(("persons", "/persons"), (e.Resource, _engine.EndpointOf(e)))); // no api_token, no offsets
    }

    [Fact]
    public async Task ListAllAsync_SilentlyCappedPageSize_AdvancesByRecordsReturned()
    {
        _double.PageSizeCap = 40; // asked 100, served 40: "fewer than asked" is not the last page

        var (records, _) = await _engine.Executor.ListAllAsync(Pipedrive, await ConnectAsync(), "persons");

        Assert.Equal(Enumerable.Range(1, 230).Select(i => i.ToString()), records.Select(r => r.RemoteId));
        Assert.Contains(_double.Requests, r => r.PathAndQuery == "/api/v1/persons?limit=100&start=40&api_token=pd-token");
    }

    [Fact]
    public async Task ListAllAsync_ServerIgnoringTheOffset_EndsWithRepeatedPage()
    {
        _double.IgnoreStart = true;

        var error = await Assert.ThrowsAsync<PaginationException>(async () => await _engine.Executor.ListAllAsync(Pipedrive, await ConnectAsync(), "persons"));

        Assert.Equal(PaginationFailure.RepeatedPage, error.Failure);
        Assert.Equal(2, _double.Requests.Count);
    }

    [Fact]
    public async Task ListAllAsync_Organizations_MapsToCompanies()
    {
        var (records, failures) = await _engine.Executor.ListAllAsync(Pipedrive, await ConnectAsync(), "organizations");

        Assert.Empty(failures);
        Assert.Equal(12, records.Count);
        Assert.Equal("crm.company", records[0].Model);
        Assert.Equal(6, (double?)records[2].Data["custom_fields"]!["people_count"]);
        Assert.Null(records[0].Data["updated_at"]);
    }

    [Fact]
    public async Task ListAsync_FailureInsideA200Body_FailsByTheDefinitionsRule()
    {
        _double.Enqueue(Fault.Of(200, """{"success": false, "error": "Scope not allowed", "errorCode": 403}"""));

        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () => await _engine.Executor.ListAsync(Pipedrive, await ConnectAsync(), "persons").FirstAsync());

        Assert.Equal((ResponseAction.Fail, "$.responses[0]"), (error.Classification.Action, error.Classification.Rule));
        Assert.Equal(ErrorClass.Other, Assert.Single(await _engine.TelemetryAsync()).ErrorClass);
    }

    [Fact]
    public async Task ListAsync_InvalidToken_NeedsReauth()
    {
        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () => await _engine.Executor.ListAsync(Pipedrive, await ConnectAsync("wrong"), "persons").FirstAsync());

        Assert.Equal(ResponseAction.NeedsReauth, error.Classification.Action);
        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task ListAsync_RateLimited_WaitComesFromTheResetHeader()
    {
        _double.Enqueue(Fault.Of(429, """{"success": false, "error": "Request over limit"}""", ("x-ratelimit-limit", "80"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "7")));

        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () => await _engine.Executor.ListAsync(Pipedrive, await ConnectAsync(), "persons").FirstAsync());

        Assert.Equal(ResponseAction.RateLimited, error.Classification.Action);
        Assert.Equal(TimeSpan.FromSeconds(7), error.Classification.Wait);
    }

    [Fact]
    public async Task ListAsync_CompanyDomainBreakingItsPattern_IsRefusedBeforeAnyCall()
    {
        var connection = await _engine.ConnectAsync(ConnectionCredentials.Of(("api_key", PipedriveDouble.ApiToken)), ("company_domain", "evil.example/x?"));

        await Assert.ThrowsAsync<ConnectionConfigurationException>(async () => await _engine.Executor.ListAsync(Pipedrive, connection, "persons").FirstAsync());

        Assert.Empty(_double.Requests);
    }
}
