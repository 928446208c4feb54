using System.Security.Cryptography;
using IntegrationHealth.Data;
using IntegrationHealth.Web.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Authentication;

/// <summary>
/// Checks presented API keys against the store. Results (positive and negative) are cached for
/// <see cref="AuthOptions.KeyCacheDuration"/> keyed by the key's hash, because ingestion authenticates every batch;
/// revocation in this process evicts at once, elsewhere it takes effect when the entry expires.
/// </summary>
public sealed class ApiKeyAuthenticator(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    IMemoryCache cache,
    IOptions<AuthOptions> options,
    StoreRetry? storeRetry = null)
{
    private static readonly object NotFound = new();

    /// <summary>The identity behind <paramref name="key"/>, or null when the key is malformed, unknown or revoked.</summary>
    public async ValueTask<ApiKeyIdentity?> AuthenticateAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!ApiKeySecrets.IsWellFormed(key)) return null;
        var hash = ApiKeySecrets.Hash(key);
        var cacheKey = HashCacheKey(hash);
        if (cache.TryGetValue(cacheKey, out var cached)) return cached as ApiKeyIdentity;

        var prefix = ApiKeySecrets.LookupPrefix(key);
        var candidates = await LookupAsync(async ct =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.ApiKeys.AsNoTracking()
                .Where(k => k.Prefix == prefix && k.RevokedAt == null)
                .Select(k => new { k.Id, k.TenantId, k.Scopes, k.Hash })
                .ToListAsync(ct);
        }, cancellationToken);
        var match = candidates.FirstOrDefault(k => CryptographicOperations.FixedTimeEquals(k.Hash, hash));
        ApiKeyIdentity? identity = match is null ? null : new ApiKeyIdentity(match.Id, match.TenantId, match.Scopes);
        cache.Set(cacheKey, (object?)identity ?? NotFound, options.Value.KeyCacheDuration);
        return identity;
    }

    /// <summary>The identity of a live key by id (the dashboard cookie carries the id, never the secret).</summary>
    public async ValueTask<ApiKeyIdentity?> FindLiveAsync(int keyId, CancellationToken cancellationToken = default)
    {
        var cacheKey = IdCacheKey(keyId);
        if (cache.TryGetValue(cacheKey, out var cached)) return cached as ApiKeyIdentity;
        var identity = await LookupAsync(async ct =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.ApiKeys.AsNoTracking()
                .Where(k => k.Id == keyId && k.RevokedAt == null)
                .Select(k => new ApiKeyIdentity(k.Id, k.TenantId, k.Scopes))
                .FirstOrDefaultAsync(ct);
        }, cancellationToken);
        cache.Set(cacheKey, (object?)identity ?? NotFound, options.Value.KeyCacheDuration);
        return identity;
    }

    /// <summary>Every request waits on this lookup once the cache entry expires: a transient PostgreSQL failure (a pooled
    /// connection a restart broke) is retried briefly rather than refusing the request. Tools that do not register
    /// <see cref="StoreRetry"/> run it once.</summary>
    private Task<T> LookupAsync<T>(Func<CancellationToken, Task<T>> lookup, CancellationToken cancellationToken)
        => storeRetry is null ? lookup(cancellationToken) : storeRetry.ExecuteReadAsync(lookup, cancellationToken);

    /// <summary>Drops cached lookups of a key (called on revocation).</summary>
    public void Evict(int keyId, byte[] hash)
    {
        cache.Remove(HashCacheKey(hash));
        cache.Remove(IdCacheKey(keyId));
    }

    private static string HashCacheKey(byte[] hash) => "apikey:h:" + Convert.ToHexString(hash);

    private static string IdCacheKey(int keyId) => "apikey:id:" + keyId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
