using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Analytics.Migration;

/// <summary>An account's tier with what decided it.</summary>
public sealed record AccountTierView(string Account, string Name, decimal Arr, int Tier, string Complexity, bool NegotiateScope, string Reason,
    int CustomFields, int DistinctEndpoints, bool Bidirectional, int ActiveFlows, string? Csm);

/// <summary>
/// The data layer of the decision matrix: per account and provider, over the last <see cref="Window"/> of telemetry,
/// the distinct endpoint templates called, whether anything was written (POST, PUT, PATCH, DELETE: bidirectional),
/// the distinct resources synced (active flows), the distinct fields named by mapping failures (custom fields: the
/// ones that break are the custom ones a migration must carry), and the distinct resources receiving webhooks.
/// Each is one <c>SELECT DISTINCT</c> over narrow columns.
/// </summary>
public sealed class MigrationInventory(IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    private sealed record PairCounts(int Endpoints, bool Writes, int Flows, int Fields, int WebhookConsumers);

    public async Task<(List<AccountTierView> Tiers, List<InventoryRow> Rows)> BuildAsync(int tenantId, CancellationToken cancellationToken)
    {
        var from = time.GetUtcNow().UtcDateTime - Window;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = db.TelemetryEvents.AsNoTracking().Where(e => e.TenantId == tenantId && e.OccurredAt >= from);
        var endpoints = await events.Where(e => e.Kind == TelemetryKind.Request && e.EndpointId != null)
            .Select(e => new { e.AccountId, e.ProviderId, e.EndpointId }).Distinct().ToListAsync(cancellationToken);
        var writes = await events.Where(e => e.Kind == TelemetryKind.Request && (e.Method == HttpMethodCode.Post || e.Method == HttpMethodCode.Put
                || e.Method == HttpMethodCode.Patch || e.Method == HttpMethodCode.Delete))
            .Select(e => new { e.AccountId, e.ProviderId }).Distinct().ToListAsync(cancellationToken);
        var flows = await events.Where(e => e.Kind == TelemetryKind.SyncRun && e.Resource != null)
            .Select(e => new { e.AccountId, e.ProviderId, e.Resource }).Distinct().ToListAsync(cancellationToken);
        var hooks = await events.Where(e => e.Kind == TelemetryKind.WebhookDelivery)
            .Select(e => new { e.AccountId, e.ProviderId, e.Resource }).Distinct().ToListAsync(cancellationToken);
        var fields = await (from d in db.TelemetryEventDetails
                            join e in events on new { d.TenantId, Id = d.EventId } equals new { e.TenantId, e.Id }
                            where d.Field != null
                            select new { e.AccountId, e.ProviderId, d.Field }).Distinct().ToListAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenantId && a.ChurnedAt == null).ToListAsync(cancellationToken);
        var connections = await (from c in db.Connections.AsNoTracking()
                                 join p in db.Providers on c.ProviderId equals p.Id
                                 where c.TenantId == tenantId
                                 select new { c.AccountId, c.ProviderId, ProviderKey = p.Key, c.AuthKind, c.LastSyncAt, c.Status }).ToListAsync(cancellationToken);

        PairCounts Counts(int account, int provider) => new(
            endpoints.Count(x => x.AccountId == account && x.ProviderId == provider),
            writes.Any(x => x.AccountId == account && x.ProviderId == provider),
            flows.Count(x => x.AccountId == account && x.ProviderId == provider),
            fields.Count(x => x.AccountId == account && x.ProviderId == provider),
            hooks.Count(x => x.AccountId == account && x.ProviderId == provider));

        var tiers = new List<AccountTierView>();
        var rows = new List<InventoryRow>();
        var byAccount = connections.ToLookup(c => c.AccountId);
        foreach (var account in accounts)
        {
            var perConnection = byAccount[account.Id].Select(c => (Connection: c, Counts: Counts(account.Id, c.ProviderId))).ToList();
            var inputs = new ComplexityInputs(perConnection.Sum(x => x.Counts.Fields), perConnection.Sum(x => x.Counts.Endpoints),
                perConnection.Any(x => x.Counts.Writes), perConnection.Sum(x => x.Counts.Flows));
            var decision = MigrationTiers.Decide(account.Arr, inputs);
            tiers.Add(new AccountTierView(account.ExternalId, account.Name, account.Arr, (int)decision.Tier,
                decision.Complexity.ToString().ToLowerInvariant(), decision.NegotiateScope, decision.Reason, inputs.CustomFields,
                inputs.DistinctEndpoints, inputs.Bidirectional, inputs.ActiveFlows, account.Csm));
            foreach (var (c, counts) in perConnection)
            {
                rows.Add(new InventoryRow(account.ExternalId, account.Name, account.Arr, decision.Tier, c.ProviderKey, null,
                    WireNames.Of(c.AuthKind), counts.Flows, counts.Fields, counts.Writes, counts.WebhookConsumers,
                    c.LastSyncAt is { } s ? DateTime.SpecifyKind(s, DateTimeKind.Utc) : null, "not started", account.Csm,
                    decision.NegotiateScope ? "negotiate scope" : c.Status == ConnectionStatus.NeedsReauth ? "needs re-authorisation" : null));
            }
        }
        return ([.. tiers.OrderByDescending(t => t.Arr).ThenBy(t => t.Account, StringComparer.Ordinal)], rows);
    }
}
