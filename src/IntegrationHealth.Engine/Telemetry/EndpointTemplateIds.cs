using System.Collections.Concurrent;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Telemetry;

/// <summary>The store's ids of endpoint route templates, per tenant and provider (interned on first use).</summary>
public interface IEndpointTemplateIds
{
    Task<IReadOnlyDictionary<(int TenantId, int ProviderId, string Template), int>> ResolveAsync(
        IReadOnlyCollection<(int TenantId, int ProviderId, string Template)> templates, CancellationToken cancellationToken);
}

/// <summary>
/// Interns templates through the store's <see cref="EndpointTemplates"/> and remembers the ids: a provider has a few
/// dozen templates and the engine makes many calls, so after the first batch this costs no database round trip.
/// </summary>
internal sealed class StoreEndpointTemplateIds(IDbContextFactory<IntegrationHealthDbContext> dbFactory) : IEndpointTemplateIds
{
    /// <summary>The store's longest template; a longer path template is cut (the store would refuse it).</summary>
    public const int MaxTemplate = 300;

    private readonly ConcurrentDictionary<(int, int, string), int> _ids = new();

    public async Task<IReadOnlyDictionary<(int TenantId, int ProviderId, string Template), int>> ResolveAsync(
        IReadOnlyCollection<(int TenantId, int ProviderId, string Template)> templates, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(int, int, string), int>();
        var missing = new List<(int TenantId, int ProviderId, string Template)>();
        foreach (var key in templates)
        {
            if (_ids.TryGetValue(key, out var id)) result[key] = id;
            else missing.Add(key);
        }
        if (missing.Count == 0) return result;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var tenant in missing.GroupBy(m => m.TenantId))
        {
            var ids = await EndpointTemplates.InternAsync(db, tenant.Key, [.. tenant.Select(t => (t.ProviderId, t.Template)).Distinct()], cancellationToken);
            foreach (var ((providerId, template), id) in ids) result[(tenant.Key, providerId, template)] = _ids[(tenant.Key, providerId, template)] = id;
        }
        return result;
    }
}
