using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using IntegrationHealth.Data;
using IntegrationHealth.Engine.Overrides;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>A definition as one account sees it: the base (platform or the tenant's own) with the environment and
/// account overrides merged in, validated and compiled.</summary>
/// <param name="Provider">What the executor runs.</param>
/// <param name="BaseLevel"><see cref="DefinitionLevels.Platform"/> or <see cref="DefinitionLevels.Tenant"/>.</param>
/// <param name="BaseVersion">The tenant definition's version (null for a platform one).</param>
/// <param name="EnvironmentVersion">The environment override's version in effect, if any.</param>
/// <param name="AccountVersion">The account override's version in effect, if any.</param>
/// <param name="Parts">Every value of the merged document with the level it came from.</param>
public sealed record EffectiveProvider(LoadedProvider Provider, string BaseLevel, int? BaseVersion, int? EnvironmentVersion, int? AccountVersion,
    IReadOnlyList<DefinitionPart> Parts);

/// <summary>
/// The provider definitions each tenant sees: the platform's (shipped) plus the tenant's own (uploaded, stored in the
/// database), and each with the tenant's environment and account overrides merged in. Every process caches a tenant's
/// configuration and, at most once per <see cref="EngineOptions.DefinitionRefreshInterval"/>, compares the tenant's
/// change counter (<c>engine_config_versions</c>, one primary-key read) with the one its cache was built at; a change
/// (made by any process) reloads the tenant. So a definition or override saved anywhere is in effect everywhere within
/// that interval, and at once in the process that saved it (which drops its cache). The same on SQLite and PostgreSQL.
/// </summary>
public sealed class TenantProviderRegistry(
    ProviderRegistry platform,
    ProviderDefinitionLoader loader,
    IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    IOptions<EngineOptions> options,
    ILogger<TenantProviderRegistry> logger)
{
    private readonly ConcurrentDictionary<int, TenantConfiguration> _tenants = new();

    /// <summary>The platform's definitions (shipped, the same for every tenant).</summary>
    public ProviderRegistry Platform => platform;

    /// <summary>Every definition the tenant sees (platform and its own, without overrides), ordered by key.</summary>
    public async Task<IReadOnlyList<LoadedProvider>> ListAsync(int tenantId, CancellationToken cancellationToken = default)
    {
        var tenant = await TenantAsync(tenantId, cancellationToken);
        return [.. platform.All.Concat(tenant.Own.Values.Select(d => d.Provider)).OrderBy(p => p.Key, StringComparer.Ordinal)];
    }

    /// <summary>The base definition of <paramref name="key"/> as the tenant sees it (no overrides), or null.</summary>
    public async Task<(LoadedProvider Provider, string Level, int? Version)?> FindBaseAsync(int tenantId, string key, CancellationToken cancellationToken = default)
    {
        if (platform.TryGet(key, out var shipped)) return (shipped, DefinitionLevels.Platform, null);
        var tenant = await TenantAsync(tenantId, cancellationToken);
        return tenant.Own.TryGetValue(key, out var own) ? (own.Provider, DefinitionLevels.Tenant, own.Version) : null;
    }

    /// <summary>The definition of <paramref name="key"/> as <paramref name="accountId"/> of the tenant sees it (its
    /// environment and account overrides merged in), or null when the tenant has no such definition.</summary>
    public async Task<EffectiveProvider?> FindAsync(int tenantId, string key, int? accountId, CancellationToken cancellationToken = default)
    {
        var tenant = await TenantAsync(tenantId, cancellationToken);
        if (tenant.Effective.TryGetValue((key, accountId), out var cached)) return cached;
        if (await FindBaseAsync(tenantId, key, cancellationToken) is not { } found) return null;
        var environment = tenant.Overrides.GetValueOrDefault((key, null));
        var account = accountId is null ? null : tenant.Overrides.GetValueOrDefault((key, accountId));
        var effective = Build(found.Provider, found.Level, found.Version, environment, account);
        tenant.Effective[(key, accountId)] = effective;
        return effective;
    }

    /// <summary>Drops the cached configuration of the tenant (after this process changed it).</summary>
    public void Invalidate(int tenantId) => _tenants.TryRemove(tenantId, out _);

    /// <summary>Merges and compiles; when the merge no longer loads (a platform definition changed under an override
    /// saved against an older one), the overrides are left out level by level and the failure logged.</summary>
    private EffectiveProvider Build(LoadedProvider baseProvider, string baseLevel, int? baseVersion, StoredOverride? environment, StoredOverride? account)
    {
        if (environment is null && account is null)
            return new EffectiveProvider(baseProvider, baseLevel, baseVersion, null, null,
                DefinitionMerge.Merge(Parse(baseProvider.Json), baseLevel).Parts);
        var (merged, parts) = DefinitionMerge.Merge(Parse(baseProvider.Json), baseLevel,
            (environment?.Document, DefinitionLevels.Environment), (account?.Document, DefinitionLevels.Account));
        var (provider, errors) = loader.TryLoad(merged.ToJsonString());
        if (provider is not null)
            return new EffectiveProvider(provider.WithOrigin(baseProvider.Origin), baseLevel, baseVersion, environment?.Version, account?.Version, parts);
        EngineLog.OverrideInvalid(logger, baseProvider.Key, string.Join("; ", errors));
        return account is not null ? Build(baseProvider, baseLevel, baseVersion, environment, null) : Build(baseProvider, baseLevel, baseVersion, null, null);
    }

    internal static JsonObject Parse(string json) => JsonNode.Parse(json) as JsonObject ?? throw new InvalidOperationException("A definition is a JSON object.");

    private async ValueTask<TenantConfiguration> TenantAsync(int tenantId, CancellationToken cancellationToken)
    {
        var interval = options.Value.DefinitionRefreshInterval;
        if (_tenants.TryGetValue(tenantId, out var cached) && Stopwatch.GetElapsedTime(cached.CheckedAt) < interval) return cached;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var version = await db.EngineConfigVersions.AsNoTracking().Where(v => v.TenantId == tenantId)
            .Select(v => (long?)v.Version).FirstOrDefaultAsync(cancellationToken) ?? 0;
        if (cached is not null && cached.Version == version)
        {
            cached.CheckedAt = Stopwatch.GetTimestamp();
            return cached;
        }

        var own = new Dictionary<string, TenantDefinition>(StringComparer.Ordinal);
        foreach (var row in await db.EngineDefinitions.AsNoTracking().Where(d => d.TenantId == tenantId).ToListAsync(cancellationToken))
        {
            var (provider, errors) = loader.TryLoad(row.Document);
            if (provider is null)
            {
                EngineLog.DefinitionInvalid(logger, $"tenant:{row.Key}", string.Join("; ", errors));
                continue;
            }
            own[row.Key] = new TenantDefinition(provider.WithOrigin($"tenant:{row.Key}@v{row.Version}"), row.Version);
        }
        var overrides = new Dictionary<(string, int?), StoredOverride>();
        foreach (var row in await db.EngineOverrides.AsNoTracking().Where(o => o.TenantId == tenantId && o.Document != null).ToListAsync(cancellationToken))
            overrides[(row.ProviderKey, row.AccountId)] = new StoredOverride(Parse(row.Document!), row.Version);

        var loaded = new TenantConfiguration(version, own, overrides) { CheckedAt = Stopwatch.GetTimestamp() };
        _tenants[tenantId] = loaded;
        if (cached is not null) EngineLog.TenantConfigurationReloaded(logger, tenantId, version);
        return loaded;
    }

    private sealed record TenantDefinition(LoadedProvider Provider, int Version);

    internal sealed record StoredOverride(JsonObject Document, int Version);

    private sealed class TenantConfiguration(long version, Dictionary<string, TenantDefinition> own, Dictionary<(string, int?), StoredOverride> overrides)
    {
        public long Version { get; } = version;
        public long CheckedAt { get; set; }
        public Dictionary<string, TenantDefinition> Own { get; } = own;
        public Dictionary<(string Key, int? Account), StoredOverride> Overrides { get; } = overrides;
        public ConcurrentDictionary<(string Key, int? Account), EffectiveProvider> Effective { get; } = new();
    }
}
