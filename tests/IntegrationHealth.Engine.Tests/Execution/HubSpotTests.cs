using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>The shipped HubSpot definition against its double: cursor paging, OAuth refresh on an expired token,
/// revoked tokens, rate limits, transient failures and malformed bodies.</summary>
public sealed class HubSpotTests : IAsyncLifetime
{
    private readonly HubSpotDouble _double = new();
    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        await _double.StartAsync();
        _engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["hubspot"] = _double });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _double.DisposeAsync();
    }

    private Engine.Definitions.LoadedProvider HubSpot => _engine.Registry.Get("hubspot");

    private Task<EngineConnection> ConnectAsync(string? accessToken = null) => _engine.ConnectAsync(ConnectionCredentials.Of(
        ("client_id", HubSpotDouble.ClientId), ("client_secret", HubSpotDouble.ClientSecret),
        ("access_token", accessToken ?? _double.ValidToken), ("refresh_token", _double.RefreshToken)));

    [Fact]
    public async Task ListAsync_FirstPage_MapsContactsIntoTheUnifiedModel()
    {
        var connection = await ConnectAsync();

        var page = await _engine.Executor.ListAsync(HubSpot, connection, "contacts").FirstAsync();

        Assert.Equal(100, page.Records.Count);
        Assert.Empty(page.MappingFailures);
        var first = page.Records[0];
        Assert.Equal("crm.contact", first.Model);
        Assert.Equal("1", first.RemoteId);
        Assert.Equal("First1", (string?)first.Data["first_name"]);
        Assert.Equal("contact1@example.com", (string?)first.Data["email"]);
        Assert.Null(first.Data["phone"]); // null at the provider stays null
        Assert.Equal("Company 0", (string?)first.Data["company"]);
        Assert.Equal("2024-01-02T03:04:05.678Z", (string?)first.Data["created_at"]);
        Assert.Equal("lead", (string?)first.Data["custom_fields"]!["lifecyclestage"]);
        Assert.Equal("1", (string?)first.Data["remote_data"]!["properties"]!["hs_object_id"]);
        var request = Assert.Single(_double.Requests);
        Assert.Equal($"Bearer {_double.ValidToken}", request.Authorization);
        Assert.Contains("limit=100", request.PathAndQuery);
        Assert.Contains("archived=false", request.PathAndQuery);
    }

    [Fact]
    public async Task ListAllAsync_AllPages_FollowsTheCursorAndReportsEachCall()
    {
        var connection = await ConnectAsync();

        var (records, failures) = await _engine.Executor.ListAllAsync(HubSpot, connection, "contacts");

        Assert.Empty(failures);
        Assert.Equal(Enumerable.Range(1, 250).Select(i => i.ToString()), records.Select(r => r.RemoteId));
        Assert.Equal(["", "after=100", "after=200"], _double.Requests.Select(r => r.PathAndQuery.Contains("after=") ? r.PathAndQuery[r.PathAndQuery.IndexOf("after=")..].Split('&')[0] : ""));
        var events = await _engine.TelemetryAsync();
        Assert.Equal(3, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal(TelemetryKind.Request, e.Kind);
            Assert.Equal("contacts", e.Resource);
            Assert.Equal("/crm/v3/objects/contacts", _engine.EndpointOf(e)); // the endpoint template, never the raw path
            Assert.Equal(HttpMethodCode.Get, e.Method);
            Assert.Equal((short)200, e.HttpStatus);
            Assert.Equal(ErrorClass.None, e.ErrorClass);
            Assert.Equal(100, e.RateLimitLimit);
            Assert.NotNull(e.RateLimitRemaining);
            Assert.NotNull(e.LatencyMs);
            Assert.Equal((1, 2, 3, 4), (e.TenantId, e.AccountId, e.ProviderId, e.ConnectionId));
        });
        Assert.Single(_engine.Writer.Batches); // one write for the three calls
    }

    [Fact]
    public async Task ListAllAsync_Companies_MapsNumbersSentAsStrings()
    {
        var (records, failures) = await _engine.Executor.ListAllAsync(HubSpot, await ConnectAsync(), "companies");

        Assert.Empty(failures);
        Assert.Equal(30, records.Count);
        Assert.Equal(50, (double?)records[0].Data["employee_count"]);
        Assert.Null(records[1].Data["employee_count"]);
        Assert.Equal("company0.example", (string?)records[0].Data["domain"]);
    }

    [Fact]
    public async Task GetAsync_ExistingAndMissing_MapsOneOrIgnoresThe404()
    {
        var connection = await ConnectAsync();

        var found = await _engine.Executor.GetAsync(HubSpot, connection, "contacts", "7");
        var missing = await _engine.Executor.GetAsync(HubSpot, connection, "contacts", "99999");

        Assert.Equal("7", found!.RemoteId);
        Assert.Equal("Last7", (string?)found.Data["last_name"]);
        Assert.Null(missing);
        Assert.EndsWith("/crm/v3/objects/contacts/99999?properties=firstname%2Clastname%2Cemail%2Cphone%2Ccompany%2Clifecyclestage", _double.Requests.Last().PathAndQuery);
    }

    [Fact]
    public async Task ListAsync_ExpiredToken_RefreshesOnceAndRetries()
    {
        var connection = await ConnectAsync();
        _double.ExpireToken();

        var page = await _engine.Executor.ListAsync(HubSpot, connection, "contacts").FirstAsync();

        Assert.Equal(100, page.Records.Count);
        Assert.Equal(1, _double.TokenRequests);
        var saved = await _engine.Credentials.GetAsync(connection.CredentialKey);
        Assert.Equal(_double.ValidToken, saved!["access_token"]);
        Assert.NotNull(saved.ExpiresAt);
        var events = await _engine.TelemetryAsync();
        Assert.Equal([(TelemetryKind.Request, ErrorClass.Client4xx), (TelemetryKind.TokenRefresh, ErrorClass.None), (TelemetryKind.Request, ErrorClass.None)],
            events.Select(e => (e.Kind, e.ErrorClass)));
    }

    [Fact]
    public async Task ListAsync_RevokedToken_NeedsReauthWithoutRefreshing()
    {
        var connection = await ConnectAsync(accessToken: "revoked-token");

        var error = await Assert.ThrowsAsync<UpstreamCallException>(() => _engine.Executor.ListAsync(HubSpot, connection, "contacts").FirstAsync().AsTask());

        Assert.Equal(ResponseAction.NeedsReauth, error.Classification.Action);
        Assert.Equal("$.responses[1]", error.Classification.Rule);
        Assert.Equal(0, _double.TokenRequests);
        Assert.Single(_double.Requests);
        Assert.Equal(ErrorClass.InvalidGrant, Assert.Single(await _engine.TelemetryAsync()).ErrorClass);
    }

    [Fact]
    public async Task ListAsync_ExpiredTokenAndRefreshTokenRevoked_NeedsReauthAfterOneAttempt()
    {
        var connection = await ConnectAsync();
        _double.ExpireToken();
        _double.RefreshToken = "rotated-elsewhere";

        var error = await Assert.ThrowsAsync<UpstreamCallException>(() => _engine.Executor.ListAsync(HubSpot, connection, "contacts").FirstAsync().AsTask());

        Assert.Equal(ResponseAction.NeedsReauth, error.Classification.Action);
        Assert.Equal(1, _double.TokenRequests);
        var refresh = Assert.Single(await _engine.TelemetryAsync(), e => e.Kind == TelemetryKind.TokenRefresh);
        Assert.Equal((ErrorClass.InvalidGrant, "invalid_grant"), (refresh.ErrorClass, refresh.Detail?.ErrorMessage));
    }

    [Fact]
    public async Task ListAsync_RepeatingCursor_EndsWithAnErrorNotALoop()
    {
        _double.RepeatCursor = true;

        var error = await Assert.ThrowsAsync<PaginationException>(async () => await _engine.Executor.ListAllAsync(HubSpot, await ConnectAsync(), "contacts"));

        Assert.Equal(PaginationFailure.RepeatedCursor, error.Failure);
        Assert.Equal(2, error.Pages);
        Assert.Equal(2, _double.Requests.Count);
        var stopped = Assert.Single(await _engine.TelemetryAsync(), e => e.Kind == TelemetryKind.SyncRun);
        Assert.Equal((TelemetryOutcome.Failure, 200), (stopped.Outcome, stopped.Records));
        Assert.StartsWith("RepeatedCursor", stopped.Detail!.ErrorMessage);
        Assert.Contains(_engine.Logs.GetSnapshot(), r => r.Id.Id == 4200);
    }

    [Fact]
    public async Task ListAsync_SilentlyCappedPageSize_StillReadsEveryRecord()
    {
        _double.PageSizeCap = 40;

        var (records, _) = await _engine.Executor.ListAllAsync(HubSpot, await ConnectAsync(), "contacts");

        Assert.Equal(250, records.Select(r => r.RemoteId).Distinct().Count());
        Assert.Equal(7, _double.Requests.Count);
    }

    [Fact]
    public async Task ListAsync_RateLimitedInTheRequestPath_GivesTheWaitBackWithoutRetrying()
    {
        _double.Enqueue(Fault.Of(429, """{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","policyName":"SECONDLY"}""",
            ("X-HubSpot-RateLimit-Max", "100"), ("X-HubSpot-RateLimit-Remaining", "0"), ("X-HubSpot-RateLimit-Interval-Milliseconds", "1500")));

        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () => await _engine.Executor.ListAsync(HubSpot, await ConnectAsync(), "contacts").FirstAsync());

        Assert.Equal(ResponseAction.RateLimited, error.Classification.Action);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), error.Classification.Wait);
        Assert.Equal((100, 0), (error.RateLimit.Limit, error.RateLimit.Remaining));
        Assert.Single(_double.Requests);
        var ev = Assert.Single(await _engine.TelemetryAsync());
        Assert.Equal((ErrorClass.RateLimited, (short)429, 0), (ev.ErrorClass, ev.HttpStatus, ev.RateLimitRemaining));
    }

    [Fact]
    public async Task ListAsync_RateLimitedInTheBackground_WaitsAndRetries()
    {
        _double.Enqueue(Fault.Of(429, "{}", ("Retry-After", "0")));

        var page = await _engine.Executor.ListAsync(HubSpot, await ConnectAsync(), "contacts", new ListRequest { Context = CallContext.Background }).FirstAsync();

        Assert.Equal(100, page.Records.Count);
        Assert.Equal([(short)429, (short)200], (await _engine.TelemetryAsync()).Select(e => e.HttpStatus ?? 0));
    }

    [Fact]
    public async Task ListAsync_ServerErrors_RetriedInTheBackgroundOnly()
    {
        var connection = await ConnectAsync();
        _double.Enqueue(Fault.Of(500), Fault.Of(503));
        var background = await _engine.Executor.ListAsync(HubSpot, connection, "contacts", new ListRequest { Context = CallContext.Background }).FirstAsync();
        _double.Enqueue(Fault.Of(500));

        var error = await Assert.ThrowsAsync<UpstreamCallException>(() => _engine.Executor.ListAsync(HubSpot, connection, "contacts").FirstAsync().AsTask());

        Assert.Equal(100, background.Records.Count);
        Assert.Equal(ResponseAction.Retry, error.Classification.Action);
        Assert.Equal(ErrorClass.Server5xx, error.Classification.ErrorClass);
        Assert.Equal([500, 503, 200, 500], (await _engine.TelemetryAsync()).Select(e => (int)(e.HttpStatus ?? 0)));
    }

    [Fact]
    public async Task ListAsync_MalformedJson_FailsTheCall()
    {
        _double.Enqueue(Fault.MalformedJson());

        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () => await _engine.Executor.ListAsync(HubSpot, await ConnectAsync(), "contacts").FirstAsync());

        Assert.Equal(ResponseAction.Fail, error.Classification.Action);
        Assert.Contains("not valid JSON", error.Classification.Rule);
        Assert.Equal(ErrorClass.Other, Assert.Single(await _engine.TelemetryAsync()).ErrorClass);
    }

    [Fact]
    public async Task ListAsync_SchemaDrift_DriftedRecordsAreMappingFailuresWithTheirFieldAndTheRestAreMapped()
    {
        // The provider changed shape under the definition: values wrapped in objects, a time as epoch milliseconds,
        // the id renamed. Each drifted record is reported (and becomes a telemetry event); the page still succeeds.
        _double.Enqueue(Fault.Of(200, """
            { "results": [
              { "id": "1", "properties": { "email": "ok@example.com", "firstname": "Ok" }, "createdAt": "2024-01-02T03:04:05.678Z" },
              { "id": "2", "properties": { "email": { "value": "wrapped@example.com" } }, "createdAt": "2024-01-02T03:04:05.678Z" },
              { "id": "3", "properties": { "email": "epoch@example.com" }, "createdAt": 1704164645678 },
              { "objectId": "4", "properties": { "email": "renamed@example.com" } }
            ] }
            """));

        var page = await _engine.Executor.ListAsync(HubSpot, await ConnectAsync(), "contacts").FirstAsync();

        Assert.Equal(["1"], page.Records.Select(r => r.RemoteId));
        Assert.Equal([("2", "$.email"), ("3", "$.created_at"), (null, "$.id")], page.MappingFailures.Select(f => (f.RemoteId, f.Where)));
        var events = (await _engine.TelemetryAsync()).Where(e => e.Kind == TelemetryKind.MappingFailure).ToList();
        Assert.Equal(["$.email", "$.created_at", "$.id"], events.Select(e => e.Detail!.Field));
        Assert.All(events, e => Assert.Equal("contacts", e.Resource));
    }

    [Fact]
    public async Task Telemetry_AndLogs_NeverCarryTheTokens()
    {
        var connection = await ConnectAsync();
        _double.ExpireToken();
        await _engine.Executor.ListAllAsync(HubSpot, connection, "contacts");

        var events = await _engine.TelemetryAsync();
        var text = string.Join('\n', events.Select(e => $"{e.Resource} {e.UserId} {e.Detail?.ErrorMessage} {e.Detail?.Field}")) + _engine.LogText;
        foreach (var secret in new[] { _double.ValidToken, "hs-token-0", HubSpotDouble.ClientSecret, _double.RefreshToken })
            Assert.DoesNotContain(secret, text);
    }
}
