using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Tests.Auth;

/// <summary>
/// The per-call fast path's caches: a process reuses its recent vault read (<see cref="ICredentialVault.ReadRecentAsync"/>)
/// and its recent connection lookup for a few seconds. Two hosts over one store stand for two processes: the other's
/// writes are seen within the cache's age, this one's own writes at once, and a connection not found is never remembered.
/// </summary>
public sealed class RecentReadCacheTests : IAsyncLifetime
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly OAuthServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<string> KeyAsync(TestDatabase database, int connectionId)
    {
        await using var db = database.CreateContext();
        return StoreEngineConnections.CredentialKeyOf(await db.Tenants.Select(t => t.Id).SingleAsync(), connectionId);
    }

    [Fact]
    public async Task ReadRecent_AnotherProcessWrote_KeepsItsCopyUntilItsAge_ButSeesItsOwnWriteAtOnce()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-recent-vault");
        var key = await KeyAsync(database, await StoreEngineHost.SeedConnectionAsync(database));
        await using var one = StoreEngineHost.Create(database, _server.Origin);
        await using var other = StoreEngineHost.Create(database, _server.Origin);
        await one.Vault.SaveAsync(key, ConnectionCredentials.Of(("api_key", "k1")));
        Assert.Equal("k1", (await one.Vault.ReadRecentAsync(key, Hour))!.Credentials["api_key"]);

        var current = (await other.Vault.ReadAsync(key))!.Credentials;
        await other.Vault.SaveAsync(key, current with { Fields = new Dictionary<string, string> { ["api_key"] = "k2" } });

        Assert.Equal("k1", (await one.Vault.ReadRecentAsync(key, Hour))!.Credentials["api_key"]); // within its age: its own copy
        Assert.Equal("k2", (await one.Vault.ReadRecentAsync(key, TimeSpan.Zero))!.Credentials["api_key"]); // no cache: the store
        Assert.Equal("k2", (await one.Vault.ReadAsync(key))!.Credentials["api_key"]); // the refresh path's read: the store

        var seen = (await one.Vault.ReadAsync(key))!.Credentials;
        await one.Vault.SaveAsync(key, seen with { Fields = new Dictionary<string, string> { ["api_key"] = "k3" } });
        Assert.Equal("k3", (await one.Vault.ReadRecentAsync(key, Hour))!.Credentials["api_key"]); // its own write: at once
    }

    [Fact]
    public async Task ReadRecent_AfterThisProcessRecordsARevocation_SeesNeedsReauthAtOnce()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-recent-revoked");
        var key = await KeyAsync(database, await StoreEngineHost.SeedConnectionAsync(database));
        await using var host = StoreEngineHost.Create(database, _server.Origin);
        await host.Vault.SaveAsync(key, ConnectionCredentials.Of(("api_key", "k1")));
        Assert.False((await host.Vault.ReadRecentAsync(key, Hour))!.NeedsReauth);

        await host.Vault.RecordFailureAsync(key, 1, DateTimeOffset.UtcNow.AddMinutes(1), needsReauth: true);

        var entry = (await host.Vault.ReadRecentAsync(key, Hour))!;
        Assert.True(entry.NeedsReauth);
        Assert.Equal(1, entry.FailedRefreshes);
    }

    [Fact]
    public async Task FindConnection_NotFoundThenCreated_IsFoundAtOnce_AndAFoundOneIsReusedWithinItsAge()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-recent-lookup");
        await StoreEngineHost.SeedConnectionAsync(database, "conn-1");
        int tenant;
        await using (var db = database.CreateContext()) tenant = await db.Tenants.Select(t => t.Id).SingleAsync();
        await using var host = StoreEngineHost.Create(database, _server.Origin, new Dictionary<string, string?> { ["Engine:ConnectionLookupCache"] = "00:01:00" });

        Assert.Equal(ConnectionResolution.NotFound, (await host.Connections.FindAsync(tenant, "conn-2")).Resolution);
        await StoreEngineHost.SeedConnectionAsync(database, "conn-2");
        var (resolution, found) = await host.Connections.FindAsync(tenant, "conn-2");
        Assert.Equal(ConnectionResolution.Found, resolution);

        // A change made behind this process's back (another process's import of new values) is not seen within the age...
        await using (var db = database.CreateContext())
            await db.Connections.Where(c => c.Id == found!.Row.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.InstanceUrl, "https://changed.example"));
        Assert.Null((await host.Connections.FindAsync(tenant, "conn-2")).Connection!.Row.InstanceUrl);

        // ...and with no cache it is.
        await using var uncached = StoreEngineHost.Create(database, _server.Origin, new Dictionary<string, string?> { ["Engine:ConnectionLookupCache"] = "00:00:00" });
        await uncached.Connections.FindAsync(tenant, "conn-2");
        await using (var db = database.CreateContext())
            await db.Connections.Where(c => c.Id == found!.Row.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.InstanceUrl, "https://again.example"));
        Assert.Equal("https://again.example", (await uncached.Connections.FindAsync(tenant, "conn-2")).Connection!.Row.InstanceUrl);
    }
}
