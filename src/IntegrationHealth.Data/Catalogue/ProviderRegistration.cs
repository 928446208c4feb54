using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Data.Catalogue;

/// <summary>
/// Registers providers for a tenant "on first sight": each key the tenant has no row for becomes one of its own
/// providers, named after its key, unless it is a platform key. Safe when several writers register the same keys at once.
/// </summary>
/// <remarks>
/// One <c>INSERT … ON CONFLICT DO NOTHING</c> per key (the same SQL on SQLite and PostgreSQL), then one query for the
/// rows: a writer racing another on the same key waits for the other's uncommitted row (PostgreSQL) or for the file's
/// write lock (SQLite), skips the key, and then reads the other's row, so both end up with the same id. Keys are
/// inserted in ordinal order, so two writers registering overlapping sets inside longer transactions take their index
/// locks in the same order. Runs in the caller's transaction when it has one (bulk upserts: the registration then
/// commits or rolls back with the batch); otherwise each statement commits on its own.
/// </remarks>
public static class ProviderRegistration
{
    /// <summary>Registers <paramref name="keys"/> for <paramref name="tenantId"/> where missing, and returns the tenant's own
    /// rows of those keys (new or already there). Platform keys are left alone and so are not in the answer.</summary>
    /// <param name="db">Context of the store; its transaction, if any, is used.</param>
    /// <param name="tenantId">The registering tenant.</param>
    /// <param name="keys">Provider keys, already checked by the caller (the store only bounds their length).</param>
    /// <param name="cancellationToken">Cancels the registration.</param>
    public static async Task<IReadOnlyList<Provider>> RegisterAsync(
        IntegrationHealthDbContext db, int tenantId, IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(keys);
        var sorted = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            return [];
        }

        foreach (var key in sorted)
        {
            // Without a conflict target: the (tenant_id, key) index is the one a tenant row can meet. The WHERE also
            // lets SQLite parse the ON CONFLICT clause after a SELECT.
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO providers (tenant_id, key, name)
                SELECT {tenantId}, {key}, {key}
                WHERE NOT EXISTS (SELECT 1 FROM providers WHERE tenant_id IS NULL AND key = {key})
                ON CONFLICT DO NOTHING
                """, cancellationToken).ConfigureAwait(false);
        }

        return await db.Providers.AsNoTracking()
            .Where(p => p.TenantId == tenantId && sorted.Contains(p.Key))
            .OrderBy(p => p.Key)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
