using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Public;

/// <summary>
/// Everything a page's public documents show, read in one go: the page, its groups and components, its unresolved
/// incidents, recent history, and the maintenances that are scheduled, running or recent. Every public document
/// (JSON, HTML, feeds, badges) is rendered from one snapshot, so they agree with each other.
/// </summary>
public sealed class PageSnapshot
{
    public required Data.Entities.StatusPage Page { get; init; }
    public required IReadOnlyList<StatusComponentGroup> Groups { get; init; }
    public required IReadOnlyList<StatusComponent> Components { get; init; }
    /// <summary>Incidents (not maintenances), newest first: every unresolved one and the most recent resolved ones.</summary>
    public required IReadOnlyList<StatusIncident> Incidents { get; init; }
    /// <summary>Maintenances, newest scheduled start first: every open one and the most recent completed ones.</summary>
    public required IReadOnlyList<StatusIncident> Maintenances { get; init; }
    public required ILookup<int, StatusIncidentUpdate> Updates { get; init; }
    public required ILookup<int, int> IncidentComponents { get; init; }
    /// <summary>Each component's shown-status changes over the uptime window, and the last one before it.</summary>
    public required ILookup<int, StatusComponentChange> Changes { get; init; }
    /// <summary>When the snapshot was read.</summary>
    public required DateTime ReadAt { get; init; }

    public static async Task<PageSnapshot?> LoadAsync(IntegrationHealthDbContext db, string slug, int historyLimit, DateTime now, CancellationToken cancellationToken)
    {
        var page = await db.StatusPages.AsNoTracking().FirstOrDefaultAsync(p => p.Slug == slug, cancellationToken);
        if (page is null) return null;
        var groups = await db.StatusComponentGroups.AsNoTracking().Where(g => g.PageId == page.Id).ToListAsync(cancellationToken);
        var components = await db.StatusComponents.AsNoTracking().Where(c => c.PageId == page.Id).ToListAsync(cancellationToken);
        var open = await db.StatusIncidents.AsNoTracking()
            .Where(i => i.PageId == page.Id && i.ResolvedAt == null).ToListAsync(cancellationToken);
        var closedIncidents = await db.StatusIncidents.AsNoTracking()
            .Where(i => i.PageId == page.Id && i.ResolvedAt != null && !i.IsMaintenance)
            .OrderByDescending(i => i.Id).Take(historyLimit).ToListAsync(cancellationToken);
        var closedMaintenances = await db.StatusIncidents.AsNoTracking()
            .Where(i => i.PageId == page.Id && i.ResolvedAt != null && i.IsMaintenance)
            .OrderByDescending(i => i.Id).Take(historyLimit).ToListAsync(cancellationToken);
        var all = open.Concat(closedIncidents).Concat(closedMaintenances).ToList();
        var ids = all.Select(i => i.Id).ToList();
        var updates = await db.StatusIncidentUpdates.AsNoTracking().Where(u => ids.Contains(u.IncidentId)).ToListAsync(cancellationToken);
        var links = await db.StatusIncidentComponents.AsNoTracking().Where(c => ids.Contains(c.IncidentId)).ToListAsync(cancellationToken);
        var componentIds = components.Select(c => c.Id).ToList();
        var windowStart = now.Date.AddDays(-Uptime.Days);
        var recent = await db.StatusComponentChanges.AsNoTracking()
            .Where(c => componentIds.Contains(c.ComponentId) && c.At >= windowStart).ToListAsync(cancellationToken);
        var lastBefore = await db.StatusComponentChanges.AsNoTracking()
            .Where(c => componentIds.Contains(c.ComponentId) && c.At < windowStart)
            .GroupBy(c => c.ComponentId).Select(g => g.Max(c => c.Id)).ToListAsync(cancellationToken);
        var before = await db.StatusComponentChanges.AsNoTracking().Where(c => lastBefore.Contains(c.Id)).ToListAsync(cancellationToken);
        foreach (var change in recent.Concat(before)) change.At = DateTime.SpecifyKind(change.At, DateTimeKind.Utc);
        return new PageSnapshot
        {
            Changes = recent.Concat(before).ToLookup(c => c.ComponentId),
            Page = page,
            Groups = [.. groups.OrderBy(g => g.Position).ThenBy(g => g.Id)],
            Components = [.. components.OrderBy(c => c.Position).ThenBy(c => c.Id)],
            Incidents = [.. all.Where(i => !i.IsMaintenance).OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)],
            Maintenances = [.. all.Where(i => i.IsMaintenance).OrderByDescending(i => i.ScheduledFor).ThenByDescending(i => i.Id)],
            Updates = updates.OrderByDescending(u => u.DisplayAt).ThenByDescending(u => u.Id).ToLookup(u => u.IncidentId),
            IncidentComponents = links.ToLookup(c => c.IncidentId, c => c.ComponentId),
            ReadAt = now,
        };
    }

    /// <summary>The status a group shows: its worst component's (maintenance counts below any outage).</summary>
    public ComponentStatus GroupStatus(int groupId)
    {
        var statuses = Components.Where(c => c.GroupId == groupId).Select(c => c.Status).ToList();
        if (statuses.Count == 0) return ComponentStatus.Operational;
        var worst = statuses.Where(s => s != ComponentStatus.UnderMaintenance).DefaultIfEmpty(ComponentStatus.Operational).Max();
        return worst == ComponentStatus.Operational && statuses.Contains(ComponentStatus.UnderMaintenance) ? ComponentStatus.UnderMaintenance : worst;
    }

    public IEnumerable<StatusIncident> UnresolvedIncidents => Incidents.Where(i => i.ResolvedAt is null);

    public IEnumerable<StatusIncident> UpcomingMaintenances => Maintenances.Where(m => m.Status == IncidentStatus.Scheduled).OrderBy(m => m.ScheduledFor);

    public IEnumerable<StatusIncident> ActiveMaintenances => Maintenances.Where(m => m.Status is IncidentStatus.InProgress or IncidentStatus.Verifying);

    public string PageUrl => Page.Url?.TrimEnd('/') ?? $"/pages/{Page.Slug}";
}
