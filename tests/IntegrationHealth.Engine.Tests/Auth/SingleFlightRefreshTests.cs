using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Tests.Auth;

/// <summary>
/// Single-flight refresh against the real OpenIddict server (rotating refresh tokens, reuse revokes the grant), on the
/// real store: PostgreSQL with two engine hosts (separate service providers: own locks, clients, key-ring caches),
/// and SQLite.
/// </summary>
public sealed class SingleFlightRefreshTests : IAsyncLifetime
{
    private readonly OAuthServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Credentials whose access token expired an hour ago, with a live refresh token from the server.</summary>
    private async Task<(ConnectionCredentials Credentials, string RefreshToken)> ExpiredAsync()
    {
        var (access, refresh) = await _server.AuthorizeAsync();
        var issued = DateTimeOffset.UtcNow.AddHours(-2);
        return (ConnectionCredentials.Of(("client_id", OAuthServer.ClientId), ("client_secret", OAuthServer.ClientSecret), ("refresh_token", refresh))
            .WithToken(access, null, issued, issued.AddHours(1)), refresh);
    }

    private static async Task<int> TenantOfAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.Tenants.Where(t => t.Key == "acme").Select(t => t.Id).SingleAsync();
    }

    [PostgresFact]
    public async Task ExpiredToken_20CallersInEachOfTwoHostsOnPostgres_OneRefreshReachesTheServer_All40Succeed()
    {
        await using var database = await TestDatabase.MigratedPostgresAsync("ih_singleflight");
        var connectionId = await StoreEngineHost.SeedConnectionAsync(database);
        var tenant = await TenantOfAsync(database);
        await using var first = StoreEngineHost.Create(database, _server.Origin);
        var (credentials, oldRefresh) = await ExpiredAsync();
        await first.Vault.SaveAsync(StoreEngineConnections.CredentialKeyOf(tenant, connectionId), credentials);
        await using var second = StoreEngineHost.Create(database, _server.Origin);
        var a = await first.ResolveAsync(tenant);
        var b = await second.ResolveAsync(tenant);
        _server.TokenDelay = TimeSpan.FromMilliseconds(300); // the first refresh is still in flight when the others arrive

        var calls = Enumerable.Range(0, 40).Select(i => Task.Run(() => i % 2 == 0 ? first.ListItemsAsync(a) : second.ListItemsAsync(b)));
        var counts = await Task.WhenAll(calls);

        Assert.All(counts, c => Assert.Equal(2, c));
        Assert.Equal(1, _server.RefreshRequests);
        var saved = (await second.Vault.GetAsync(a.Engine.CredentialKey))!;
        Assert.NotEqual(oldRefresh, saved["refresh_token"]);
        Assert.Equal(40, _server.ApiTokens.Count);
        Assert.All(_server.ApiTokens, t => Assert.Equal(saved["access_token"], t));
    }

    [Fact]
    public async Task ExpiredToken_20ConcurrentCallersOnSqlite_OneRefreshReachesTheServer_AllSucceed()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-singleflight");
        var connectionId = await StoreEngineHost.SeedConnectionAsync(database);
        var tenant = await TenantOfAsync(database);
        await using var host = StoreEngineHost.Create(database, _server.Origin);
        var (credentials, _) = await ExpiredAsync();
        await host.Vault.SaveAsync(StoreEngineConnections.CredentialKeyOf(tenant, connectionId), credentials);
        var connection = await host.ResolveAsync(tenant);
        _server.TokenDelay = TimeSpan.FromMilliseconds(300);

        var counts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => host.ListItemsAsync(connection))));

        Assert.All(counts, c => Assert.Equal(2, c));
        Assert.Equal(1, _server.RefreshRequests);
    }

    [Fact]
    public async Task TwoHostsOnSqlite_ShareTheRowLease_OneRefresh()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-singleflight2");
        var connectionId = await StoreEngineHost.SeedConnectionAsync(database);
        var tenant = await TenantOfAsync(database);
        await using var first = StoreEngineHost.Create(database, _server.Origin);
        var (credentials, _) = await ExpiredAsync();
        await first.Vault.SaveAsync(StoreEngineConnections.CredentialKeyOf(tenant, connectionId), credentials);
        await using var second = StoreEngineHost.Create(database, _server.Origin);
        var a = await first.ResolveAsync(tenant);
        var b = await second.ResolveAsync(tenant);
        _server.TokenDelay = TimeSpan.FromMilliseconds(300);

        var counts = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => i % 2 == 0 ? first.ListItemsAsync(a) : second.ListItemsAsync(b))));

        Assert.All(counts, c => Assert.Equal(2, c));
        Assert.Equal(1, _server.RefreshRequests);
    }

    [Fact]
    public async Task InvalidGrant_ReplayedRefreshToken_NeedsReauthAfterExactlyOneAttempt_EventAndWarning_NoFurtherAttempts()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-invalidgrant");
        var connectionId = await StoreEngineHost.SeedConnectionAsync(database);
        var tenant = await TenantOfAsync(database);
        await using var host = StoreEngineHost.Create(database, _server.Origin);
        var (credentials, refresh) = await ExpiredAsync();
        // Someone else redeemed the stored refresh token: the server sees the engine's use as a replay.
        var (status, _) = await _server.RefreshAsync(refresh);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        await host.Vault.SaveAsync(StoreEngineConnections.CredentialKeyOf(tenant, connectionId), credentials);
        var connection = await host.ResolveAsync(tenant);
        var before = _server.RefreshRequests;

        var failures = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Assert.ThrowsAsync<UpstreamCallException>(() => host.ListItemsAsync(connection)))));
        var later = await Assert.ThrowsAsync<UpstreamCallException>(() => host.ListItemsAsync(connection));

        Assert.Equal(1, _server.RefreshRequests - before);
        Assert.All(failures, f => Assert.Equal(ResponseAction.NeedsReauth, f.Classification.Action));
        Assert.Equal(ResponseAction.NeedsReauth, later.Classification.Action);
        await using var db = database.CreateContext();
        Assert.Equal(ConnectionStatus.NeedsReauth, (await db.Connections.SingleAsync(c => c.Id == connectionId)).Status);
        await host.FlushTelemetryAsync();
        var refreshEvents = await db.TelemetryEvents.Where(e => e.Kind == TelemetryKind.TokenRefresh).ToListAsync();
        Assert.Equal(ErrorClass.InvalidGrant, Assert.Single(refreshEvents).ErrorClass);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 4311 && r.Level == LogLevel.Warning);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Message.Contains(refresh, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rotation_EachRotatedTokenSavedBeforeUse_OldTokenNeverSentAgain_GrantStaysValid()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-rotation");
        var connectionId = await StoreEngineHost.SeedConnectionAsync(database);
        var tenant = await TenantOfAsync(database);
        await using var host = StoreEngineHost.Create(database, _server.Origin);
        var (credentials, r0) = await ExpiredAsync();
        var key = StoreEngineConnections.CredentialKeyOf(tenant, connectionId);
        await host.Vault.SaveAsync(key, credentials);
        var connection = await host.ResolveAsync(tenant);

        Assert.Equal(2, await host.ListItemsAsync(connection));
        var afterFirst = (await host.Vault.GetAsync(key))!;
        var r1 = afterFirst["refresh_token"]!;
        // Age the token again (a save at the version read, as a writer in this position would) and call once more.
        var past = DateTimeOffset.UtcNow.AddHours(-2);
        await host.Vault.SaveAsync(key, afterFirst with { IssuedAt = past, ExpiresAt = past.AddHours(1) });
        Assert.Equal(2, await host.ListItemsAsync(connection));
        var r2 = (await host.Vault.GetAsync(key))!["refresh_token"]!;

        Assert.Equal([r0, r1], _server.TokenRequests.Where(t => t.GrantType == "refresh_token").Select(t => t.RefreshToken));
        Assert.Equal(3, new[] { r0, r1, r2 }.Distinct().Count());
        // Had any old token been replayed, the server would have revoked the grant and refused r2.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await _server.RefreshAsync(r2)).Status);
    }

    [Fact]
    public async Task TokenEndpoint503_RotatingRefreshToken_NotRetried_ThenCoolingDown_NoSecondRequest()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-cooldown");
        var connectionId = await StoreEngineHost.SeedConnectionAsync(database);
        var tenant = await TenantOfAsync(database);
        await using var host = StoreEngineHost.Create(database, _server.Origin);
        var (credentials, _) = await ExpiredAsync();
        await host.Vault.SaveAsync(StoreEngineConnections.CredentialKeyOf(tenant, connectionId), credentials);
        var connection = await host.ResolveAsync(tenant);
        _server.FailNextTokenRequests = 1;

        var failure = await Assert.ThrowsAsync<UpstreamCallException>(() => host.ListItemsAsync(connection));
        var cooling = await Assert.ThrowsAsync<UpstreamCallException>(() => host.ListItemsAsync(connection));

        Assert.Equal(503, failure.Status);
        Assert.Equal(1, _server.RefreshRequests);
        Assert.Contains("cooling down", cooling.Classification.Rule, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        var row = await db.ConnectionCredentials.SingleAsync();
        Assert.Equal(1, row.FailedRefreshes);
        Assert.Equal(ConnectionStatus.Active, (await db.Connections.SingleAsync()).Status);
    }

    [Fact]
    public async Task Server_ReusedRefreshToken_RevokesTheWholeGrant()
    {
        var (access, r0) = await _server.AuthorizeAsync();
        var (ok, body) = await _server.RefreshAsync(r0);
        var r1 = body.GetProperty("refresh_token").GetString()!;

        var (replayed, error) = await _server.RefreshAsync(r0);
        var (afterReplay, _) = await _server.RefreshAsync(r1);

        Assert.Equal(System.Net.HttpStatusCode.OK, ok);
        Assert.NotEqual(r0, r1);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, replayed);
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, afterReplay);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await _server.CallApiAsync(access));
    }
}
