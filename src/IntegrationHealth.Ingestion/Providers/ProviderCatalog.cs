using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Ingestion.Providers;

/// <summary>
/// The provider catalogue (a few dozen platform-wide rows) kept in memory: every event names its provider by key, and
/// a database round trip per batch for a table that almost never changes would be waste. Reloaded after
/// <see cref="MaxAge"/>, or at once when a batch names a key we do not know (at most once a second).
/// </summary>
public sealed class ProviderCatalog(IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MinReloadInterval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>An immutable view of the catalogue.</summary>
    public sealed class Snapshot(IReadOnlyList<Provider> providers, DateTimeOffset loadedAt)
    {
        public IReadOnlyList<Provider> All { get; } = providers;
        public DateTimeOffset LoadedAt { get; } = loadedAt;
        public IReadOnlyDictionary<string, int> IdsByKey { get; } = providers.ToDictionary(p => p.Key, p => p.Id, StringComparer.Ordinal);
        public IReadOnlyDictionary<int, string> KeysById { get; } = providers.ToDictionary(p => p.Id, p => p.Key);
    }

    /// <summary>The catalogue; reloaded first if it is stale or lacks one of <paramref name="requiredKeys"/>.</summary>
    public async ValueTask<Snapshot> GetAsync(IEnumerable<string>? requiredKeys = null, CancellationToken cancellationToken = default)
    {
        var current = _snapshot;
        var now = time.GetUtcNow();
        if (current is not null && now - current.LoadedAt < MaxAge
            && (requiredKeys is null || requiredKeys.All(current.IdsByKey.ContainsKey) || now - current.LoadedAt < MinReloadInterval))
            return current;

        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(current, _snapshot) && _snapshot is not null) return _snapshot;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var providers = await db.Providers.AsNoTracking().OrderBy(p => p.Key).ToListAsync(cancellationToken);
            return _snapshot = new Snapshot(providers, time.GetUtcNow());
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>Forgets the cached catalogue (after the catalogue is changed in-process).</summary>
    public void Invalidate() => _snapshot = null;
}
