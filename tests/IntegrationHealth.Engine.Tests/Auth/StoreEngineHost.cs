using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Telemetry;
using IntegrationHealth.Web.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Testing;

namespace IntegrationHealth.Engine.Tests.Auth;

/// <summary>
/// One engine "process" on a real store: its own service provider (own HTTP clients, own in-process locks, own Data
/// Protection key ring cache, own telemetry writer) over a shared database, as a separate API or jobs process would
/// be. Two of these on one PostgreSQL share nothing but the database, which is what single flight must hold across.
/// </summary>
public sealed class StoreEngineHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private StoreEngineHost(ServiceProvider services, FakeLogCollector logs)
    {
        _services = services;
        Logs = logs;
    }

    public IServiceProvider Services => _services;
    public FakeLogCollector Logs { get; }
    public OperationExecutor Executor => _services.GetRequiredService<OperationExecutor>();
    public ICredentialVault Vault => _services.GetRequiredService<ICredentialVault>();
    public IEngineConnections Connections => _services.GetRequiredService<IEngineConnections>();

    public static StoreEngineHost Create(TestDatabase database, Uri oauthOrigin, IDictionary<string, string?>? settings = null) =>
        Create(database.Options, oauthOrigin, settings);

    /// <summary>A host over the store <paramref name="store"/> names (another OS process's, in the two-process test).</summary>
    public static StoreEngineHost Create(DatabaseOptions store, Uri oauthOrigin, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Database:Provider"] = store.Provider,
            ["Database:ConnectionString"] = store.ConnectionString,
            [$"Engine:OriginOverrides:{OAuthTestDefinitions.Key}"] = oauthOrigin.GetLeftPart(UriPartial.Authority),
            ["Engine:Credentials:TokenRetryBaseDelay"] = "00:00:00.010",
            ["Engine:Credentials:MaxTokenRetryDelay"] = "00:00:00.050",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton(TimeProvider.System);
        services.AddIntegrationHealthStore(store);
        services.AddStoreDataProtection(configuration);
        services.AddSingleton<IProviderDefinitionSource, OAuthTestDefinitions>();
        services.AddEngine();
        return new StoreEngineHost(services.BuildServiceProvider(), logs);
    }

    /// <summary>Tenant, account, provider row and connection <paramref name="externalId"/>; the connection's store id.</summary>
    public static async Task<int> SeedConnectionAsync(TestDatabase database, string externalId = "conn-1", string tenantKey = "acme")
    {
        await using var db = database.CreateContext();
        var now = DateTime.UtcNow;
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Key == tenantKey) ?? db.Tenants.Add(new Tenant { Key = tenantKey, Name = tenantKey, CreatedAt = now }).Entity;
        await db.SaveChangesAsync();
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.TenantId == tenant.Id && a.ExternalId == "acct-1")
            ?? db.Accounts.Add(new Account { TenantId = tenant.Id, ExternalId = "acct-1", Name = "Account 1", CreatedAt = now }).Entity;
        var provider = await db.Providers.FirstOrDefaultAsync(p => p.Key == OAuthTestDefinitions.Key)
            ?? db.Providers.Add(new Provider { Key = OAuthTestDefinitions.Key, Name = "OAuth test" }).Entity;
        await db.SaveChangesAsync();
        var connection = new Connection
        {
            TenantId = tenant.Id, AccountId = account.Id, ProviderId = provider.Id, ExternalId = externalId,
            Status = ConnectionStatus.Active, AuthKind = AuthKind.OAuth2, CreatedAt = now, UpdatedAt = now,
        };
        db.Connections.Add(connection);
        await db.SaveChangesAsync();
        return connection.Id;
    }

    /// <summary>The connection resolved as the API would resolve it.</summary>
    public async Task<ResolvedConnection> ResolveAsync(int tenantId, string externalId = "conn-1")
    {
        var (resolution, connection) = await Connections.FindAsync(tenantId, externalId);
        Assert.Equal(ConnectionResolution.Found, resolution);
        return connection!;
    }

    /// <summary>Every record of the connection's <c>items</c>.</summary>
    public async Task<int> ListItemsAsync(ResolvedConnection connection)
    {
        var count = 0;
        await foreach (var page in Executor.ListAsync(connection.Provider, connection.Engine, "items")) count += page.Records.Count;
        return count;
    }

    public Task FlushTelemetryAsync() => _services.GetRequiredService<BatchingTelemetryWriter>().FlushAsync();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
