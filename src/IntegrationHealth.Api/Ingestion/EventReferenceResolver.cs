using IntegrationHealth.Api.Contracts;
using IntegrationHealth.Data;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Ingestion;

/// <summary>
/// Turns the external ids of a parsed batch (account, provider key, connection) into row ids, in bulk: one query for
/// the batch's distinct accounts, one for the connections involved, and the cached provider catalogue. Every lookup is
/// filtered by the caller's tenant, so another tenant's external id behaves exactly like an unknown one.
/// </summary>
public sealed class EventReferenceResolver(IDbContextFactory<IntegrationHealthDbContext> dbFactory, ProviderCatalog providers)
{
    /// <summary>Fills tenant, account, provider and connection ids on every event; records an error per unresolved reference.</summary>
    public async Task ResolveAsync(int tenantId, ParsedBatch batch, BatchErrors errors, CancellationToken cancellationToken)
    {
        var refs = batch.References;
        if (refs.Count == 0) return;

        var accountKeys = new HashSet<string>(StringComparer.Ordinal);
        var providerKeys = new HashSet<string>(StringComparer.Ordinal);
        var connectionKeys = new HashSet<string>(StringComparer.Ordinal);
        var needsDefaultConnection = false;
        foreach (var r in refs)
        {
            accountKeys.Add(r.Account);
            providerKeys.Add(r.Provider);
            if (r.Connection is { } c) connectionKeys.Add(c);
            else needsDefaultConnection = true;
        }

        var catalogue = await providers.GetAsync(providerKeys, cancellationToken);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accountKeyList = accountKeys.ToList();
        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == tenantId && accountKeyList.Contains(a.ExternalId))
            .Select(a => new { a.Id, a.ExternalId })
            .ToDictionaryAsync(a => a.ExternalId, a => a.Id, StringComparer.Ordinal, cancellationToken);

        List<ConnectionRow> connections = [];
        if (connectionKeys.Count > 0 || (needsDefaultConnection && accounts.Count > 0))
        {
            var connectionKeyList = connectionKeys.ToList();
            var accountIds = needsDefaultConnection ? accounts.Values.ToList() : [];
            connections = await db.Connections.AsNoTracking()
                .Where(c => c.TenantId == tenantId && (connectionKeyList.Contains(c.ExternalId) || accountIds.Contains(c.AccountId)))
                .Select(c => new ConnectionRow(c.Id, c.ExternalId, c.AccountId, c.ProviderId))
                .ToListAsync(cancellationToken);
        }

        var connectionsByKey = new Dictionary<string, ConnectionRow>(StringComparer.Ordinal);
        // (account, provider) -> the single connection, or -1 when the pair has several (then none is implied).
        var defaultConnection = new Dictionary<(int Account, int Provider), int>();
        foreach (var c in connections)
        {
            connectionsByKey[c.ExternalId] = c;
            var pair = (c.AccountId, c.ProviderId);
            defaultConnection[pair] = defaultConnection.ContainsKey(pair) ? -1 : c.Id;
        }

        for (var i = 0; i < refs.Count; i++)
        {
            var r = refs[i];
            var ev = r.Event;
            ev.TenantId = tenantId;
            var ok = true;
            if (accounts.TryGetValue(r.Account, out var accountId)) ev.AccountId = accountId;
            else { errors.Add(r.Index, "account", $"Unknown account '{r.Account}'; create it first with POST /v1/accounts."); ok = false; }
            if (catalogue.IdsByKey.TryGetValue(r.Provider, out var providerId)) ev.ProviderId = providerId;
            else { errors.Add(r.Index, "provider", $"Unknown provider '{r.Provider}'; see GET /v1/providers."); ok = false; }
            if (!ok) continue;

            if (r.Connection is { } connectionKey)
            {
                if (!connectionsByKey.TryGetValue(connectionKey, out var connection))
                    errors.Add(r.Index, "connection", $"Unknown connection '{connectionKey}'; create it first with POST /v1/connections.");
                else if (connection.AccountId != accountId || connection.ProviderId != providerId)
                    errors.Add(r.Index, "connection", $"Connection '{connectionKey}' belongs to another account or provider.");
                else
                    ev.ConnectionId = connection.Id;
            }
            else if (defaultConnection.TryGetValue((accountId, providerId), out var implied) && implied > 0)
            {
                ev.ConnectionId = implied;
            }
        }
    }

    private readonly record struct ConnectionRow(int Id, string ExternalId, int AccountId, int ProviderId);
}
