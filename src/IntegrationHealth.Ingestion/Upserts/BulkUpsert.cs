using IntegrationHealth.Data;
using IntegrationHealth.Data.Catalogue;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Ingestion.Providers;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Ingestion.Upserts;

/// <summary>Answer of a bulk upsert.</summary>
public sealed record UpsertResult(int Inserted, int Updated);

/// <summary>A validated item of an upsert batch: its position in the batch and the external id it is upserted by.</summary>
public interface IUpsertItem
{
    int Index { get; }
    string ExternalId { get; }
}

/// <summary>An upsert item that belongs to one of the tenant's accounts, named by its external id.</summary>
public interface IAccountItem : IUpsertItem
{
    string Account { get; }
}

/// <summary>What an upsert's apply step works with, inside the batch's one transaction.</summary>
public sealed record UpsertScope(
    IntegrationHealthDbContext Db, int TenantId, BatchErrors Errors, DateTime NowUtc, ProviderCatalog Providers, IngestionOptions Options)
{
    /// <summary>Set when the apply step registered providers for the tenant (in the batch's transaction), so the cached
    /// catalogue is refreshed once the batch commits.</summary>
    public bool RegisteredProviders { get; set; }
}

/// <summary>
/// One kind of bulk upsert, as data: what it is called in messages, the properties an item may have, how an item is
/// read (strictly, recording errors by index and field) and how the valid items are applied. The request handling
/// around it (<see cref="BulkUpsert.HandleAsync{TItem}"/>) is the same for every kind. <see cref="IdField"/> is the
/// property the items are upserted by (<see cref="IUpsertItem.ExternalId"/>), named in duplicate-id errors.
/// </summary>
public sealed record UpsertDefinition<TItem>(
    string What, string[] Fields, Func<ItemReader, DateTime, TItem?> Read,
    Func<UpsertScope, IReadOnlyList<TItem>, CancellationToken, Task<UpsertOutcome>> Apply, string IdField = "externalId")
    where TItem : class, IUpsertItem;

/// <summary>The shared halves of every bulk upsert: the endpoint handler, account resolution, and insert-or-update by external id.</summary>
public static class BulkUpsert
{
    /// <summary>Reads the batch strictly, then applies it in one transaction (retried on write conflicts): all or nothing.</summary>
    public static async Task<Results<Ok<UpsertResult>, ProblemHttpResult>> HandleAsync<TItem>(
        HttpContext context, IngestionServices services, UpsertDefinition<TItem> definition)
        where TItem : class, IUpsertItem
    {
        var tenantId = context.User.GetTenantId();
        var latest = services.LatestAcceptedUtc;
        var request = await UpsertRequest.ReadAsync(context, services.Limits, definition.What, definition.Fields,
            r => definition.Read(r, latest), i => i.ExternalId, definition.IdField);
        if (request.Problem is { } problem)
        {
            IngestionLog.BatchRejected(services.Logger, tenantId, 0, definition.What + "s", 1);
            return problem;
        }
        var items = request.Items!;
        if (items.Count == 0) return TypedResults.Ok(new UpsertResult(0, 0));

        var now = services.Time.GetUtcNow().UtcDateTime;
        var registered = false;
        var outcome = await UpsertRunner.RunAsync(services.DbFactory, services.StoreRetry, services.Logger, definition.What,
            async (db, ct) =>
            {
                var scope = new UpsertScope(db, tenantId, new BatchErrors(services.Limits.MaxReportedErrors), now, services.Providers, services.Limits);
                var attempt = await definition.Apply(scope, items, ct);
                registered = scope.RegisteredProviders;
                return attempt;
            },
            context.RequestAborted);
        // After the commit (or the rollback): the cached catalogue must not hold rows of a batch that may not commit.
        if (registered) services.Providers.Invalidate(tenantId);
        if (outcome.Errors is { Any: true } errors)
        {
            IngestionLog.BatchRejected(services.Logger, tenantId, items.Count, definition.What + "s", errors.Count);
            return Problems.InvalidBatch(errors, definition.What);
        }
        var result = outcome.Result!;
        IngestionLog.Upserted(services.Logger, tenantId, definition.What + "s", result.Inserted, result.Updated);
        return TypedResults.Ok(result);
    }

