using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Model;
using IntegrationHealth.StatusPage.Public;
using IntegrationHealth.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.StatusPage.Derivation;

/// <summary>
/// The recurring job that keeps every page current, each run for every page: starts and completes maintenances on
/// schedule; derives each telemetry-driven component's status (<see cref="ComponentStatusDeriver"/>); opens an
/// automatic incident when a component degrades (not while a maintenance covers it: maintenance suppresses automatic
/// incidents) and resolves it once all its components have recovered, unless staff took it over by posting to it.
/// </summary>
public sealed class ComponentStatusJob(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    ITelemetryWindowReader reader,
    PublicPageCache cache,
    IOptions<StatusPageOptions> options,
    TimeProvider time,
    ILogger<ComponentStatusJob> logger) : IRecurringJob
{
    public const string JobId = "status-page-components";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pages = await db.StatusPages.AsNoTracking().ToListAsync(cancellationToken);
        var evaluated = 0;
        foreach (var page in pages)
        {
            db.ChangeTracker.Clear();
            var changed = await AdvanceMaintenancesAsync(db, page, now, cancellationToken);
            var (count, componentsChanged) = await DeriveAsync(db, page, now, cancellationToken);
            evaluated += count;
            if (changed || componentsChanged) cache.Invalidate(page.TenantId);
        }
        StatusPageLog.StatusJobRan(logger, evaluated, pages.Count);
    }

    private async Task<bool> AdvanceMaintenancesAsync(IntegrationHealthDbContext db, Data.Entities.StatusPage page, DateTime now, CancellationToken cancellationToken)
    {
        var due = await db.StatusIncidents.Where(i => i.PageId == page.Id && i.IsMaintenance && i.ResolvedAt == null
            && (i.Status == IncidentStatus.Scheduled && i.ScheduledFor <= now
                || (i.Status == IncidentStatus.InProgress || i.Status == IncidentStatus.Verifying) && i.ScheduledUntil <= now)).ToListAsync(cancellationToken);
        foreach (var maintenance in due.OrderBy(m => m.ScheduledFor))
        {
            if (maintenance.Status == IncidentStatus.Scheduled)
            {
                await MaintenanceTransitions.MoveAsync(db, maintenance, IncidentStatus.InProgress, "Scheduled maintenance is currently in progress.", now, cancellationToken);
                StatusPageLog.MaintenanceTransition(logger, page.TenantId, maintenance.Id, IncidentStatus.InProgress);
            }
            if (maintenance.ScheduledUntil <= now)
            {
                await MaintenanceTransitions.MoveAsync(db, maintenance, IncidentStatus.Completed, "The scheduled maintenance has been completed.", now, cancellationToken);
                StatusPageLog.MaintenanceTransition(logger, page.TenantId, maintenance.Id, IncidentStatus.Completed);
            }
        }
        return due.Count > 0;
    }

    private async Task<(int Count, bool Changed)> DeriveAsync(IntegrationHealthDbContext db, Data.Entities.StatusPage page, DateTime now, CancellationToken cancellationToken)
    {
        var rules = options.Value.Derivation;
        var components = await db.StatusComponents.Where(c => c.PageId == page.Id && c.ProviderId != null).ToListAsync(cancellationToken);
        if (components.Count == 0) return (0, false);
        var inMaintenance = await ComponentStatuses.InMaintenanceAsync(db, page.Id, cancellationToken);
        var from = now - TimeSpan.FromMinutes(rules.WindowMinutes);
        var windows = new Dictionary<TelemetrySource, IReadOnlyList<MinuteWindow>>();
        var changed = false;
        foreach (var component in components)
        {
            var source = new TelemetrySource(page.TenantId, component.ProviderId!.Value, component.Resource);
            if (!windows.TryGetValue(source, out var minutes))
                windows[source] = minutes = await reader.ReadAsync(db, source, from, now, cancellationToken);
            var before = new DerivationState(component.DerivedStatus, component.CandidateStatus, component.CandidateSince);
            var next = ComponentStatusDeriver.Next(before, minutes, rules, now);
            component.CandidateStatus = next.Candidate;
            component.CandidateSince = next.CandidateSince;
            if (next.Derived == before.Derived) continue;

            component.DerivedStatus = next.Derived;
            var covered = inMaintenance.Contains(component.Id);
            var shownBefore = component.Status;
            if (rules.AutoIncidents && !covered && component.OverrideStatus is null)
                await FollowWithIncidentAsync(db, page, component, before.Derived, now, cancellationToken);
            ComponentStatuses.Apply(db, component, covered, now);
            if (component.Status != shownBefore)
            {
                changed = true;
                StatusPageLog.ComponentStatusChanged(logger, page.TenantId, component.Id, component.Status, component.DerivedStatus);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return (components.Count, changed);
    }

    /// <summary>Opens, escalates or resolves the component's automatic incident for its new derived status.</summary>
    private async Task FollowWithIncidentAsync(IntegrationHealthDbContext db, Data.Entities.StatusPage page, StatusComponent component, ComponentStatus previous,
        DateTime now, CancellationToken cancellationToken)
    {
        var open = await (from i in db.StatusIncidents
                          join l in db.StatusIncidentComponents on i.Id equals l.IncidentId
                          where l.ComponentId == component.Id && i.Automatic && i.ResolvedAt == null && !i.IsMaintenance
                          select i).FirstOrDefaultAsync(cancellationToken);
        var status = component.DerivedStatus;
        if (status == ComponentStatus.Operational)
        {
            if (open is null || open.StaffManaged) return;
            var others = await (from l in db.StatusIncidentComponents
                                join c in db.StatusComponents on l.ComponentId equals c.Id
                                where l.IncidentId == open.Id && c.Id != component.Id && c.DerivedStatus != ComponentStatus.Operational
                                select c.Id).AnyAsync(cancellationToken);
            if (others) return;
            await IncidentTimeline.PostAsync(db, open, IncidentStatus.Resolved, $"{component.Name} has recovered; this incident has been resolved.",
                [(component, status)], null, now, overrideComponents: false, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            StatusPageLog.AutomaticIncidentResolved(logger, page.TenantId, open.Id);
            return;
        }
        var impact = ImpactOf(status);
        if (open is null)
        {
            open = new StatusIncident
            {
                TenantId = page.TenantId, PageId = page.Id, Name = $"{component.Name}: {Describe(status)}", Status = IncidentStatus.Investigating,
                Impact = impact, Automatic = true, StartedAt = now, CreatedAt = now, UpdatedAt = now,
            };
            db.StatusIncidents.Add(open);
            await db.SaveChangesAsync(cancellationToken);
            db.StatusIncidentComponents.Add(new StatusIncidentComponent { IncidentId = open.Id, ComponentId = component.Id, TenantId = page.TenantId });
            await IncidentTimeline.PostAsync(db, open, IncidentStatus.Investigating,
                $"Automated monitoring detected {Describe(status).ToLowerInvariant()} of {component.Name}. We are investigating.",
                [(component, status)], null, now, overrideComponents: false, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            StatusPageLog.AutomaticIncidentOpened(logger, page.TenantId, open.Id);
        }
        else if (!open.StaffManaged && status != previous)
        {
            if (impact > open.Impact) open.Impact = impact;
            await IncidentTimeline.PostAsync(db, open, open.Status, $"{component.Name} is now showing {Describe(status).ToLowerInvariant()}.",
                [(component, status)], null, now, overrideComponents: false, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static IncidentImpact ImpactOf(ComponentStatus status) => status switch
    {
        ComponentStatus.MajorOutage => IncidentImpact.Critical,
        ComponentStatus.PartialOutage => IncidentImpact.Major,
        _ => IncidentImpact.Minor,
    };

    private static string Describe(ComponentStatus status) => status switch
    {
        ComponentStatus.DegradedPerformance => "Degraded performance",
        ComponentStatus.PartialOutage => "Partial outage",
        ComponentStatus.MajorOutage => "Major outage",
        ComponentStatus.UnderMaintenance => "Under maintenance",
        _ => "Operational",
    };
}
