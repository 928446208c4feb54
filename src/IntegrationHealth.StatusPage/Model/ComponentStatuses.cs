using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Model;

/// <summary>
/// The one rule for what a component shows: under maintenance while a running maintenance covers it, else the staff's
/// override, else what telemetry derived. Every change of the shown status is recorded (uptime bars and badges read
/// the record), so whoever changes an input calls <see cref="Apply"/>.
/// </summary>
internal static class ComponentStatuses
{
    public static ComponentStatus Effective(StatusComponent component, bool inMaintenance) =>
        inMaintenance ? ComponentStatus.UnderMaintenance : component.OverrideStatus ?? component.DerivedStatus;

    /// <summary>Whether the public page shows the component: always, or only while it is not operational when staff
    /// chose "only show if degraded". The page's component list and its subscribe form both follow it.</summary>
    public static bool ShownOnPage(StatusComponent component) =>
        !component.OnlyShowIfDegraded || component.Status != ComponentStatus.Operational;

    /// <summary>Sets the shown status from the inputs; returns true (and records the change) when it changed.</summary>
    public static bool Apply(IntegrationHealthDbContext db, StatusComponent component, bool inMaintenance, DateTime now)
    {
        var status = Effective(component, inMaintenance);
        if (status == component.Status) return false;
        component.Status = status;
        component.UpdatedAt = now;
        db.StatusComponentChanges.Add(new StatusComponentChange { TenantId = component.TenantId, ComponentId = component.Id, Status = status, At = now });
        return true;
    }

    /// <summary>The components of <paramref name="pageId"/> that a running maintenance (in progress or verifying)
    /// covers.</summary>
    public static async Task<HashSet<int>> InMaintenanceAsync(IntegrationHealthDbContext db, int pageId, CancellationToken cancellationToken)
    {
        var ids = await (from i in db.StatusIncidents
                         join c in db.StatusIncidentComponents on i.Id equals c.IncidentId
                         where i.PageId == pageId && i.IsMaintenance && (i.Status == IncidentStatus.InProgress || i.Status == IncidentStatus.Verifying)
                         select c.ComponentId).ToListAsync(cancellationToken);
        return [.. ids];
    }
}

/// <summary>Recomputes the shown status of every component of a page (after a maintenance starts or ends, or an
/// incident changes), recording each change; the caller saves.</summary>
internal static class PageComponents
{
    public static async Task<int> RefreshAsync(IntegrationHealthDbContext db, int pageId, DateTime now, CancellationToken cancellationToken)
    {
        var inMaintenance = await ComponentStatuses.InMaintenanceAsync(db, pageId, cancellationToken);
        var components = await db.StatusComponents.Where(c => c.PageId == pageId).ToListAsync(cancellationToken);
        return components.Count(c => ComponentStatuses.Apply(db, c, inMaintenance.Contains(c.Id), now));
    }
}