    /// <summary>
    /// The row ids of the accounts the items name, by external id, within the tenant; records "Unknown account" for each
    /// item whose account the tenant does not have (another tenant's account included).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> ResolveAccountsAsync<TItem>(
        UpsertScope scope, IReadOnlyList<TItem> items, CancellationToken cancellationToken)
        where TItem : IAccountItem
    {
        var keys = items.Select(i => i.Account).Distinct().ToList();
        var tenantId = scope.TenantId;
        var accounts = await scope.Db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == tenantId && keys.Contains(a.ExternalId))
            .Select(a => new { a.Id, a.ExternalId })
            .ToDictionaryAsync(a => a.ExternalId, a => a.Id, StringComparer.Ordinal, cancellationToken);
        foreach (var item in items)
        {
            if (!accounts.ContainsKey(item.Account)) scope.Errors.Add(item.Index, "account", $"Unknown account '{item.Account}'.");
        }
        return accounts;
    }

    /// <summary>
    /// The tenant's provider catalogue, reloaded first if an item names a provider it lacks (so one added meanwhile is
    /// not called unknown). Keys it still lacks are refused, or, under <c>Ingestion:UnknownProviders=register</c> and
    /// when the batch has no other error so far, registered for the tenant inside the batch's transaction (so they
    /// commit or roll back with it); records a "provider" error for each item whose provider (from
    /// <paramref name="providerOf"/>; null means none given) is refused. Call it after the checks whose errors should
    /// keep a batch from registering anything (e.g. <see cref="ResolveAccountsAsync{TItem}"/>).
    /// </summary>
    public static async Task<ProviderCatalog.Snapshot> ResolveProvidersAsync<TItem>(
        UpsertScope scope, IReadOnlyList<TItem> items, Func<TItem, string?> providerOf, CancellationToken cancellationToken)
        where TItem : IUpsertItem
    {
        var keys = items.Select(providerOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var catalogue = await scope.Providers.GetAsync(scope.TenantId, keys, cancellationToken);
        var plan = UnknownProviderPlan.For(keys.Where(k => !catalogue.IdsByKey.ContainsKey(k)), catalogue, scope.Options);
        if (plan.ToRegister.Count > 0 && !scope.Errors.Any && plan.Refusals.Count == 0)
        {
            var registered = await ProviderRegistration.RegisterAsync(scope.Db, scope.TenantId, plan.ToRegister, cancellationToken);
            catalogue = catalogue.With(registered);
            scope.RegisteredProviders = true;
        }
        var deferred = scope.Errors.Any || plan.Refusals.Count > 0;
        foreach (var item in items)
        {
            if (providerOf(item) is not { } key || catalogue.IdsByKey.ContainsKey(key)) continue;
            // A key left for registration in a batch rejected anyway is not reported: it would have been registered.
            if (deferred && plan.ToRegister.Contains(key)) continue;
            scope.Errors.Add(item.Index, "provider", plan.MessageFor(key));
        }
        return catalogue;
    }

    /// <summary>
    /// Inserts the items whose external id the tenant does not have yet (made by <paramref name="create"/>), updates the
    /// others, applying <paramref name="apply"/> to both, and saves: one query to find the existing rows, one save.
    /// </summary>
    public static async Task<UpsertOutcome> SaveAsync<TEntity, TItem>(
        UpsertScope scope, IReadOnlyList<TItem> items, Func<TItem, TEntity> create, Action<TEntity, TItem> apply,
        CancellationToken cancellationToken)
        where TEntity : class, ITenantKeyed
        where TItem : IUpsertItem
    {
        var ids = items.Select(i => i.ExternalId).ToList();
        var tenantId = scope.TenantId;
        var set = scope.Db.Set<TEntity>();
        var existing = await set
            .Where(e => e.TenantId == tenantId && ids.Contains(e.ExternalId))
            .ToDictionaryAsync(e => e.ExternalId, StringComparer.Ordinal, cancellationToken);
        int inserted = 0, updated = 0;
        foreach (var item in items)
        {
            if (existing.TryGetValue(item.ExternalId, out var entity))
            {
                updated++;
            }
            else
            {
                entity = create(item);
                entity.TenantId = tenantId;
                entity.ExternalId = item.ExternalId;
                set.Add(entity);
                inserted++;
            }
            apply(entity, item);
        }
        await scope.Db.SaveChangesAsync(cancellationToken);
        return new UpsertOutcome(new UpsertResult(inserted, updated), null);
    }
}
