using System.Net;
using System.Text.Json;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary>The public documents against Statuspage v2's documented shapes (metastatuspage.com/api/v2), field by
/// field: names, JSON types and enumerations.</summary>
public sealed class PublicApiTests(StatusPageFixture fixture) : IClassFixture<StatusPageFixture>
{
    private static readonly string[] ComponentStatuses = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"];
    private static readonly string[] IncidentStatuses = ["investigating", "identified", "monitoring", "resolved", "postmortem"];
    private static readonly string[] MaintenanceStatuses = ["scheduled", "in_progress", "verifying", "completed"];
    private static readonly string[] Indicators = ["none", "minor", "major", "critical", "maintenance"];

    private async Task<(int GroupId, int Grouped, int Loose, int IncidentId, int MaintenanceId)> ArrangeAsync(HttpClient client)
    {
        await Http.SendAsync(client, HttpMethod.Put, "/v1/status-page", """{"slug":"acme","name":"Acme Integrations","url":"https://status.acme.test","timeZone":"Europe/Berlin"}""", 200);
        var existing = await Http.GetAsync(client, "/v1/status-page/components");
        if (existing.GetArrayLength() > 0)
        {
            var incidents = await Http.GetAsync(client, "/v1/status-page/incidents");
            var maintenances = await Http.GetAsync(client, "/v1/status-page/maintenances");
            var groups = await Http.GetAsync(client, "/v1/status-page/groups");
            return (groups[0].GetProperty("id").GetInt32(), existing[0].GetProperty("id").GetInt32(), existing[1].GetProperty("id").GetInt32(),
                incidents[0].GetProperty("id").GetInt32(), maintenances[0].GetProperty("id").GetInt32());
        }
        var group = (await Http.PostAsync(client, "/v1/status-page/groups", """{"name":"CRM","description":"CRM integrations","position":1}""")).GetProperty("id").GetInt32();
        var grouped = (await Http.PostAsync(client, "/v1/status-page/components",
            $$"""{"name":"Salesforce sync","description":"Contacts both ways","groupId":{{group}},"position":2,"provider":"salesforce","resource":"contacts"}""")).GetProperty("id").GetInt32();
        var loose = (await Http.PostAsync(client, "/v1/status-page/components", """{"name":"Webhooks","position":3,"onlyShowIfDegraded":true}""")).GetProperty("id").GetInt32();
        var incident = (await Http.PostAsync(client, "/v1/status-page/incidents",
            $$"""{"name":"Salesforce sync failing","status":"investigating","impact":"major","body":"We are looking into it.","components":[{"id":{{grouped}},"status":"partial_outage"}]}""")).GetProperty("id").GetInt32();
        var maintenance = (await Http.PostAsync(client, "/v1/status-page/maintenances",
            $$"""{"name":"Database upgrade","scheduledFor":"2026-12-01T02:00:00Z","scheduledUntil":"2026-12-01T03:00:00Z","body":"Webhooks pause.","componentIds":[{{loose}}]}""")).GetProperty("id").GetInt32();
        return (group, grouped, loose, incident, maintenance);
    }

    private static void AssertString(JsonElement e, string name, string? expected = null)
    {
        Assert.True(e.TryGetProperty(name, out var value), $"missing '{name}' in {e}");
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        if (expected is not null) Assert.Equal(expected, value.GetString());
    }

    private static void AssertTime(JsonElement e, string name, bool nullable = false)
    {
        Assert.True(e.TryGetProperty(name, out var value), $"missing '{name}' in {e}");
        if (nullable && value.ValueKind == JsonValueKind.Null) return;
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        Assert.True(DateTimeOffset.TryParse(value.GetString(), out _), $"'{name}' is not a time: {value}");
        Assert.EndsWith("Z", value.GetString());
    }

    private static void AssertNames(JsonElement e, params string[] names) =>
        Assert.Equal(names.Order(), e.EnumerateObject().Select(p => p.Name).Order());

    private static void AssertComponent(JsonElement c)
    {
        AssertNames(c, "id", "name", "status", "created_at", "updated_at", "position", "description", "showcase", "start_date", "group_id",
            "page_id", "group", "only_show_if_degraded");
        Assert.Contains(c.GetProperty("status").GetString(), ComponentStatuses);
        Assert.Equal(JsonValueKind.Number, c.GetProperty("position").ValueKind);
        AssertTime(c, "created_at");
        AssertTime(c, "updated_at");
        Assert.Equal(JsonValueKind.False, c.GetProperty("group").ValueKind);
    }

