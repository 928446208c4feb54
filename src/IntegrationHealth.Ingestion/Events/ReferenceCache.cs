using Microsoft.Extensions.Caching.Memory;

namespace IntegrationHealth.Ingestion.Events;

/// <summary>A connection as the resolver needs it.</summary>
public readonly record struct ConnectionRef(int Id, string ExternalId, int ProviderId);

/// <summary>
/// In-memory lookups for the ingestion hot path: account external id → row id, and an account's connections. Only
/// found rows are cached; a miss always goes to the database, so a row created a moment ago (by any process) is found.
/// Account ids never change, so they are kept for minutes. Connection lists can change (a new connection, a connection
/// moved), so they are kept briefly and dropped at once when this process upserts connections for the tenant; a
/// connection named in an event but missing from the cached list is re-read before it is called unknown.
/// </summary>
public sealed class ReferenceCache(IMemoryCache cache)
{
    private static readonly TimeSpan AccountLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ConnectionLifetime = TimeSpan.FromSeconds(10);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _connectionGenerations = new();

    private readonly record struct AccountKey(int TenantId, string ExternalId);

    private readonly record struct ConnectionsKey(int TenantId, int Generation, int AccountId);

    public bool TryGetAccount(int tenantId, string externalId, out int accountId) =>
        cache.TryGetValue(new AccountKey(tenantId, externalId), out accountId);

    public void SetAccount(int tenantId, string externalId, int accountId) =>
        cache.Set(new AccountKey(tenantId, externalId), accountId, AccountLifetime);

    public bool TryGetConnections(int tenantId, int accountId, out ConnectionRef[] connections)
    {
        if (cache.TryGetValue(new ConnectionsKey(tenantId, Generation(tenantId), accountId), out ConnectionRef[]? found) && found is not null)
        {
            connections = found;
            return true;
        }
        connections = [];
        return false;
    }

    public void SetConnections(int tenantId, int accountId, ConnectionRef[] connections) =>
        cache.Set(new ConnectionsKey(tenantId, Generation(tenantId), accountId), connections, ConnectionLifetime);

    /// <summary>Forgets every cached connection list of the tenant (after its connections changed here).</summary>
    public void InvalidateConnections(int tenantId) => _connectionGenerations.AddOrUpdate(tenantId, 1, (_, g) => g + 1);

    private int Generation(int tenantId) => _connectionGenerations.GetValueOrDefault(tenantId);
}
