using Microsoft.Extensions.Caching.Memory;

namespace IntegrationHealth.Ingestion.Events;

/// <summary>
/// Endpoint template ids by (tenant, provider, template), for the ingestion hot path: a batch's templates are nearly
/// always known, so interning costs no round trip. Its own cache with a size limit, because every distinct template a
/// sender invents becomes an entry: the least recently used are dropped once it holds <see cref="MaxEntries"/>.
/// </summary>
public sealed class EndpointTemplateCache : IDisposable
{
    /// <summary>Most templates kept (each a few hundred bytes).</summary>
    public const int MaxEntries = 50_000;

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    private readonly record struct Key(int TenantId, int ProviderId, string Template);

    /// <summary>The id of a template interned before, if this process still remembers it.</summary>
    public bool TryGet(int tenantId, int providerId, string template, out int id) =>
        _cache.TryGetValue(new Key(tenantId, providerId, template), out id);

    /// <summary>Remembers an interned template's id (ids never change).</summary>
    public void Set(int tenantId, int providerId, string template, int id) =>
        _cache.Set(new Key(tenantId, providerId, template), id, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Lifetime });

    /// <summary>Releases the cache.</summary>
    public void Dispose() => _cache.Dispose();
}
