using System.Collections.Concurrent;
using System.Security.Cryptography;
using IntegrationHealth.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.StatusPage.Public;

/// <summary>A rendered public document: its bytes, content type and a strong ETag.</summary>
public sealed class RenderedDocument(byte[] bytes, string contentType)
{
    public byte[] Bytes { get; } = bytes;
    public string ContentType { get; } = contentType;
    public string ETag { get; } = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";
}

/// <summary>
/// Public documents rendered once and served from memory: a page's snapshot is read once (concurrent first requests
/// share the read), each document rendered from it once, and both dropped when the page changes on this process
/// (<see cref="Invalidate"/>, called by every admin write and by the status job) or after
/// <c>StatusPage:CacheDuration</c>, so a change made by another process shows within it. Unknown slugs are remembered
/// as absent for the same time, so probing slugs does not reach the database per request.
/// </summary>
public sealed class PublicPageCache(IDbContextFactory<IntegrationHealthDbContext> dbFactory, IOptions<StatusPageOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> BySpan => _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly StatusPageOptions _options = options.Value;
    private const int MaxAbsentEntries = 10_000;
    private int _absent;

    /// <summary>The snapshot of the page at <paramref name="slug"/>, or null when there is none.</summary>
    public async Task<Entry?> GetAsync(string slug, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_entries.TryGetValue(slug, out var entry) && now - entry.CreatedAt < _options.CacheDuration)
            return await entry.Snapshot.Value is null ? null : entry;
        var fresh = new Entry(now, new Lazy<Task<PageSnapshot?>>(() => LoadAsync(slug, now)));
        entry = _entries.AddOrUpdate(slug, fresh, (_, old) => now - old.CreatedAt < _options.CacheDuration ? old : fresh);
        var snapshot = await entry.Snapshot.Value.WaitAsync(cancellationToken);
        if (snapshot is null && ReferenceEquals(entry, fresh) && Interlocked.Increment(ref _absent) > MaxAbsentEntries)
        {
            // Bounded memory under slug probing: forget the remembered absences.
            foreach (var (key, value) in _entries)
                if (value.Snapshot.IsValueCreated && value.Snapshot.Value.IsCompletedSuccessfully && value.Snapshot.Value.Result is null)
                    _entries.TryRemove(key, out _);
            Interlocked.Exchange(ref _absent, 0);
        }
        return snapshot is null ? null : entry;
    }

    /// <summary>
    /// The page's entry if it is fresh and its snapshot already read, else null; never reads the database, renders or
    /// waits (the early path of <see cref="CachedDocumentShortcut"/>: anything it does not find goes the regular way).
    /// </summary>
    internal Entry? Loaded(ReadOnlySpan<char> slug)
    {
        if (!BySpan.TryGetValue(slug, out var entry) || time.GetUtcNow().UtcDateTime - entry.CreatedAt >= _options.CacheDuration) return null;
        return entry.Snapshot is { IsValueCreated: true, Value: { IsCompletedSuccessfully: true, Result: not null } } ? entry : null;
    }

    /// <summary>Drops what is cached for the tenant's page, and every remembered absence (a page may just have
    /// been created or renamed).</summary>
    public void Invalidate(int tenantId)
    {
        foreach (var (key, value) in _entries)
        {
            var task = value.Snapshot.IsValueCreated ? value.Snapshot.Value : null;
            if (task is null || !task.IsCompleted || !task.IsCompletedSuccessfully || task.Result is null || task.Result.Page.TenantId == tenantId)
                _entries.TryRemove(key, out _);
        }
    }

    private async Task<PageSnapshot?> LoadAsync(string slug, DateTime now)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await PageSnapshot.LoadAsync(db, slug, _options.HistoryLimit, now, CancellationToken.None);
    }

    /// <summary>One page's cached snapshot and the documents rendered from it.</summary>
    public sealed class Entry(DateTime createdAt, Lazy<Task<PageSnapshot?>> snapshot)
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<RenderedDocument>>> _documents = new(StringComparer.Ordinal);

        public DateTime CreatedAt { get; } = createdAt;
        public Lazy<Task<PageSnapshot?>> Snapshot { get; } = snapshot;

        /// <summary>Documents kept per snapshot at most: keys come from validated routes (documents, incidents,
        /// components, badge metrics) and, for feeds of a page without a URL, the request's host; past the bound a
        /// document is rendered per request instead, so varying Host headers cannot grow memory.</summary>
        public const int MaxDocuments = 1024;

        /// <summary>The loaded snapshot (only on an entry <see cref="Loaded"/> returned).</summary>
        internal PageSnapshot LoadedSnapshot => Snapshot.Value.Result!;

        /// <summary>The document <paramref name="key"/> if it has been rendered, else null (never renders).</summary>
        internal RenderedDocument? Rendered(string key) =>
            _documents.TryGetValue(key, out var document) && document is { IsValueCreated: true, Value.IsCompletedSuccessfully: true }
                ? document.Value.Result : null;

        /// <summary>The document <paramref name="key"/>, rendered on first use.</summary>
        public Task<RenderedDocument> DocumentAsync(string key, Func<PageSnapshot, Task<RenderedDocument>> render)
        {
            if (_documents.Count >= MaxDocuments && !_documents.ContainsKey(key)) return render(Snapshot.Value.Result!);
            return _documents.GetOrAdd(key, static (_, state) => new Lazy<Task<RenderedDocument>>(() => state.render(state.snapshot)),
                (render, snapshot: Snapshot.Value.Result!)).Value;
        }
    }
}
