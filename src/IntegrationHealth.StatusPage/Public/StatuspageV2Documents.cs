using System.Buffers;
using System.Globalization;
using System.Text.Json;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Model;

namespace IntegrationHealth.StatusPage.Public;

/// <summary>
/// Writes Atlassian Statuspage v2's public documents (<c>/api/v2/summary.json</c> and the rest) from a
/// <see cref="PageSnapshot"/>, with Statuspage's paths, field names and enumerations, so existing Statuspage clients
/// and widgets read ours unchanged. Ids are our row ids as strings; groups are components with <c>group: true</c> and
/// the ids of their <c>components</c>; a maintenance is an incident with <c>scheduled_for</c>/<c>scheduled_until</c>
/// and impact <c>maintenance</c>.
/// </summary>
public static class StatuspageV2Documents
{
    /// <summary>The documents by their path under <c>/api/v2/</c>.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "summary.json", "status.json", "components.json", "incidents.json", "incidents/unresolved.json",
        "scheduled-maintenances.json", "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json",
    ];

    public static byte[] Render(string name, PageSnapshot snapshot)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("page");
            Page(w, snapshot);
            switch (name)
            {
                case "summary.json":
                    w.WritePropertyName("components");
                    Components(w, snapshot);
                    w.WritePropertyName("incidents");
                    Incidents(w, snapshot, snapshot.UnresolvedIncidents);
                    w.WritePropertyName("scheduled_maintenances");
                    Incidents(w, snapshot, snapshot.ActiveMaintenances.Concat(snapshot.UpcomingMaintenances));
                    w.WritePropertyName("status");
                    Status(w, snapshot);
                    break;
                case "status.json":
                    w.WritePropertyName("status");
                    Status(w, snapshot);
                    break;
                case "components.json":
                    w.WritePropertyName("components");
                    Components(w, snapshot);
                    break;
                case "incidents.json":
                    w.WritePropertyName("incidents");
                    Incidents(w, snapshot, snapshot.Incidents);
                    break;
                case "incidents/unresolved.json":
                    w.WritePropertyName("incidents");
                    Incidents(w, snapshot, snapshot.UnresolvedIncidents);
                    break;
                case "scheduled-maintenances.json":
                    w.WritePropertyName("scheduled_maintenances");
                    Incidents(w, snapshot, snapshot.Maintenances);
                    break;
                case "scheduled-maintenances/upcoming.json":
                    w.WritePropertyName("scheduled_maintenances");
                    Incidents(w, snapshot, snapshot.UpcomingMaintenances);
                    break;
                case "scheduled-maintenances/active.json":
                    w.WritePropertyName("scheduled_maintenances");
                    Incidents(w, snapshot, snapshot.ActiveMaintenances);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(name), name, "Not a Statuspage v2 document.");
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The page's overall status (<c>status.indicator</c>, <c>status.description</c>).</summary>
    public static (string Indicator, string Description) Overall(PageSnapshot snapshot) =>
        StatusWire.Overall(snapshot.Components.Select(c => c.Status), snapshot.UnresolvedIncidents.Select(i => i.Impact));

    /// <summary>Statuspage's time format: ISO 8601 with milliseconds and an offset (ours is always UTC).</summary>
    public static string Time(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void Page(Utf8JsonWriter w, PageSnapshot s)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Page.Id.ToString(CultureInfo.InvariantCulture));
        w.WriteString("name", s.Page.Name);
        w.WriteString("url", s.PageUrl);
        w.WriteString("time_zone", s.Page.TimeZone);
        var updated = new[] { s.Page.UpdatedAt }.Concat(s.Components.Select(c => c.UpdatedAt)).Concat(s.Incidents.Select(i => i.UpdatedAt))
            .Concat(s.Maintenances.Select(i => i.UpdatedAt)).Max();
        w.WriteString("updated_at", Time(updated));
        w.WriteEndObject();
    }

    private static void Status(Utf8JsonWriter w, PageSnapshot s)
    {
        var (indicator, description) = Overall(s);
        w.WriteStartObject();
        w.WriteString("indicator", indicator);
        w.WriteString("description", description);
        w.WriteEndObject();
    }

    private static void Components(Utf8JsonWriter w, PageSnapshot s)
    {
        // Statuspage lists groups and components together by position.
        var entries = s.Groups.Select(g => (g.Position, Group: (StatusComponentGroup?)g, Component: (StatusComponent?)null))
            .Concat(s.Components.Select(c => (c.Position, Group: (StatusComponentGroup?)null, Component: (StatusComponent?)c)))
            .OrderBy(e => e.Position).ThenBy(e => e.Group is null ? 1 : 0).ThenBy(e => e.Group?.Id ?? e.Component!.Id);
        w.WriteStartArray();
        foreach (var (_, group, component) in entries)
        {
            if (group is not null) Group(w, s, group);
            else Component(w, s, component!);
        }
        w.WriteEndArray();
    }

    private static void Group(Utf8JsonWriter w, PageSnapshot s, StatusComponentGroup g)
    {
        w.WriteStartObject();
        w.WriteString("id", GroupId(g.Id));
        w.WriteString("name", g.Name);
        w.WriteString("status", StatusWire.Of(s.GroupStatus(g.Id)));
        w.WriteString("created_at", Time(g.CreatedAt));
        w.WriteString("updated_at", Time(g.UpdatedAt));
        w.WriteNumber("position", g.Position);
        WriteNullable(w, "description", g.Description);
        w.WriteBoolean("showcase", false);
        w.WriteNull("start_date");
        w.WriteNull("group_id");
        w.WriteString("page_id", s.Page.Id.ToString(CultureInfo.InvariantCulture));
        w.WriteBoolean("group", true);
        w.WriteBoolean("only_show_if_degraded", false);
        w.WriteStartArray("components");
        foreach (var c in s.Components.Where(c => c.GroupId == g.Id)) w.WriteStringValue(c.Id.ToString(CultureInfo.InvariantCulture));
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Group ids are in their own space, so they cannot collide with component ids: <c>g</c> + row id.</summary>
    public static string GroupId(int id) => "g" + id.ToString(CultureInfo.InvariantCulture);

    private static void Component(Utf8JsonWriter w, PageSnapshot s, StatusComponent c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id.ToString(CultureInfo.InvariantCulture));
        w.WriteString("name", c.Name);
        w.WriteString("status", StatusWire.Of(c.Status));
        w.WriteString("created_at", Time(c.CreatedAt));
        w.WriteString("updated_at", Time(c.UpdatedAt));
        w.WriteNumber("position", c.Position);
        WriteNullable(w, "description", c.Description);
        w.WriteBoolean("showcase", true);
        w.WriteString("start_date", DateTime.SpecifyKind(c.CreatedAt, DateTimeKind.Utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (c.GroupId is { } groupId) w.WriteString("group_id", GroupId(groupId));
        else w.WriteNull("group_id");
        w.WriteString("page_id", s.Page.Id.ToString(CultureInfo.InvariantCulture));
        w.WriteBoolean("group", false);
        w.WriteBoolean("only_show_if_degraded", c.OnlyShowIfDegraded);
        w.WriteEndObject();
    }

    private static void Incidents(Utf8JsonWriter w, PageSnapshot s, IEnumerable<StatusIncident> incidents)
    {
        w.WriteStartArray();
        foreach (var i in incidents) Incident(w, s, i);
        w.WriteEndArray();
    }

    private static void Incident(Utf8JsonWriter w, PageSnapshot s, StatusIncident i)
    {
        var id = i.Id.ToString(CultureInfo.InvariantCulture);
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("name", i.Name);
        w.WriteString("status", StatusWire.Of(i.Status));
        w.WriteString("created_at", Time(i.CreatedAt));
        w.WriteString("updated_at", Time(i.UpdatedAt));
        WriteTime(w, "monitoring_at", i.MonitoringAt);
        WriteTime(w, "resolved_at", i.ResolvedAt);
        w.WriteString("impact", StatusWire.Of(i.Impact));
        w.WriteString("shortlink", $"{s.PageUrl}/incidents/{id}");
        w.WriteString("started_at", Time(i.StartedAt));
        w.WriteString("page_id", s.Page.Id.ToString(CultureInfo.InvariantCulture));
        if (i.IsMaintenance)
        {
            WriteTime(w, "scheduled_for", i.ScheduledFor);
            WriteTime(w, "scheduled_until", i.ScheduledUntil);
        }
        w.WriteStartArray("incident_updates");
        foreach (var u in s.Updates[i.Id]) Update(w, u);
        w.WriteEndArray();
        w.WriteStartArray("components");
        var linked = s.IncidentComponents[i.Id].ToHashSet();
        foreach (var c in s.Components.Where(c => linked.Contains(c.Id))) Component(w, s, c);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Update(Utf8JsonWriter w, StatusIncidentUpdate u)
    {
        w.WriteStartObject();
        w.WriteString("id", u.Id.ToString(CultureInfo.InvariantCulture));
        w.WriteString("status", StatusWire.Of(u.Status));
        w.WriteString("body", u.Body);
        w.WriteString("incident_id", u.IncidentId.ToString(CultureInfo.InvariantCulture));
        w.WriteString("created_at", Time(u.CreatedAt));
        w.WriteString("updated_at", Time(u.CreatedAt));
        w.WriteString("display_at", Time(u.DisplayAt));
        var affected = IncidentTimeline.ReadAffected(u.AffectedComponents);
        if (affected.Count == 0) w.WriteNull("affected_components");
        else
        {
            w.WriteStartArray("affected_components");
            foreach (var a in affected)
            {
                w.WriteStartObject();
                w.WriteString("code", a.Code);
                w.WriteString("name", a.Name);
                w.WriteString("old_status", a.OldStatus);
                w.WriteString("new_status", a.NewStatus);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteBoolean("deliver_notifications", true);
        w.WriteNull("custom_tweet");
        w.WriteNull("tweet_id");
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTime? value)
    {
        if (value is { } v) w.WriteString(name, Time(v));
        else w.WriteNull(name);
    }
}
