using IntegrationHealth.Data;
using IntegrationHealth.Data.Catalogue;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Ingestion.Providers;
using IntegrationHealth.Web.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Ingestion.Events;

/// <summary>
/// Turns the external ids of a parsed batch (account, provider key, connection) into row ids, in bulk: the batch's
/// distinct accounts and their connections come from <see cref="ReferenceCache"/> or, for what it lacks, from one query
/// each; providers from the tenant's cached catalogue, where a key it lacks is refused or, under
/// <c>Ingestion:UnknownProviders=register</c>, registered for the tenant (only when the batch is otherwise valid, so a
/// rejected batch registers nothing). Every lookup is filtered by the caller's tenant, so another tenant's external id
/// or provider key behaves exactly like an unknown one. Last, for a valid batch, endpoint route templates are interned
/// (<see cref="EndpointTemplates"/>, through <see cref="EndpointTemplateCache"/>).
/// </summary>
public sealed class EventReferenceResolver(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory, ProviderCatalog providers, ReferenceCache cache,
    EndpointTemplateCache endpoints, IOptions<IngestionOptions> options, ILogger<EventReferenceResolver> logger)
{
    /// <summary>Fills tenant, account, provider and connection ids on every event; records an error per unresolved reference.</summary>
    public async Task ResolveAsync(int tenantId, ParsedBatch batch, BatchErrors errors, CancellationToken cancellationToken)
    {
        var refs = batch.References;
        if (refs.Count == 0) return;

        var accountIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var providerKeys = new HashSet<string>(StringComparer.Ordinal);
        HashSet<string>? missing = null;
        foreach (var r in refs)
        {
            providerKeys.Add(r.Provider);
            if (accountIds.ContainsKey(r.Account) || (missing?.Contains(r.Account) ?? false)) continue;
            if (cache.TryGetAccount(tenantId, r.Account, out var id)) accountIds[r.Account] = id;
            else (missing ??= new HashSet<string>(StringComparer.Ordinal)).Add(r.Account);
        }
        var catalogue = await providers.GetAsync(tenantId, providerKeys, cancellationToken);

        IntegrationHealthDbContext? db = null;
        try
        {
            if (missing is not null)
            {
                var missingAccounts = missing.ToList();
                db ??= await dbFactory.CreateDbContextAsync(cancellationToken);
                var found = await db.Accounts.AsNoTracking()
                    .Where(a => a.TenantId == tenantId && EF.Parameter(missingAccounts).Contains(a.ExternalId))
                    .Select(a => new { a.Id, a.ExternalId })
                    .ToListAsync(cancellationToken);
                foreach (var a in found)
                {
                    accountIds[a.ExternalId] = a.Id;
                    cache.SetAccount(tenantId, a.ExternalId, a.Id);
                }
            }

            // Keys the catalogue lacks: refused, or registered for the tenant on first sight.
            var plan = UnknownProviderPlan.For(providerKeys.Where(k => !catalogue.IdsByKey.ContainsKey(k)), catalogue, options.Value);
            var deferred = false;
            if (plan.ToRegister.Count > 0)
            {
                deferred = errors.Any || plan.Refusals.Count > 0 || refs.Any(r => !accountIds.ContainsKey(r.Account));
                if (!deferred)
                {
                    db ??= await dbFactory.CreateDbContextAsync(cancellationToken);
                    var registered = await ProviderRegistration.RegisterAsync(db, tenantId, plan.ToRegister, cancellationToken);
                    catalogue = providers.Remember(tenantId, catalogue, registered);
                    IngestionLog.ProvidersRegistered(logger, tenantId, registered.Count, "events");
                }
            }
            // A key left for registration in a batch rejected anyway is not reported: it would have been registered.
            string? ProviderError(string key) => deferred && plan.ToRegister.Contains(key) ? null : plan.MessageFor(key);

            var connections = new Dictionary<int, ConnectionRef[]>();
            List<int>? uncached = null;
            foreach (var id in accountIds.Values)
            {
                if (cache.TryGetConnections(tenantId, id, out var list)) connections[id] = list;
                else (uncached ??= []).Add(id);
            }
            if (uncached is not null)
            {
                db ??= await dbFactory.CreateDbContextAsync(cancellationToken);
                await LoadConnectionsAsync(db, tenantId, uncached, connections, cancellationToken);
            }

            // First pass; connections named but not in a (possibly stale) cached list are re-read once, then checked again.
            var unresolved = Assign(tenantId, refs, accountIds, catalogue, ProviderError, connections, errors, final: false);
            if (unresolved is not null)
            {
                db ??= await dbFactory.CreateDbContextAsync(cancellationToken);
                await LoadConnectionsAsync(db, tenantId, [.. unresolved], connections, cancellationToken);
                Assign(tenantId, refs, accountIds, catalogue, ProviderError, connections, errors, final: true);
            }

            if (!errors.Any) db = await InternEndpointsAsync(tenantId, refs, db, cancellationToken);
        }
        finally
        {
            if (db is not null) await db.DisposeAsync();
        }
    }

    /// <summary>Sets <see cref="Data.Entities.TelemetryEvent.EndpointId"/> on events naming a route template (provider
    /// ids are resolved); returns the context, created if the store had to be asked.</summary>
    private async Task<IntegrationHealthDbContext?> InternEndpointsAsync(int tenantId, List<EventReferences> refs,
        IntegrationHealthDbContext? db, CancellationToken cancellationToken)
    {
        HashSet<(int ProviderId, string Template)>? missing = null;
        foreach (var r in refs)
        {
            if (r.Endpoint is not { } template) continue;
            if (endpoints.TryGet(tenantId, r.Event.ProviderId, template, out var id)) r.Event.EndpointId = id;
            else (missing ??= []).Add((r.Event.ProviderId, template));
        }
        if (missing is null) return db;

        db ??= await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await EndpointTemplates.InternAsync(db, tenantId, missing, cancellationToken);
        foreach (var ((providerId, template), id) in ids) endpoints.Set(tenantId, providerId, template, id);
        foreach (var r in refs)
        {
            if (r.Endpoint is not { } template || r.Event.EndpointId is not null) continue;
            // Interning stores every template it is given; a miss here means the row vanished (its provider or tenant
            // deleted) while the batch was being written, and the batch must not be stored with its endpoint lost.
            r.Event.EndpointId = ids.TryGetValue((r.Event.ProviderId, template), out var id)
                ? id
                : throw new InvalidOperationException($"Endpoint template of event {r.Index} was not interned.");
        }
        return db;
    }

    private async Task LoadConnectionsAsync(IntegrationHealthDbContext db, int tenantId, List<int> accountIds,
        Dictionary<int, ConnectionRef[]> into, CancellationToken cancellationToken)
    {
        var rows = await db.Connections.AsNoTracking()
            .Where(c => c.TenantId == tenantId && EF.Parameter(accountIds).Contains(c.AccountId))
            .Select(c => new { c.AccountId, c.Id, c.ExternalId, c.ProviderId })
            .ToListAsync(cancellationToken);
        var byAccount = rows.ToLookup(r => r.AccountId, r => new ConnectionRef(r.Id, r.ExternalId, r.ProviderId));
        foreach (var accountId in accountIds)
        {
            var list = byAccount[accountId].ToArray();
            into[accountId] = list;
            cache.SetConnections(tenantId, accountId, list);
        }
    }

    /// <summary>Sets ids on the events. Returns the accounts whose named connection was not found (first pass only).</summary>
    private static HashSet<int>? Assign(int tenantId, List<EventReferences> refs, Dictionary<string, int> accountIds,
        ProviderCatalog.Snapshot catalogue, Func<string, string?> providerError, Dictionary<int, ConnectionRef[]> connections,
        BatchErrors errors, bool final)
    {
        HashSet<int>? unresolved = null;
        foreach (var r in refs)
        {
            var ev = r.Event;
            ev.TenantId = tenantId;
            var known = accountIds.TryGetValue(r.Account, out var accountId);
            var provided = catalogue.IdsByKey.TryGetValue(r.Provider, out var providerId);
            if (!final)
            {
                if (!known) errors.Add(r.Index, "account", $"Unknown account '{r.Account}'; create it first with POST /v1/accounts.");
                if (!provided && providerError(r.Provider) is { } message) errors.Add(r.Index, "provider", message);
            }
            if (!known || !provided) continue;
            ev.AccountId = accountId;
            ev.ProviderId = providerId;

            var list = connections.GetValueOrDefault(accountId) ?? [];
            if (r.Connection is { } key)
            {
                var match = -1;
                for (var i = 0; i < list.Length && match < 0; i++)
                {
                    if (list[i].ExternalId == key) match = i;
                }
                if (match >= 0 && list[match].ProviderId == providerId) ev.ConnectionId = list[match].Id;
                else if (match >= 0)
                {
                    if (!final) errors.Add(r.Index, "connection", $"Connection '{key}' is not a '{r.Provider}' connection.");
                }
                else if (!final) (unresolved ??= []).Add(accountId);
                else errors.Add(r.Index, "connection", $"Unknown connection '{key}' for account '{r.Account}'; create it first with POST /v1/connections.");
            }
            else if (!final)
            {
                // Implied connection: the account's only connection to this provider, if exactly one.
                int? implied = null;
                var count = 0;
                foreach (var c in list)
                {
                    if (c.ProviderId != providerId) continue;
                    implied = c.Id;
                    count++;
                }
                ev.ConnectionId = count == 1 ? implied : null;
            }
        }
        return unresolved;
    }
}
