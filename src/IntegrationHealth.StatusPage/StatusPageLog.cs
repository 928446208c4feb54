using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.StatusPage;

/// <summary>Every log line of the status page (EventIds 6000–6999). No secrets, no subscriber addresses.</summary>
internal static partial class StatusPageLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Component {ComponentId} of tenant {TenantId} is now {Status} (telemetry said {Derived})")]
    public static partial void ComponentStatusChanged(ILogger logger, int tenantId, int componentId, ComponentStatus status, ComponentStatus derived);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Opened automatic incident {IncidentId} for tenant {TenantId}")]
    public static partial void AutomaticIncidentOpened(ILogger logger, int tenantId, int incidentId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Resolved automatic incident {IncidentId} of tenant {TenantId} after recovery")]
    public static partial void AutomaticIncidentResolved(ILogger logger, int tenantId, int incidentId);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Maintenance {IncidentId} of tenant {TenantId} is now {Status}")]
    public static partial void MaintenanceTransition(ILogger logger, int tenantId, int incidentId, IncidentStatus status);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Debug, Message = "Status job evaluated {Components} components in {Pages} pages")]
    public static partial void StatusJobRan(ILogger logger, int components, int pages);
}
