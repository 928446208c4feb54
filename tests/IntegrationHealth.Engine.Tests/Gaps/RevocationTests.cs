using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Engine.Tests.Auth;
using IntegrationHealth.Engine.Tests.Definitions;
using IntegrationHealth.ProviderDoubles;
using IntegrationHealth.Engine.Tests.Execution;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Tests.Gaps;

/// <summary>
/// Revoked credentials: <c>invalid_grant</c> from the real OpenIddict server, or the provider's own "revoked" answer,
/// set the connection to <c>needs_reauth</c> after exactly one attempt, with the telemetry event and a
/// credentials-revoked alert in the store (one per connection, resolved when the account reconnects).
/// </summary>
public sealed class RevocationTests : IAsyncLifetime
{
    private readonly OAuthServer _server = new();
    private readonly DirectoryDouble _directory = new(people: 5);

    public async Task InitializeAsync()
    {
        await _server.StartAsync();
        await _directory.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _directory.DisposeAsync();
    }

    [Fact]
    public async Task InvalidGrant_OneTokenRequest_ConnectionNeedsReauth_OneAlertOpened_ResolvedOnReconnect()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-revoked-alert");
        var connectionId = await StoreEngineHost.SeedConnectionAsync(database);
        await using var db = database.CreateContext();
        var tenant = await db.Tenants.Where(t => t.Key == "acme").Select(t => t.Id).SingleAsync();
        await using var host = StoreEngineHost.Create(database, _server.Origin);
        var (access, refresh) = await _server.AuthorizeAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await _server.RefreshAsync(refresh)).Status); // redeemed elsewhere: a replay now
        var issued = DateTimeOffset.UtcNow.AddHours(-2);
        await host.Vault.SaveAsync(StoreEngineConnections.CredentialKeyOf(tenant, connectionId),
            ConnectionCredentials.Of(("client_id", OAuthServer.ClientId), ("client_secret", OAuthServer.ClientSecret), ("refresh_token", refresh))
                .WithToken(access, null, issued, issued.AddHours(1)));
        var connection = await host.ResolveAsync(tenant);
        var before = _server.RefreshRequests;

        var first = await Assert.ThrowsAsync<UpstreamCallException>(() => host.ListItemsAsync(connection));
        var second = await Assert.ThrowsAsync<UpstreamCallException>(() => host.ListItemsAsync(connection));

        Assert.Equal(1, _server.RefreshRequests - before);
        Assert.Equal(ResponseAction.NeedsReauth, first.Classification.Action);
        Assert.Equal(ResponseAction.NeedsReauth, second.Classification.Action);
        Assert.Equal(ConnectionStatus.NeedsReauth, (await db.Connections.AsNoTracking().SingleAsync(c => c.Id == connectionId)).Status);
        var alert = Assert.Single(await db.Alerts.AsNoTracking().ToListAsync());
        Assert.Equal(AlertKind.CredentialsRevoked, alert.Kind);
        Assert.Equal(AlertState.Open, alert.State);
        Assert.Equal(connectionId, alert.ConnectionId);
        Assert.Equal(CredentialAlertKeys.Of(connectionId), alert.DedupKey);
        Assert.DoesNotContain(refresh, alert.Detail, StringComparison.Ordinal);
        await host.FlushTelemetryAsync();
        Assert.Equal(ErrorClass.InvalidGrant, Assert.Single(await db.TelemetryEvents.Where(e => e.Kind == TelemetryKind.TokenRefresh).ToListAsync()).ErrorClass);

        await host.Services.GetRequiredService<ICredentialAlerts>().ReconnectedAsync(tenant, [connectionId]);

        var resolved = await db.Alerts.AsNoTracking().SingleAsync();
        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.NotNull(resolved.ResolvedAt);
    }

    [Fact]
    public async Task ProviderSaysRevoked_BackgroundCall_ExactlyOneAttempt_FlaggedAndAlerted_UnknownKeyIsNot()
    {
        await using var engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["directory"] = _directory });
        var provider = TestDefinitions.Loader.Load(DirectoryDefinition.Document);
        var revoked = await engine.ConnectAsync(ConnectionCredentials.Of(("api_key", DirectoryDouble.RevokedKey)));
        var unknown = await engine.ConnectAsync(ConnectionCredentials.Of(("api_key", "not-a-key")));
        var alerts = (InMemoryCredentialAlerts)engine.Services.GetRequiredService<ICredentialAlerts>();
        var vault = engine.Services.GetRequiredService<ICredentialVault>();

        var e = await Assert.ThrowsAsync<UpstreamCallException>(() => engine.Executor.ListAllAsync(provider, revoked, "people",
            new ListRequest { Context = CallContext.Background }));

        Assert.Equal(ResponseAction.NeedsReauth, e.Classification.Action);
        Assert.Single(_directory.Requests, r => r.PathAndQuery.StartsWith("/v1/fields", StringComparison.Ordinal)); // the first call, never retried
        Assert.DoesNotContain(_directory.Requests, r => r.PathAndQuery.StartsWith("/v1/people", StringComparison.Ordinal));
        Assert.True((await vault.ReadAsync(revoked.CredentialKey))!.NeedsReauth);
        Assert.Equal(1, alerts.Open[revoked.ConnectionId!.Value].Occurrences);
        var events = await engine.TelemetryAsync();
        Assert.Equal(ErrorClass.InvalidGrant, Assert.Single(events).ErrorClass);

        alerts.Open.Clear();
        var refused = await Assert.ThrowsAsync<UpstreamCallException>(() => engine.Executor.ListAllAsync(provider, unknown, "people"));
        Assert.Equal(ResponseAction.Fail, refused.Classification.Action);
        Assert.Empty(alerts.Open);
        Assert.False((await vault.ReadAsync(unknown.CredentialKey))!.NeedsReauth);
    }
}
