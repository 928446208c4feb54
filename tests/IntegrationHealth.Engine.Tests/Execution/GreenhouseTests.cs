using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>The shipped Greenhouse Harvest definition against its double: RFC 8288 Link header paging over top-level
/// arrays, HTTP Basic with an empty password.</summary>
public sealed class GreenhouseTests : IAsyncLifetime
{
    private readonly GreenhouseDouble _double = new();
    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        await _double.StartAsync();
        _engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["greenhouse"] = _double });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _double.DisposeAsync();
    }

    private Engine.Definitions.LoadedProvider Greenhouse => _engine.Registry.Get("greenhouse");

    private Task<EngineConnection> ConnectAsync() => _engine.ConnectAsync(ConnectionCredentials.Of(("api_key", GreenhouseDouble.ApiKey)));

    [Fact]
    public async Task ListAsync_FirstPage_MapsCandidates()
    {
        var page = await _engine.Executor.ListAsync(Greenhouse, await ConnectAsync(), "candidates").FirstAsync();

        Assert.Equal(100, page.Records.Count);
        var second = page.Records[1].Data;
        Assert.Equal("90001", (string?)second["id"]);
        Assert.Equal("cand1@mail.example", (string?)second["email"]);
        Assert.Null(page.Records[0].Data["email"]); // no addresses
        Assert.Equal(["70001", "80001"], second["application_ids"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("100000", (string?)second["custom_fields"]!["desired_salary"]);
        Assert.Equal((50, 49), (page.RateLimit.Limit, page.RateLimit.Remaining));
        Assert.Equal("/v1/candidates?per_page=100", Assert.Single(_double.Requests).PathAndQuery);
    }

    [Fact]
    public async Task ListAllAsync_FollowsLinkHeadersToTheEnd()
    {
        var (records, failures) = await _engine.Executor.ListAllAsync(Greenhouse, await ConnectAsync(), "candidates");

        Assert.Empty(failures);
        Assert.Equal(Enumerable.Range(90000, 120).Select(i => i.ToString()), records.Select(r => r.RemoteId));
        Assert.Equal(["/v1/candidates?per_page=100", "/v1/candidates?page=2&per_page=100"], _double.Requests.Select(r => r.PathAndQuery));
        Assert.All(await _engine.TelemetryAsync(), e => Assert.Equal(("candidates", "/candidates"), (e.Resource, _engine.EndpointOf(e))));
    }

    [Fact]
    public async Task ListAllAsync_SilentlyCappedPageSize_FollowsTheLinksItGets()
    {
        _double.PageSizeCap = 25;

        var (records, _) = await _engine.Executor.ListAllAsync(Greenhouse, await ConnectAsync(), "candidates");

        Assert.Equal(120, records.Select(r => r.RemoteId).Distinct().Count());
        Assert.Equal(5, _double.Requests.Count);
    }

    [Fact]
    public async Task ListAllAsync_RepeatingNextLink_EndsWithAnError()
    {
        _double.PageSizeCap = 25;
        _double.RepeatCursor = true;

        var error = await Assert.ThrowsAsync<PaginationException>(async () => await _engine.Executor.ListAllAsync(Greenhouse, await ConnectAsync(), "candidates"));

        Assert.Equal(PaginationFailure.RepeatedCursor, error.Failure);
        Assert.Equal(2, _double.Requests.Count);
    }
}
