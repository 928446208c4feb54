using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Model;

/// <summary>One entry of an update's <c>affected_components</c> (Statuspage's shape).</summary>
public sealed record AffectedComponent(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("old_status")] string OldStatus,
    [property: JsonPropertyName("new_status")] string NewStatus);

/// <summary>
/// Posts an update to an incident's or a maintenance's timeline, the one way both staff and the status job change an
/// incident: the incident takes the update's status; components the update names take the given status as a staff
/// override; closing an incident hands its components back to telemetry. Each update records the affected components'
/// old and new status. The caller saves.
/// </summary>
internal static class IncidentTimeline
{
    public static async Task<StatusIncidentUpdate> PostAsync(IntegrationHealthDbContext db, StatusIncident incident, IncidentStatus status,
        string body, IReadOnlyList<(StatusComponent Component, ComponentStatus Status)> changes, DateTime? expectedResolutionAt,
        DateTime now, bool overrideComponents, CancellationToken cancellationToken)
    {
        var inMaintenance = await ComponentStatuses.InMaintenanceAsync(db, incident.PageId, cancellationToken);
        var affected = new List<AffectedComponent>();
        var named = new HashSet<int>();
        foreach (var (component, newStatus) in changes)
        {
            named.Add(component.Id);
            var old = component.Status;
            if (overrideComponents) component.OverrideStatus = newStatus;
            ComponentStatuses.Apply(db, component, inMaintenance.Contains(component.Id), now);
            affected.Add(new AffectedComponent(component.Id.ToString(), component.Name, StatusWire.Of(old), StatusWire.Of(component.Status)));
        }
        if (StatusWire.IsClosed(status) && !StatusWire.IsClosed(incident.Status))
        {
            var componentIds = await db.StatusIncidentComponents.Where(c => c.IncidentId == incident.Id).Select(c => c.ComponentId).ToListAsync(cancellationToken);
            var rest = await db.StatusComponents.Where(c => componentIds.Contains(c.Id)).ToListAsync(cancellationToken);
            foreach (var component in rest.Where(c => !named.Contains(c.Id)))
            {
                var old = component.Status;
                // Staff overrides end with the incident they were set in; an automatic incident never set one.
                if (!incident.IsMaintenance && (!incident.Automatic || incident.StaffManaged)) component.OverrideStatus = null;
                // A maintenance that just completed no longer covers its components.
                var covered = !incident.IsMaintenance && inMaintenance.Contains(component.Id);
                ComponentStatuses.Apply(db, component, covered, now);
                if (old != component.Status)
                    affected.Add(new AffectedComponent(component.Id.ToString(), component.Name, StatusWire.Of(old), StatusWire.Of(component.Status)));
            }
            incident.ResolvedAt = now;
        }
        if (status == IncidentStatus.Monitoring) incident.MonitoringAt ??= now;
        incident.Status = status;
        incident.UpdatedAt = now;
        var update = new StatusIncidentUpdate
        {
            TenantId = incident.TenantId,
            IncidentId = incident.Id,
            Status = status,
            Body = body,
            AffectedComponents = affected.Count == 0 ? null : JsonSerializer.Serialize(affected),
            ExpectedResolutionAt = expectedResolutionAt,
            CreatedAt = now,
            DisplayAt = now,
        };
        db.StatusIncidentUpdates.Add(update);
        return update;
    }

    public static IReadOnlyList<AffectedComponent> ReadAffected(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<AffectedComponent>>(json) ?? [];
}