    private static void AssertIncident(JsonElement i, bool maintenance)
    {
        string[] names = ["id", "name", "status", "created_at", "updated_at", "monitoring_at", "resolved_at", "impact", "shortlink", "started_at",
            "page_id", "incident_updates", "components"];
        AssertNames(i, maintenance ? [.. names, "scheduled_for", "scheduled_until"] : names);
        Assert.Contains(i.GetProperty("status").GetString(), maintenance ? MaintenanceStatuses : IncidentStatuses);
        Assert.Contains(i.GetProperty("impact").GetString(), maintenance ? ["maintenance"] : new[] { "none", "minor", "major", "critical" });
        AssertTime(i, "created_at");
        AssertTime(i, "updated_at");
        AssertTime(i, "started_at");
        AssertTime(i, "monitoring_at", nullable: true);
        AssertTime(i, "resolved_at", nullable: true);
        foreach (var u in i.GetProperty("incident_updates").EnumerateArray())
        {
            AssertNames(u, "id", "status", "body", "incident_id", "created_at", "updated_at", "display_at", "affected_components",
                "deliver_notifications", "custom_tweet", "tweet_id");
            Assert.Equal(i.GetProperty("id").GetString(), u.GetProperty("incident_id").GetString());
            AssertTime(u, "display_at");
        }
        foreach (var c in i.GetProperty("components").EnumerateArray()) AssertComponent(c);
    }

    [Fact]
    public async Task Summary_MatchesStatuspageV2FieldByField()
    {
        using var admin = fixture.Host.Client(fixture.AdminKey);
        var (groupId, grouped, loose, incidentId, maintenanceId) = await ArrangeAsync(admin);
        using var anonymous = fixture.Host.Client();
        var summary = await Http.GetAsync(anonymous, "/pages/acme/api/v2/summary.json");

        AssertNames(summary, "page", "components", "incidents", "scheduled_maintenances", "status");
        var page = summary.GetProperty("page");
        AssertNames(page, "id", "name", "url", "time_zone", "updated_at");
        AssertString(page, "name", "Acme Integrations");
        AssertString(page, "url", "https://status.acme.test");
        AssertString(page, "time_zone", "Europe/Berlin");
        AssertTime(page, "updated_at");

        var components = summary.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(3, components.Count);
        var group = components.Single(c => c.GetProperty("group").GetBoolean());
        AssertNames(group, "id", "name", "status", "created_at", "updated_at", "position", "description", "showcase", "start_date", "group_id",
            "page_id", "group", "only_show_if_degraded", "components");
        Assert.Equal("CRM", group.GetProperty("name").GetString());
        Assert.Equal("partial_outage", group.GetProperty("status").GetString()); // its worst component
        Assert.Equal([grouped.ToString()], group.GetProperty("components").EnumerateArray().Select(c => c.GetString()!));
        var salesforce = components.Single(c => c.GetProperty("id").GetString() == grouped.ToString());
        AssertComponent(salesforce);
        Assert.Equal("partial_outage", salesforce.GetProperty("status").GetString());
        Assert.Equal(group.GetProperty("id").GetString(), salesforce.GetProperty("group_id").GetString());
        Assert.Equal("Contacts both ways", salesforce.GetProperty("description").GetString());
        var webhooks = components.Single(c => c.GetProperty("id").GetString() == loose.ToString());
        AssertComponent(webhooks);
        Assert.Equal(JsonValueKind.Null, webhooks.GetProperty("group_id").ValueKind);
        Assert.True(webhooks.GetProperty("only_show_if_degraded").GetBoolean());
        Assert.Equal(JsonValueKind.Null, webhooks.GetProperty("description").ValueKind);
        Assert.Equal(["CRM", "Salesforce sync", "Webhooks"], components.Select(c => c.GetProperty("name").GetString()!)); // by position

        var incident = Assert.Single(summary.GetProperty("incidents").EnumerateArray());
        AssertIncident(incident, maintenance: false);
        Assert.Equal(incidentId.ToString(), incident.GetProperty("id").GetString());
        Assert.Equal("investigating", incident.GetProperty("status").GetString());
        Assert.Equal("major", incident.GetProperty("impact").GetString());
        Assert.Equal($"https://status.acme.test/incidents/{incidentId}", incident.GetProperty("shortlink").GetString());
        var update = Assert.Single(incident.GetProperty("incident_updates").EnumerateArray());
        Assert.Equal("We are looking into it.", update.GetProperty("body").GetString());
        var affected = Assert.Single(update.GetProperty("affected_components").EnumerateArray());
        AssertNames(affected, "code", "name", "old_status", "new_status");
        Assert.Equal(grouped.ToString(), affected.GetProperty("code").GetString());
        Assert.Equal("operational", affected.GetProperty("old_status").GetString());
        Assert.Equal("partial_outage", affected.GetProperty("new_status").GetString());
        Assert.Equal(grouped.ToString(), Assert.Single(incident.GetProperty("components").EnumerateArray()).GetProperty("id").GetString());

        var maintenance = Assert.Single(summary.GetProperty("scheduled_maintenances").EnumerateArray());
        AssertIncident(maintenance, maintenance: true);
        Assert.Equal(maintenanceId.ToString(), maintenance.GetProperty("id").GetString());
        Assert.Equal("scheduled", maintenance.GetProperty("status").GetString());
        Assert.Equal("2026-12-01T02:00:00.000Z", maintenance.GetProperty("scheduled_for").GetString());
        Assert.Equal("2026-12-01T03:00:00.000Z", maintenance.GetProperty("scheduled_until").GetString());

        var status = summary.GetProperty("status");
        AssertNames(status, "indicator", "description");
        Assert.Contains(status.GetProperty("indicator").GetString(), Indicators);
        Assert.Equal("major", status.GetProperty("indicator").GetString());
        Assert.Equal("Partial System Outage", status.GetProperty("description").GetString());
        _ = groupId;
    }

