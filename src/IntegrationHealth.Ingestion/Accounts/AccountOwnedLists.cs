using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Ingestion.Providers;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Ingestion.Accounts;

/// <summary>A row read with the external id of its account (what list views show instead of the row id).</summary>
public sealed class AccountOwnedRow<TEntity>
{
    public required TEntity Row { get; init; }
    public required string Account { get; init; }
}

/// <summary>
/// The list endpoints of rows that belong to an account (connections, support tickets, survey responses, and every
/// such list to come): the caller's tenant only, optionally one account (<c>?account=</c>), keyset-paged by row id,
/// each row with its account's external id. One query per page plus the account lookup; provider keys come from the
/// tenant's cached catalogue, reloaded when the page names a provider it lacks (one another process just registered).
/// </summary>
public static class AccountOwnedLists
{
    /// <summary>Answers one page of <paramref name="rows"/> as views made by <paramref name="view"/>;
    /// <paramref name="providerOf"/> names the provider row id of a row that has one.</summary>
    public static async Task<Results<Ok<Page<TView>>, ProblemHttpResult>> ListAsync<TEntity, TView>(
        HttpContext context, IngestionServices services, string? account, int? limit, string? cursor,
        Func<IntegrationHealthDbContext, IQueryable<TEntity>> rows,
        Func<AccountOwnedRow<TEntity>, ProviderCatalog.Snapshot, TView> view, Func<TEntity, int?>? providerOf = null)
        where TEntity : class, IAccountOwned
    {
        if (Paging.TryParse(limit, cursor, out var page) is { } problem) return problem;
        // A control character reaches no row (and PostgreSQL text cannot even hold NUL): refuse it before querying.
        if (account is not null && TextRules.IdentifierProblem(nameof(account), account) is { } invalid)
            return Problems.BadRequest(invalid, field: nameof(account));
        var tenantId = context.User.GetTenantId();
        var ct = context.RequestAborted;
        await using var db = await services.DbFactory.CreateDbContextAsync(ct);
        var accountId = await AccountFilter.ResolveAsync(db, tenantId, account, ct);
        if (accountId == AccountFilter.NotFound) return Problems.NotFound($"No account '{account}'.");

        var query = from r in rows(db).AsNoTracking()
                    join a in db.Accounts.AsNoTracking() on r.AccountId equals a.Id
                    where r.TenantId == tenantId && (accountId == null || r.AccountId == accountId)
                    select new AccountOwnedRow<TEntity> { Row = r, Account = a.ExternalId };
        var found = await query.ToPageAsync(page, r => r.Row.Id, r => r, ct);
        var providerIds = providerOf is null ? [] : found.Items.Select(r => providerOf(r.Row)).OfType<int>().Distinct().ToList();
        var catalogue = await services.Providers.GetWithIdsAsync(tenantId, providerIds, ct);
        return TypedResults.Ok(new Page<TView>([.. found.Items.Select(r => view(r, catalogue))], found.NextCursor));
    }
}

/// <summary>The optional <c>?account=</c> filter of list endpoints, resolved within the caller's tenant.</summary>
public static class AccountFilter
{
    /// <summary>Returned when the external id names no account of this tenant (another tenant's id included).</summary>
    public const int NotFound = -1;

    /// <summary>The account's row id; null when no filter was given; <see cref="NotFound"/> when unknown.</summary>
    public static async Task<int?> ResolveAsync(IntegrationHealthDbContext db, int tenantId, string? externalId, CancellationToken ct)
    {
        if (externalId is null) return null;
        var id = await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == tenantId && a.ExternalId == externalId)
            .Select(a => (int?)a.Id)
            .FirstOrDefaultAsync(ct);
        return id ?? NotFound;
    }
}
