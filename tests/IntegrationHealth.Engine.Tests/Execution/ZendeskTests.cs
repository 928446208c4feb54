using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>The shipped Zendesk definition against its double: next links at a body path until <c>has_more</c> is
/// false, API tokens over Basic, IETF rate-limit headers.</summary>
public sealed class ZendeskTests : IAsyncLifetime
{
    private readonly ZendeskDouble _double = new();
    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        await _double.StartAsync();
        _engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["zendesk"] = _double });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _double.DisposeAsync();
    }

    private Task<EngineConnection> ConnectAsync() => _engine.ConnectAsync(
        ConnectionCredentials.Of(("email", ZendeskDouble.Email), ("api_token", ZendeskDouble.ApiToken)), ("subdomain", "acme"));

    [Fact]
    public async Task ListAsync_FirstPage_MapsUsersSplittingTheirNames()
    {
        var page = await _engine.Executor.ListAsync(_engine.Registry.Get("zendesk"), await ConnectAsync(), "users").FirstAsync();

        Assert.Equal(100, page.Records.Count);
        var jane = page.Records[1].Data;
        Assert.Equal(("360000001", "Jane", "Doe1", "user1@customer.example"), ((string?)jane["id"], (string?)jane["first_name"], (string?)jane["last_name"], (string?)jane["email"]));
        Assert.Equal(("Cher", null), ((string?)page.Records[0].Data["first_name"], (string?)page.Records[0].Data["last_name"]));
        Assert.Equal("pro", (string?)jane["custom_fields"]!["plan"]);
        Assert.Equal((700, 699, TimeSpan.FromSeconds(40)), (page.RateLimit.Limit, page.RateLimit.Remaining, page.RateLimit.ResetAfter));
        Assert.Equal("/api/v2/users.json?role=end-user&page%5Bsize%5D=100", Assert.Single(_double.Requests).PathAndQuery);
    }

    [Fact]
    public async Task ListAllAsync_Organizations_OnePageMappedToCompanies()
    {
        var (records, failures) = await _engine.Executor.ListAllAsync(_engine.Registry.Get("zendesk"), await ConnectAsync(), "organizations");

        Assert.Empty(failures);
        Assert.Equal(12, records.Count);
        var second = records[1].Data;
        Assert.Equal(("13", "Customer Org 1", "org1.example", "silver"),
            ((string?)second["id"], (string?)second["name"], (string?)second["domain"], (string?)second["custom_fields"]!["tier"]));
        Assert.Null((string?)records[0].Data["domain"]);
        Assert.Equal("/api/v2/organizations.json?page%5Bsize%5D=100", Assert.Single(_double.Requests).PathAndQuery);
    }

    [Fact]
    public async Task ListAllAsync_FollowsNextLinksUntilHasMoreIsFalse()
    {
        var (records, failures) = await _engine.Executor.ListAllAsync(_engine.Registry.Get("zendesk"), await ConnectAsync(), "users");

        Assert.Empty(failures);
        Assert.Equal(Enumerable.Range(0, 130).Select(i => (360000000 + i).ToString()), records.Select(r => r.RemoteId));
        Assert.Equal(2, _double.Requests.Count);
        Assert.Contains("page[after]=100", _double.Requests.Last().PathAndQuery);
    }

    [Fact]
    public async Task ListAllAsync_SilentlyCappedPageSize_StillReadsEveryRecord()
    {
        _double.PageSizeCap = 30;

        var (records, _) = await _engine.Executor.ListAllAsync(_engine.Registry.Get("zendesk"), await ConnectAsync(), "users");

        Assert.Equal(130, records.Select(r => r.RemoteId).Distinct().Count());
        Assert.Equal(5, _double.Requests.Count);
    }
}
