using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>
/// Interns endpoint route templates: each (tenant, provider, template) is stored once in <c>endpoint_templates</c>, and
/// events carry its id. Safe when several writers intern the same templates at once.
/// </summary>
/// <remarks>
/// One set-based <c>INSERT … ON CONFLICT DO NOTHING</c> of the batch's templates (PostgreSQL: from <c>unnest</c> of two
/// arrays, in a fixed order, so two writers take their index locks in the same order; SQLite: from <c>json_each</c>),
/// then one query for the ids. The query is a statement of its own, so on PostgreSQL it sees the rows a racing writer
/// committed while this one's insert waited for it. Each statement commits on its own: templates are vocabulary, and
/// one interned for a batch that then fails is harmless.
/// </remarks>
public static class EndpointTemplates
{
    /// <summary>The row ids of <paramref name="templates"/> (provider id and template) for <paramref name="tenantId"/>,
    /// inserting the ones not stored yet.</summary>
    /// <param name="db">Context of the store (without an open transaction).</param>
    /// <param name="tenantId">The tenant whose events name the templates.</param>
    /// <param name="templates">Distinct (provider row id, template) pairs; templates 1–300 characters.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public static async Task<IReadOnlyDictionary<(int ProviderId, string Template), int>> InternAsync(
        IntegrationHealthDbContext db, int tenantId, IReadOnlyCollection<(int ProviderId, string Template)> templates,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(templates);
        var ids = new Dictionary<(int, string), int>();
        if (templates.Count == 0)
        {
            return ids;
        }

        if (db.StoreProvider == StoreProvider.Postgres)
        {
            var providers = templates.Select(t => t.ProviderId).ToArray();
            var texts = templates.Select(t => t.Template).ToArray();
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO endpoint_templates (tenant_id, provider_id, template)
                SELECT {tenantId}, u.provider_id, u.template FROM unnest({providers}::integer[], {texts}::text[]) AS u (provider_id, template)
                ORDER BY u.provider_id, u.template
                ON CONFLICT DO NOTHING
                """, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var json = JsonSerializer.Serialize(templates.Select(t => new object[] { t.ProviderId, t.Template }));
            // The WHERE lets SQLite parse the ON CONFLICT clause after a SELECT.
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO endpoint_templates (tenant_id, provider_id, template)
                SELECT {tenantId}, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each({json}) WHERE true
                ON CONFLICT DO NOTHING
                """, cancellationToken).ConfigureAwait(false);
        }

        var wanted = templates.ToHashSet();
        var distinctTexts = templates.Select(t => t.Template).Distinct(StringComparer.Ordinal).ToList();
        var rows = await db.EndpointTemplates.AsNoTracking()
            .Where(e => e.TenantId == tenantId && distinctTexts.Contains(e.Template))
            .Select(e => new { e.Id, e.ProviderId, e.Template })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            if (wanted.Contains((row.ProviderId, row.Template)))
            {
                ids[(row.ProviderId, row.Template)] = row.Id;
            }
        }

        return ids;
    }
}
