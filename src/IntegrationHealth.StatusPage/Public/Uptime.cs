using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.StatusPage.Public;

/// <summary>One day of a component's uptime bar: the share of the day it was up (null before the component existed)
/// and the incidents that touched it that day.</summary>
public sealed record UptimeDay(DateOnly Day, double? Percent, ComponentStatus Worst, IReadOnlyList<StatusIncident> Incidents);

/// <summary>
/// Uptime from the record of shown statuses (<see cref="StatusComponentChange"/>): a status holds from its change to the
/// next. Partial and major outages count as down; degraded performance and maintenance as up (as Statuspage's
/// uptime counts them). Days are UTC.
/// </summary>
public static class Uptime
{
    public const int Days = 90;

    public static IReadOnlyList<UptimeDay> Bars(PageSnapshot s, StatusComponent component)
    {
        var today = DateOnly.FromDateTime(s.ReadAt);
        var result = new List<UptimeDay>(Days);
        for (var d = Days - 1; d >= 0; d--)
        {
            var day = today.AddDays(-d);
            var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var end = start.AddDays(1);
            var (percent, worst) = Share(s, component, start, end < s.ReadAt ? end : s.ReadAt);
            var incidents = s.Incidents.Where(i => s.IncidentComponents[i.Id].Contains(component.Id)
                && i.StartedAt < end && (i.ResolvedAt ?? s.ReadAt) >= start).ToList();
            result.Add(new UptimeDay(day, percent, worst, incidents));
        }
        return result;
    }

    /// <summary>Uptime share over [<paramref name="from"/>, <paramref name="to"/>), or null when the component did not
    /// exist then.</summary>
    public static (double? Percent, ComponentStatus Worst) Share(PageSnapshot s, StatusComponent component, DateTime from, DateTime to)
    {
        var created = DateTime.SpecifyKind(component.CreatedAt, DateTimeKind.Utc);
        if (from < created) from = created;
        if (to <= from) return (null, ComponentStatus.Operational);
        var changes = s.Changes[component.Id].OrderBy(c => c.At).ThenBy(c => c.Id).ToList();
        var status = changes.LastOrDefault(c => c.At <= from)?.Status ?? ComponentStatus.Operational;
        var at = from;
        double down = 0;
        var worst = status;
        foreach (var change in changes.Where(c => c.At > from && c.At < to))
        {
            if (IsDown(status)) down += (change.At - at).TotalSeconds;
            status = change.Status;
            at = change.At;
            if (Severity(status) > Severity(worst)) worst = status;
        }
        if (IsDown(status)) down += (to - at).TotalSeconds;
        return (100.0 * (1 - down / (to - from).TotalSeconds), worst);
    }

    private static bool IsDown(ComponentStatus status) => status is ComponentStatus.PartialOutage or ComponentStatus.MajorOutage;

    private static int Severity(ComponentStatus status) => status == ComponentStatus.UnderMaintenance ? 0 : (int)status;
}
