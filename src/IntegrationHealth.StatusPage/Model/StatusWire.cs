using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.StatusPage.Model;

/// <summary>The one spelling of the status page's enumerations on the wire: Statuspage v2's, so its clients and
/// widgets read ours unchanged.</summary>
public static class StatusWire
{
    private static readonly string[] ComponentStatuses = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"];
    private static readonly string[] IncidentStatuses = ["investigating", "identified", "monitoring", "resolved", "postmortem", "scheduled", "in_progress", "verifying", "completed"];
    private static readonly string[] Impacts = ["none", "minor", "major", "critical", "maintenance"];

    public static string Of(ComponentStatus status) => ComponentStatuses[(int)status];

    public static string Of(IncidentStatus status) => IncidentStatuses[(int)status];

    public static string Of(IncidentImpact impact) => Impacts[(int)impact];

    public static ComponentStatus? ParseComponentStatus(string? value) => IndexOf(ComponentStatuses, value) is { } i ? (ComponentStatus)i : null;

    public static IncidentStatus? ParseIncidentStatus(string? value) => IndexOf(IncidentStatuses, value) is { } i ? (IncidentStatus)i : null;

    public static IncidentImpact? ParseImpact(string? value) => IndexOf(Impacts, value) is { } i ? (IncidentImpact)i : null;

    public static string DescribeComponentStatuses => Describe(ComponentStatuses);

    public static string DescribeIncidentStatuses(bool maintenance) =>
        Describe(maintenance ? IncidentStatuses[5..] : IncidentStatuses[..5]);

    public static string DescribeImpacts => Describe(Impacts[..4]);

    /// <summary>True for the statuses that end an incident or a maintenance.</summary>
    public static bool IsClosed(IncidentStatus status) =>
        status is IncidentStatus.Resolved or IncidentStatus.Postmortem or IncidentStatus.Completed;

    public static bool IsMaintenanceStatus(IncidentStatus status) => status >= IncidentStatus.Scheduled;

    /// <summary>The page's overall indicator (Statuspage's <c>status.indicator</c>) and its description.</summary>
    public static (string Indicator, string Description) Overall(IEnumerable<ComponentStatus> components, IEnumerable<IncidentImpact> unresolvedImpacts)
    {
        var worst = ComponentStatus.Operational;
        var maintenance = false;
        foreach (var status in components)
        {
            if (status == ComponentStatus.UnderMaintenance) maintenance = true;
            else if (status > worst) worst = status;
        }
        var impact = IncidentImpact.None;
        foreach (var i in unresolvedImpacts)
            if (i != IncidentImpact.Maintenance && i > impact) impact = i;
        var level = Math.Max((int)worst, (int)impact);
        return level switch
        {
            3 => ("critical", "Major System Outage"),
            2 => ("major", "Partial System Outage"),
            1 => ("minor", "Minor Service Outage"),
            _ when maintenance => ("maintenance", "Service Under Maintenance"),
            _ => ("none", "All Systems Operational"),
        };
    }

    private static int? IndexOf(string[] names, string? value)
    {
        if (value is null) return null;
        var i = Array.IndexOf(names, value);
        return i >= 0 ? i : null;
    }

    private static string Describe(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