    [Fact]
    public async Task EveryDocument_HasItsStatuspageKeys()
    {
        using var admin = fixture.Host.Client(fixture.AdminKey);
        var (_, _, _, incidentId, maintenanceId) = await ArrangeAsync(admin);
        using var anonymous = fixture.Host.Client();
        AssertNames(await Http.GetAsync(anonymous, "/pages/acme/api/v2/status.json"), "page", "status");
        AssertNames(await Http.GetAsync(anonymous, "/pages/acme/api/v2/components.json"), "page", "components");
        var incidents = await Http.GetAsync(anonymous, "/pages/acme/api/v2/incidents.json");
        AssertNames(incidents, "page", "incidents");
        Assert.Contains(incidents.GetProperty("incidents").EnumerateArray(), i => i.GetProperty("id").GetString() == incidentId.ToString());
        AssertNames(await Http.GetAsync(anonymous, "/pages/acme/api/v2/incidents/unresolved.json"), "page", "incidents");
        foreach (var path in new[] { "scheduled-maintenances.json", "scheduled-maintenances/upcoming.json" })
        {
            var document = await Http.GetAsync(anonymous, "/pages/acme/api/v2/" + path);
            AssertNames(document, "page", "scheduled_maintenances");
            Assert.Contains(document.GetProperty("scheduled_maintenances").EnumerateArray(), m => m.GetProperty("id").GetString() == maintenanceId.ToString());
        }
        var active = await Http.GetAsync(anonymous, "/pages/acme/api/v2/scheduled-maintenances/active.json");
        Assert.Equal(0, active.GetProperty("scheduled_maintenances").GetArrayLength());
        var missing = await Http.GetAsync(anonymous, "/pages/no-such-page/api/v2/summary.json", 404);
        Assert.Equal(404, missing.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Documents_CachedWithETag_AndInvalidatedOnChange()
    {
        using var admin = fixture.Host.Client(fixture.AdminKey);
        var (_, _, loose, _, _) = await ArrangeAsync(admin);
        using var anonymous = fixture.Host.Client();
        using var first = await anonymous.GetAsync("/pages/acme/api/v2/components.json");
        var etag = first.Headers.ETag!;
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/pages/acme/api/v2/components.json");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await anonymous.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        // The cache lasts 10 minutes in these tests: only the invalidation can make the change show at once.
        await Http.SendAsync(admin, HttpMethod.Patch, $"/v1/status-page/components/{loose}", """{"name":"Outgoing webhooks"}""", 200);
        var after = await Http.GetAsync(anonymous, "/pages/acme/api/v2/components.json");
        Assert.Contains(after.GetProperty("components").EnumerateArray(), c => c.GetProperty("name").GetString() == "Outgoing webhooks");
        await Http.SendAsync(admin, HttpMethod.Patch, $"/v1/status-page/components/{loose}", """{"name":"Webhooks"}""", 200);
    }
}
