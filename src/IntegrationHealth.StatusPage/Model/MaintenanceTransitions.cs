using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Model;

/// <summary>
/// Moves a maintenance to a new status, by staff or on schedule: the maintenance's components are under maintenance
/// while it is in progress or verifying, and go back to their own status once it completes. A recurring maintenance
/// that completes schedules its next occurrence. Saves in one transaction.
/// </summary>
internal static class MaintenanceTransitions
{
    public static async Task MoveAsync(IntegrationHealthDbContext db, StatusIncident maintenance, IncidentStatus status, string body, DateTime now,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var wasClosed = StatusWire.IsClosed(maintenance.Status);
        await IncidentTimeline.PostAsync(db, maintenance, status, body, [], null, now, overrideComponents: false, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await PageComponents.RefreshAsync(db, maintenance.PageId, now, cancellationToken);
        if (status == IncidentStatus.Completed && !wasClosed && maintenance.RecurrenceDays is { } days
            && maintenance.ScheduledFor is { } from && maintenance.ScheduledUntil is { } until)
        {
            var step = TimeSpan.FromDays(days);
            var next = new StatusIncident
            {
                TenantId = maintenance.TenantId, PageId = maintenance.PageId, Name = maintenance.Name, Status = IncidentStatus.Scheduled,
                Impact = IncidentImpact.Maintenance, IsMaintenance = true, RecurrenceDays = days,
                ScheduledFor = from + step, ScheduledUntil = until + step, StartedAt = from + step, CreatedAt = now, UpdatedAt = now,
            };
            db.StatusIncidents.Add(next);
            await db.SaveChangesAsync(cancellationToken);
            var components = await db.StatusIncidentComponents.Where(c => c.IncidentId == maintenance.Id).Select(c => c.ComponentId).ToListAsync(cancellationToken);
            foreach (var componentId in components)
                db.StatusIncidentComponents.Add(new StatusIncidentComponent { IncidentId = next.Id, ComponentId = componentId, TenantId = maintenance.TenantId });
            var first = await db.StatusIncidentUpdates.Where(u => u.IncidentId == maintenance.Id).OrderBy(u => u.Id).Select(u => u.Body).FirstAsync(cancellationToken);
            await IncidentTimeline.PostAsync(db, next, IncidentStatus.Scheduled, first, [], null, now, overrideComponents: false, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
