using System.Text.Json.Nodes;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Catalogue;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Overrides;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>What an upload came to.</summary>
public enum DefinitionUploadOutcome
{
    Created,
    Replaced,
    Invalid,
    /// <summary>The key is a platform provider's (shipped definition or platform catalogue row).</summary>
    PlatformKey,
    Conflict,
}

/// <summary>
/// Stores the provider definitions a tenant uploads: validated like shipped ones (schema, semantics, every JSONata
/// expression compiled), and with the tenant's overrides of that key still loading over the new version. An upload
/// also registers the key in the tenant's provider catalogue (<c>providers</c>, named and categorised as the definition
/// says), so connections and telemetry can reference it; it is one transaction with the counter increment.
/// </summary>
public sealed class TenantDefinitionStore(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    TenantProviderRegistry registry,
    ProviderDefinitionLoader loader,
    TimeProvider time,
    ILogger<TenantDefinitionStore> logger)
{
    public async Task<(DefinitionUploadOutcome Outcome, int Version, IReadOnlyList<DefinitionError> Errors)> SaveAsync(
        int tenantId, string key, string json, CancellationToken cancellationToken)
    {
        var (provider, errors) = loader.TryLoad(json);
        if (provider is null) return (DefinitionUploadOutcome.Invalid, 0, errors);
        if (provider.Key != key)
            return (DefinitionUploadOutcome.Invalid, 0, [new DefinitionError(JsonPathText.Member(JsonPathText.Root, "key"),
                $"The document's key '{provider.Key}' is not the key in the URL, '{key}'.")]);
        if (registry.Platform.TryGet(key, out _)) return (DefinitionUploadOutcome.PlatformKey, 0, []);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Providers.AsNoTracking().AnyAsync(p => p.TenantId == null && p.Key == key, cancellationToken))
            return (DefinitionUploadOutcome.PlatformKey, 0, []);

        // The tenant's overrides of this key must still load over the new document.
        var overrides = await db.EngineOverrides.AsNoTracking()
            .Where(o => o.TenantId == tenantId && o.ProviderKey == key && o.Document != null).ToListAsync(cancellationToken);
        var document = TenantProviderRegistry.Parse(json);
        var environment = overrides.FirstOrDefault(o => o.AccountId == null)?.Document is { } e ? TenantProviderRegistry.Parse(e) : null;
        var overrideErrors = new List<DefinitionError>();
        foreach (var o in overrides)
        {
            var (merged, _) = DefinitionMerge.Merge(document, DefinitionLevels.Tenant, (environment, DefinitionLevels.Environment),
                (o.AccountId is null ? null : TenantProviderRegistry.Parse(o.Document!), DefinitionLevels.Account));
            var (_, mergeErrors) = loader.TryLoad(merged.ToJsonString());
            overrideErrors.AddRange(mergeErrors.Select(x => x with { Message = $"with the {EngineOverrideStore.ScopeOf(o.AccountId)} override: {x.Message}" }));
        }
        if (overrideErrors.Count > 0) return (DefinitionUploadOutcome.Invalid, 0, overrideErrors);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.EngineDefinitions.FirstOrDefaultAsync(d => d.TenantId == tenantId && d.Key == key, cancellationToken);
        var created = row is null;
        if (row is null)
        {
            row = new EngineDefinition { TenantId = tenantId, Key = key, Document = json, CreatedAt = now };
            db.EngineDefinitions.Add(row);
        }
        row.Document = json;
        row.Version++;
        row.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await ProviderRegistration.RegisterAsync(db, tenantId, [key], cancellationToken);
            var name = Truncate(provider.Definition.Name, 300);
            var category = provider.Definition.Category is { } c ? Truncate(c, 100) : null;
            await db.Providers.Where(p => p.TenantId == tenantId && p.Key == key)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Name, name).SetProperty(p => p.Category, category), cancellationToken);
            await EngineRequestBodies.BumpConfigVersionAsync(db, tenantId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return (DefinitionUploadOutcome.Conflict, 0, []);
        }
        registry.Invalidate(tenantId);
        EngineLog.DefinitionSaved(logger, tenantId, key, row.Version);
        return (created ? DefinitionUploadOutcome.Created : DefinitionUploadOutcome.Replaced, row.Version, []);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
