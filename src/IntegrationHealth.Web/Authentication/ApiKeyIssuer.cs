using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Web.Authentication;

/// <summary>A key just created: the secret is in <see cref="Key"/> and is never available again.</summary>
public sealed record IssuedApiKey(ApiKey Entity, string Key);

/// <summary>Creates tenants and API keys, and revokes keys. Used by <c>POST /v1/keys</c> and the <c>keys create</c> verb.</summary>
public sealed class ApiKeyIssuer(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    ApiKeyAuthenticator authenticator,
    TimeProvider time,
    ILogger<ApiKeyIssuer> logger)
{
    /// <summary>The tenant with this slug, created (named after the slug) when missing.</summary>
    public async Task<Tenant> EnsureTenantAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Key == slug, cancellationToken);
        if (tenant is not null) return tenant;
        tenant = new Tenant { Key = slug, Name = slug, CreatedAt = time.GetUtcNow().UtcDateTime };
        db.Tenants.Add(tenant);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            WebLog.TenantCreated(logger, tenant.Id, slug);
            return tenant;
        }
        catch (DbUpdateException)
        {
            // Lost a race with another creator of the same slug: theirs is as good as ours.
            await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await again.Tenants.FirstAsync(t => t.Key == slug, cancellationToken);
        }
    }

    /// <summary>Creates a key for the tenant. Only the prefix and SHA-256 are stored.</summary>
    public async Task<IssuedApiKey> CreateAsync(int tenantId, ApiKeyScopes scopes, string? name, CancellationToken cancellationToken = default)
    {
        if (scopes == ApiKeyScopes.None) throw new ArgumentException("A key needs at least one scope.", nameof(scopes));
        var key = ApiKeySecrets.Generate();
        var entity = new ApiKey
        {
            TenantId = tenantId,
            Prefix = ApiKeySecrets.LookupPrefix(key),
            Hash = ApiKeySecrets.Hash(key),
            Scopes = scopes,
            Name = name,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        WebLog.ApiKeyCreated(logger, entity.Id, tenantId, scopes);
        return new IssuedApiKey(entity, key);
    }

    /// <summary>Revokes a key of the tenant; false when the tenant has no such key. Revoking twice is harmless.</summary>
    public async Task<bool> RevokeAsync(int tenantId, int keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.TenantId == tenantId, cancellationToken);
        if (key is null) return false;
        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
            WebLog.ApiKeyRevoked(logger, key.Id, tenantId);
        }
        authenticator.Evict(key.Id, key.Hash);
        return true;
    }
}
