using System.Collections.Concurrent;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Ingestion.Providers;

/// <summary>
/// The providers each tenant may name, kept in memory: the platform catalogue plus the tenant's own registered
/// providers. Every event names its provider by key, and a database round trip per batch for rows that almost never
/// change would be waste. A tenant's view is loaded with one query on first use, reloaded after <see cref="MaxAge"/>,
/// or at once when a batch names a key (or a read meets an id) it lacks, at most once a second per tenant; providers
/// this process registers are added to it without a reload.
/// </summary>
/// <remarks>
/// Another tenant's providers are never in a tenant's view, so naming them behaves exactly like naming an unknown key.
/// One entry per tenant that has used this process, never evicted: a few hundred bytes per provider, and a tenant has
/// at most <see cref="IngestionOptions.MaxProvidersPerTenant"/> of its own.
/// </remarks>
public sealed class ProviderCatalog(IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MinReloadInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<int, TenantEntry> _tenants = new();

    /// <summary>An immutable view of the providers one tenant may name: the platform's and its own.</summary>
    public sealed class Snapshot
    {
        internal Snapshot(IReadOnlyList<Provider> providers, DateTimeOffset loadedAt)
        {
            All = [.. providers.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.TenantId is null ? 0 : 1)];
            LoadedAt = loadedAt;
            var idsByKey = new Dictionary<string, int>(StringComparer.Ordinal);
            var keysById = new Dictionary<int, string>();
            foreach (var p in All)
            {
                // A tenant's own row wins over a platform row of the same key. Tenants cannot register a platform key,
                // but the platform may add one later that a tenant registered first: its events keep going to its own
                // row, so its history is not split between two providers.
                if (p.TenantId is not null || !idsByKey.ContainsKey(p.Key)) idsByKey[p.Key] = p.Id;
                keysById[p.Id] = p.Key;
                if (p.TenantId is not null) OwnCount++;
            }
            IdsByKey = idsByKey;
            KeysById = keysById;
        }

        /// <summary>Every provider of the view, by key (platform before own on an equal key).</summary>
        public IReadOnlyList<Provider> All { get; }

        /// <summary>When the view was read from the store.</summary>
        public DateTimeOffset LoadedAt { get; }

        /// <summary>Provider row id by key.</summary>
        public IReadOnlyDictionary<string, int> IdsByKey { get; }

        /// <summary>Provider key by row id.</summary>
        public IReadOnlyDictionary<int, string> KeysById { get; }

        /// <summary>How many of <see cref="All"/> the tenant registered itself.</summary>
        public int OwnCount { get; }

        /// <summary>This view with <paramref name="added"/> (rows just registered) in it.</summary>
        public Snapshot With(IEnumerable<Provider> added)
        {
            var known = All.Select(p => p.Id).ToHashSet();
            return new Snapshot([.. All, .. added.Where(p => !known.Contains(p.Id))], LoadedAt);
        }
    }

    /// <summary>The tenant's view; reloaded first if it is stale or lacks one of <paramref name="requiredKeys"/>.</summary>
    public ValueTask<Snapshot> GetAsync(int tenantId, IEnumerable<string>? requiredKeys = null, CancellationToken cancellationToken = default)
        => GetAsync(tenantId, s => requiredKeys is null || requiredKeys.All(s.IdsByKey.ContainsKey), cancellationToken);

    /// <summary>The tenant's view; reloaded first if it is stale or lacks one of <paramref name="requiredIds"/> (rows
    /// read from the store name providers another process may have registered a moment ago).</summary>
    public ValueTask<Snapshot> GetWithIdsAsync(int tenantId, IEnumerable<int> requiredIds, CancellationToken cancellationToken = default)
        => GetAsync(tenantId, s => requiredIds.All(s.KeysById.ContainsKey), cancellationToken);

    /// <summary>Adds providers this process just registered (and committed) for the tenant to its cached view, and
    /// returns <paramref name="basis"/> with them.</summary>
    public Snapshot Remember(int tenantId, Snapshot basis, IReadOnlyCollection<Provider> registered)
    {
        var next = basis.With(registered);
        // Only replaces the view the caller started from: a view reloaded meanwhile is fresher than both.
        if (_tenants.TryGetValue(tenantId, out var entry)) Interlocked.CompareExchange(ref entry.Current, next, basis);
        return next;
    }

    /// <summary>Forgets the tenant's cached view (after its providers were changed in-process).</summary>
    public void Invalidate(int tenantId)
    {
        if (_tenants.TryGetValue(tenantId, out var entry)) Volatile.Write(ref entry.Current, null);
    }

    private async ValueTask<Snapshot> GetAsync(int tenantId, Func<Snapshot, bool> complete, CancellationToken cancellationToken)
    {
        var entry = _tenants.GetOrAdd(tenantId, static _ => new TenantEntry());
        var current = Volatile.Read(ref entry.Current);
        var now = time.GetUtcNow();
        if (current is not null && now - current.LoadedAt < MaxAge && (now - current.LoadedAt < MinReloadInterval || complete(current)))
            return current;

        await entry.Reload.WaitAsync(cancellationToken);
        try
        {
            // Another caller reloaded while this one waited.
            var latest = Volatile.Read(ref entry.Current);
            if (latest is not null && !ReferenceEquals(latest, current)) return latest;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var providers = await db.Providers.AsNoTracking()
                .Where(p => p.TenantId == null || p.TenantId == tenantId)
                .ToListAsync(cancellationToken);
            var loaded = new Snapshot(providers, time.GetUtcNow());
            Volatile.Write(ref entry.Current, loaded);
            return loaded;
        }
        finally
        {
            entry.Reload.Release();
        }
    }

    private sealed class TenantEntry
    {
        public Snapshot? Current;

        public SemaphoreSlim Reload { get; } = new(1, 1);
    }
}
