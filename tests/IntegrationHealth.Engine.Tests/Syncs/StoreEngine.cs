using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Overrides;
using IntegrationHealth.Engine.Syncs;
using IntegrationHealth.Engine.Telemetry;
using IntegrationHealth.ProviderDoubles;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Tests.Syncs;

/// <summary>
/// The engine as <c>AddEngine</c> registers it over a real migrated store (SQLite or PostgreSQL), with a tenant, an
/// account and helpers to upload definitions and create connections. Each instance is one "process": two over the same
/// database have separate caches, as two hosts would.
/// </summary>
public sealed class StoreEngine : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private StoreEngine(ServiceProvider services, TestDatabase database)
    {
        _services = services;
        Database = database;
    }

    public TestDatabase Database { get; }
    public IServiceProvider Services => _services;
    public TenantProviderRegistry Registry => _services.GetRequiredService<TenantProviderRegistry>();
    public TenantDefinitionStore Definitions => _services.GetRequiredService<TenantDefinitionStore>();
    public EngineOverrideStore Overrides => _services.GetRequiredService<EngineOverrideStore>();
    public SyncRunner Syncs => _services.GetRequiredService<SyncRunner>();
    public IEngineConnections Connections => _services.GetRequiredService<IEngineConnections>();

    public static StoreEngine Create(TestDatabase database, IDictionary<string, ProviderDouble>? doubles = null, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?> { ["Engine:BackgroundRetries"] = "0" };
        foreach (var (key, provider) in doubles ?? new Dictionary<string, ProviderDouble>())
            values[$"Engine:OriginOverrides:{key}"] = provider.Origin.GetLeftPart(UriPartial.Authority);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddIntegrationHealthStore(database.Options);
        // One credential vault shared by every "process" of a test, as the encrypted store would be.
        services.AddSingleton<ICredentialVault>(SharedCredentials.For(database));
        services.AddDataProtection();
        configure?.Invoke(services); // before the engine's TryAdds: a test's TimeProvider, say
        services.AddEngine();
        return new StoreEngine(services.BuildServiceProvider(), database);
    }

    /// <summary>Creates a tenant (and its account) and returns their ids.</summary>
    public async Task<(int TenantId, int AccountId)> TenantAsync(string key)
    {
        await using var db = Database.CreateContext();
        var tenant = new Tenant { Key = key, Name = key, CreatedAt = DateTime.UtcNow };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        var account = new Account { TenantId = tenant.Id, ExternalId = $"{key}-acct", Name = "Account", CreatedAt = DateTime.UtcNow };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        return (tenant.Id, account.Id);
    }

    public async Task<int> AccountAsync(int tenantId, string externalId)
    {
        await using var db = Database.CreateContext();
        var account = new Account { TenantId = tenantId, ExternalId = externalId, Name = externalId, CreatedAt = DateTime.UtcNow };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        return account.Id;
    }

    /// <summary>A connection of the account to the provider key (the tenant's catalogue row, or the platform's), with
    /// an API-key style credential saved for it.</summary>
    public async Task<Connection> ConnectAsync(int tenantId, int accountId, string providerKey, string externalId, ConnectionCredentials credentials,
        string? values = null)
    {
        await using var db = Database.CreateContext();
        var provider = await db.Providers.AsNoTracking().Where(p => p.Key == providerKey && (p.TenantId == tenantId || p.TenantId == null))
            .OrderBy(p => p.TenantId == null).FirstAsync();
        var connection = new Connection
        {
            TenantId = tenantId, AccountId = accountId, ProviderId = provider.Id, ExternalId = externalId, AuthKind = AuthKind.ApiKey,
            Values = values, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        db.Connections.Add(connection);
        await db.SaveChangesAsync();
        await _services.GetRequiredService<ICredentialStore>().SaveAsync(StoreEngineConnections.CredentialKeyOf(tenantId, connection.Id), credentials);
        return connection;
    }

    /// <summary>Queues and runs one sync, as the job would.</summary>
    public async Task<SyncRun> SyncAsync(Connection connection, string resource, CancellationToken cancellationToken = default)
    {
        var run = await Syncs.QueueAsync(connection.TenantId, connection.Id, resource, "api", cancellationToken);
        return await Syncs.RunAsync(run.Id, cancellationToken);
    }

    public async Task<List<CachedRecord>> RecordsAsync(int connectionId)
    {
        await using var db = Database.CreateContext();
        return await db.CachedRecords.AsNoTracking().Where(r => r.ConnectionId == connectionId).OrderBy(r => r.Id).ToListAsync();
    }

    public async Task<IReadOnlyList<TelemetryEvent>> TelemetryAsync(int tenantId)
    {
        await _services.GetRequiredService<BatchingTelemetryWriter>().FlushAsync();
        await using var db = Database.CreateContext();
        return await db.TelemetryEvents.AsNoTracking().Where(e => e.TenantId == tenantId).ToListAsync();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>One in-memory credential vault per test database, shared by the "processes" of a test.</summary>
internal static class SharedCredentials
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TestDatabase, InMemoryCredentialStore> Stores = [];

    public static ICredentialVault For(TestDatabase database) => Stores.GetValue(database, _ => new InMemoryCredentialStore());
}
