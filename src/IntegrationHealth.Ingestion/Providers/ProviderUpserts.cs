using IntegrationHealth.Data.Configuration;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Ingestion.Upserts;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Ingestion.Providers;

/// <summary>A validated provider item.</summary>
public sealed record ProviderItem(int Index, string Key, string Name, string? Category) : IUpsertItem
{
    /// <summary>Providers are upserted by their key.</summary>
    public string ExternalId => Key;
}

/// <summary>
/// Bulk upsert of the tenant's own providers by key. A platform key cannot be redefined (the platform's row would stop
/// being the one the tenant's events and connections name); another tenant's key is no concern of this tenant's, so
/// registering it neither fails nor reveals anything.
/// </summary>
public static class ProviderUpserts
{
    /// <summary>Longest category.</summary>
    public const int MaxCategoryLength = StoreLengths.Code;

    public static readonly string[] Fields = ["key", "name", "category"];

    public static readonly UpsertDefinition<ProviderItem> Definition = new("provider", Fields, Read, ApplyAsync, IdField: "key");

    public static ProviderItem? Read(ItemReader r, DateTime latestUtc)
    {
        var key = r.String("key", required: true, maxLength: ProviderKeys.MaxLength);
        if (key is not null && !ProviderKeys.IsValid(key))
        {
            r.Error("key", $"'key' must be {ProviderKeys.Rule}.");
            key = null;
        }
        var name = r.String("name", required: true, maxLength: StoreLengths.Name);
        if (name is not null && name.Any(char.IsControl))
        {
            r.Error("name", "'name' must not contain control characters.");
            name = null;
        }
        var category = r.String("category", maxLength: MaxCategoryLength);
        if (category is not null && !ProviderKeys.IsValid(category))
        {
            r.Error("category", $"'category' must be {ProviderKeys.Rule}.");
            category = null;
        }
        if (key is null || name is null) return null;
        return new ProviderItem(r.Index, key, name, category);
    }

    public static async Task<UpsertOutcome> ApplyAsync(UpsertScope scope, IReadOnlyList<ProviderItem> items, CancellationToken cancellationToken)
    {
        var db = scope.Db;
        var tenantId = scope.TenantId;
        var keys = items.Select(i => i.Key).ToList();
        var platform = await db.Providers.AsNoTracking()
            .Where(p => p.TenantId == null && keys.Contains(p.Key))
            .Select(p => p.Key)
            .ToHashSetAsync(StringComparer.Ordinal, cancellationToken);
        foreach (var item in items.Where(i => platform.Contains(i.Key)))
            scope.Errors.Add(item.Index, "key", $"'{item.Key}' is a platform provider; it cannot be registered again.");
        if (scope.Errors.Any) return new UpsertOutcome(null, scope.Errors);

        var existing = await db.Providers
            .Where(p => p.TenantId == tenantId && keys.Contains(p.Key))
            .ToDictionaryAsync(p => p.Key, StringComparer.Ordinal, cancellationToken);
        var added = items.Where(i => !existing.ContainsKey(i.Key)).ToList();
        if (added.Count > 0)
        {
            var own = await db.Providers.CountAsync(p => p.TenantId == tenantId, cancellationToken);
            var room = Math.Max(0, scope.Options.MaxProvidersPerTenant - own);
            foreach (var item in added.Skip(room))
                scope.Errors.Add(item.Index, "key", $"The tenant has {own} providers of its own, and may have at most {scope.Options.MaxProvidersPerTenant}.");
            if (scope.Errors.Any) return new UpsertOutcome(null, scope.Errors);
        }

        foreach (var item in items)
        {
            if (!existing.TryGetValue(item.Key, out var provider))
            {
                provider = new Provider { TenantId = tenantId, Key = item.Key, Name = item.Name };
                db.Providers.Add(provider);
            }
            // The item is the provider's full state, as with every upsert: a category left out is cleared.
            provider.Name = item.Name;
            provider.Category = item.Category;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new UpsertOutcome(new UpsertResult(added.Count, items.Count - added.Count), null);
    }
}
