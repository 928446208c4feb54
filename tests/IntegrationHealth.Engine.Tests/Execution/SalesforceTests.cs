using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>The shipped Salesforce definition against its double: the instance URL as a connection value, SOQL through
/// queryAll, nextRecordsUrl relative to the instance until done, and its 401 bodies told apart by the rules.</summary>
public sealed class SalesforceTests : IAsyncLifetime
{
    private readonly SalesforceDouble _double = new();
    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        await _double.StartAsync();
        _engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["salesforce"] = _double });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _double.DisposeAsync();
    }

    private Engine.Definitions.LoadedProvider Salesforce => _engine.Registry.Get("salesforce");

    private Task<EngineConnection> ConnectAsync(string? token = null) => _engine.ConnectAsync(ConnectionCredentials.Of(
            ("client_id", SalesforceDouble.ClientId), ("client_secret", SalesforceDouble.ClientSecret),
            ("access_token", token ?? _double.ValidToken), ("refresh_token", _double.RefreshToken)),
        ("instance_url", "https://acme.my.salesforce.com"));

    [Fact]
    public async Task ListAsync_FirstPage_RunsTheSoqlAndMapsContacts()
    {
        var page = await _engine.Executor.ListAsync(Salesforce, await ConnectAsync(), "contacts").FirstAsync();

        Assert.Equal(SalesforceDouble.BatchSize, page.Records.Count);
        Assert.Empty(page.MappingFailures);
        var first = page.Records[0];
        Assert.Equal(("crm.contact", _double.IdOf(1)), (first.Model, first.RemoteId));
        Assert.Equal("First1", (string?)first.Data["first_name"]);
        Assert.Equal("contact1@example.com", (string?)first.Data["email"]);
        Assert.Equal("Account 1", (string?)first.Data["company"]);
        Assert.Equal("2024-01-02T03:04:05.000Z", (string?)first.Data["created_at"]);
        Assert.Equal("Contact", (string?)first.Data["remote_data"]!["attributes"]!["type"]);
        Assert.Null(page.Records[4].Data["company"]); // no Account relationship
        var request = Assert.Single(_double.Requests);
        Assert.StartsWith("/services/data/v59.0/queryAll?q=SELECT%20Id%2C", request.PathAndQuery);
        Assert.Equal($"Bearer {_double.ValidToken}", request.Authorization);
    }

    [Fact]
    public async Task ListAllAsync_Companies_QueriesAccountsAndMapsThem()
    {
        var (records, failures) = await _engine.Executor.ListAllAsync(Salesforce, await ConnectAsync(), "companies");

        Assert.Empty(failures);
        Assert.Equal(40, records.Count);
        var first = records[0].Data;
        Assert.Equal(("001000000000000001", "Account 1", "www.account1.example", "Manufacturing", 10.0),
            ((string?)first["id"], (string?)first["name"], (string?)first["domain"], (string?)first["industry"], (double?)first["employee_count"]));
        Assert.Equal("2023-03-04T05:06:07.000Z", (string?)first["created_at"]);
        Assert.Contains("FROM+Account", Assert.Single(_double.Requests).PathAndQuery.Replace("%20", "+", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListAllAsync_FollowsNextRecordsUrlUntilDone()
    {
        var (records, failures) = await _engine.Executor.ListAllAsync(Salesforce, await ConnectAsync(), "contacts");

        Assert.Empty(failures);
        Assert.Equal(Enumerable.Range(1, 450).Select(_double.IdOf), records.Select(r => r.RemoteId));
        Assert.Equal(["/services/data/v59.0/query/01gA-200", "/services/data/v59.0/query/01gA-400"],
            _double.Requests.Skip(1).Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task ListAsync_ExpiredSession_RefreshesAndRetriesOnce()
    {
        var connection = await ConnectAsync();
        _double.ExpireToken();

        var page = await _engine.Executor.ListAsync(Salesforce, connection, "contacts").FirstAsync();

        Assert.Equal(SalesforceDouble.BatchSize, page.Records.Count);
        Assert.Equal(1, _double.TokenRequests);
        Assert.Equal(_double.ValidToken, (await _engine.Credentials.GetAsync(connection.CredentialKey))!["access_token"]);
    }

    [Fact]
    public async Task ListAsync_RevokedAccess_NeedsReauthByTheSecondRule()
    {
        _double.RevokedTokens.Add("revoked");

        var error = await Assert.ThrowsAsync<UpstreamCallException>(() => _engine.Executor.ListAsync(Salesforce, ConnectAsync("revoked").Result, "contacts").FirstAsync().AsTask());

        Assert.Equal(ResponseAction.NeedsReauth, error.Classification.Action);
        Assert.Equal("$.responses[1]", error.Classification.Rule);
        Assert.Equal(0, _double.TokenRequests);
    }

    [Fact]
    public async Task ListAsync_DailyLimit403_IsRateLimitedNotAFailure()
    {
        _double.Enqueue(Fault.Of(403, """[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"""));

        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () => await _engine.Executor.ListAsync(Salesforce, await ConnectAsync(), "contacts").FirstAsync());

        Assert.Equal(ResponseAction.RateLimited, error.Classification.Action);
        Assert.Equal(ErrorClass.RateLimited, error.Classification.ErrorClass);
    }
}
