using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.StatusPage.Derivation;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary>
/// The status job over hand-built telemetry with a fake clock, on the real application: a component degrades on its
/// own when its provider's telemetry degrades, opens an incident, and recovers, resolving it; maintenance suppresses
/// automatic incidents; an incident staff took over is left to staff. Default rules: 5-minute window, at least 20
/// requests, major outage from 60% errors (exit 30%), shown after 2 minutes, back after 5.
/// </summary>
public sealed class ComponentStatusJobTests
{
    private sealed class World(StatusTestHost host, HttpClient admin, int tenantId, int componentId) : IAsyncDisposable
    {
        public StatusTestHost Host { get; } = host;
        public HttpClient Admin { get; } = admin;
        public int ComponentId { get; } = componentId;

        /// <summary>One minute of salesforce "contacts" requests ending now, then the job runs, then a minute passes.</summary>
        public async Task MinuteAsync(int requests, int errors)
        {
            var end = Host.Time.GetUtcNow().UtcDateTime;
            var events = new List<TelemetryEvent>();
            {
                for (var i = 0; i < requests; i++)
                {
                    var failed = i < errors;
                    events.Add(new TelemetryEvent
                    {
                        Id = Guid.CreateVersion7(), OccurredAt = end.AddSeconds(-60 + i * 59.0 / requests), TenantId = tenantId, AccountId = 1, ProviderId = 1,
                        Kind = TelemetryKind.Request, Outcome = failed ? TelemetryOutcome.Failure : TelemetryOutcome.Success,
                        ErrorClass = failed ? ErrorClass.Server5xx : ErrorClass.None, Method = HttpMethodCode.Get, HttpStatus = (short)(failed ? 503 : 200),
                        LatencyMs = 150, Resource = "contacts",
                    });
                }
                // Another resource of the same provider fails all the time: the component watches "contacts" only.
                events.Add(new TelemetryEvent
                {
                    Id = Guid.CreateVersion7(), OccurredAt = end.AddSeconds(-30), TenantId = tenantId, AccountId = 1, ProviderId = 1,
                    Kind = TelemetryKind.Request, Outcome = TelemetryOutcome.Failure, ErrorClass = ErrorClass.Server5xx, Resource = "deals",
                });
            }
            // Through the store's writer, as ingestion writes them (it numbers them for the rollup job).
            await Host.Services.GetRequiredService<ITelemetryWriter>().WriteAsync(events);
            await Host.Services.GetRequiredService<RollupJob>().RunAsync(CancellationToken.None);
            await Host.Services.GetRequiredService<ComponentStatusJob>().RunAsync(CancellationToken.None);
            Host.Time.Advance(TimeSpan.FromMinutes(1));
        }

        public Task<StatusComponent> ComponentAsync() => Host.QueryAsync(db => db.StatusComponents.AsNoTracking().SingleAsync(c => c.Id == ComponentId));

        public Task<List<StatusIncident>> AutomaticIncidentsAsync() =>
            Host.QueryAsync(db => db.StatusIncidents.AsNoTracking().Where(i => i.Automatic).OrderBy(i => i.Id).ToListAsync());

        public async ValueTask DisposeAsync()
        {
            Admin.Dispose();
            await Host.DisposeAsync();
        }
    }

    private static async Task<World> StartAsync(string source = "rollups", TestDatabase? database = null)
    {
        var host = await StatusTestHost.StartAsync(new Dictionary<string, string?> { ["StatusPage:Derivation:Source"] = source }, database);
        var key = await host.CreateKeyAsync("acme", ApiKeyScopes.Admin | ApiKeyScopes.Read);
        var tenantId = await host.QueryAsync(db => db.Tenants.Where(t => t.Key == "acme").Select(t => t.Id).SingleAsync());
        var admin = host.Client(key);
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", """{"slug":"acme","name":"Acme"}""", 200);
        var component = await Http.PostAsync(admin, "/v1/status-page/components", """{"name":"Salesforce contacts","provider":"salesforce","resource":"contacts"}""");
        return new World(host, admin, tenantId, component.GetProperty("id").GetInt32());
    }

    [Theory]
    [InlineData("rollups")]
    [InlineData("events")]
    public Task Job_ProviderDegrades_ComponentOpensIncidentAndRecovers(string source) => DegradeAndRecoverAsync(source, null);

    [PostgresFact]
    public async Task Job_OnPostgres_ProviderDegrades_ComponentOpensIncidentAndRecovers() =>
        await DegradeAndRecoverAsync("rollups", await TestDatabase.PostgresAsync());

    private static async Task DegradeAndRecoverAsync(string source, TestDatabase? database)
    {
        await using var world = await StartAsync(source, database);
        using var anonymous = world.Host.Client();

        // Three healthy minutes: nothing happens.
        for (var i = 0; i < 3; i++) await world.MinuteAsync(100, 1);
        Assert.Equal(ComponentStatus.Operational, (await world.ComponentAsync()).Status);

        // The provider fails 90% of contacts requests. Window error rates after each bad minute: 23% (4 minutes of
        // data), 36%, 54%, 72%, 90%...: worse than operational from the first, so partial outage is shown two minutes
        // later (enter duration), and major outage two minutes after the window first reached major's 60%.
        var shown = new List<ComponentStatus>();
        for (var i = 0; i < 6; i++)
        {
            await world.MinuteAsync(100, 90);
            shown.Add((await world.ComponentAsync()).Status);
        }
        Assert.Equal([ComponentStatus.Operational, ComponentStatus.Operational, ComponentStatus.PartialOutage, ComponentStatus.PartialOutage,
            ComponentStatus.PartialOutage, ComponentStatus.MajorOutage], shown);
        var degraded = await world.ComponentAsync();
        Assert.Equal(ComponentStatus.MajorOutage, degraded.DerivedStatus);
        var incident = Assert.Single(await world.AutomaticIncidentsAsync());
        Assert.Equal(IncidentStatus.Investigating, incident.Status);
        Assert.Equal(IncidentImpact.Critical, incident.Impact); // opened as major (partial outage), escalated
        Assert.Null(incident.ResolvedAt);

        var summary = await Http.GetAsync(anonymous, "/pages/acme/api/v2/summary.json");
        Assert.Equal("major_outage", summary.GetProperty("components")[0].GetProperty("status").GetString());
        Assert.Equal("critical", summary.GetProperty("status").GetProperty("indicator").GetString());
        var open = Assert.Single(summary.GetProperty("incidents").EnumerateArray());
        Assert.Equal(incident.Id.ToString(), open.GetProperty("id").GetString());

        // The provider recovers. The bad minutes leave the window within 5 minutes and the exit takes 5 more: the
        // component does not linger beyond that, and does not leave before the bad minutes have aged out.
        var recoveredAfter = 0;
        while ((await world.ComponentAsync()).Status != ComponentStatus.Operational)
        {
            await world.MinuteAsync(100, 0);
            recoveredAfter++;
            Assert.True(recoveredAfter <= 10, "The component lingered in its outage.");
        }
        // Rates 72%, 54%, 36% hold major (exit 30%); 18% points better, and 5 minutes later it is operational.
        Assert.Equal(9, recoveredAfter);
        var resolved = Assert.Single(await world.AutomaticIncidentsAsync());
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.NotNull(resolved.ResolvedAt);
        var updates = await world.Host.QueryAsync(db => db.StatusIncidentUpdates.Where(u => u.IncidentId == resolved.Id).OrderBy(u => u.Id).ToListAsync());
        Assert.Equal([IncidentStatus.Investigating, IncidentStatus.Investigating, IncidentStatus.Resolved], updates.Select(u => u.Status));
        Assert.Contains("\"old_status\":\"operational\",\"new_status\":\"partial_outage\"", updates[0].AffectedComponents);
        Assert.Contains("\"old_status\":\"partial_outage\",\"new_status\":\"major_outage\"", updates[1].AffectedComponents);
        Assert.Contains("\"old_status\":\"major_outage\",\"new_status\":\"operational\"", updates[2].AffectedComponents);

        summary = await Http.GetAsync(anonymous, "/pages/acme/api/v2/summary.json");
        Assert.Equal("operational", summary.GetProperty("components")[0].GetProperty("status").GetString());
        Assert.Equal("none", summary.GetProperty("status").GetProperty("indicator").GetString());
        Assert.Equal(0, summary.GetProperty("incidents").GetArrayLength());
        var history = await Http.GetAsync(anonymous, "/pages/acme/api/v2/incidents.json");
        Assert.Equal("resolved", Assert.Single(history.GetProperty("incidents").EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Job_DuringMaintenance_UnderMaintenanceAndNoAutomaticIncident()
    {
        await using var world = await StartAsync();
        var now = world.Host.Time.GetUtcNow();
        await Http.PostAsync(world.Admin, "/v1/status-page/maintenances",
            $$"""{"name":"CRM upgrade","scheduledFor":"{{now.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}}","scheduledUntil":"{{now.AddMinutes(20):yyyy-MM-ddTHH:mm:ssZ}}","body":"Upgrading.","componentIds":[{{world.ComponentId}}]}""");
        await world.MinuteAsync(100, 0); // not started yet
        Assert.Equal(ComponentStatus.Operational, (await world.ComponentAsync()).Status);
        for (var i = 0; i < 8; i++) await world.MinuteAsync(100, 95);
        var component = await world.ComponentAsync();
        Assert.Equal(ComponentStatus.UnderMaintenance, component.Status);
        Assert.Equal(ComponentStatus.MajorOutage, component.DerivedStatus); // telemetry still judged, just not shown
        Assert.Empty(await world.AutomaticIncidentsAsync());
        using var anonymous = world.Host.Client();
        var active = await Http.GetAsync(anonymous, "/pages/acme/api/v2/scheduled-maintenances/active.json");
        Assert.Equal("in_progress", Assert.Single(active.GetProperty("scheduled_maintenances").EnumerateArray()).GetProperty("status").GetString());

        // Past its end the maintenance completes and the component shows what telemetry says.
        for (var i = 0; i < 12; i++) await world.MinuteAsync(100, 95);
        component = await world.ComponentAsync();
        Assert.Equal(ComponentStatus.MajorOutage, component.Status);
        var maintenance = await world.Host.QueryAsync(db => db.StatusIncidents.AsNoTracking().SingleAsync(i => i.IsMaintenance));
        Assert.Equal(IncidentStatus.Completed, maintenance.Status);
    }

    [Fact]
    public async Task Job_StaffTookOver_IncidentNotResolvedAutomatically()
    {
        await using var world = await StartAsync();
        for (var i = 0; i < 6; i++) await world.MinuteAsync(100, 95);
        var incident = Assert.Single(await world.AutomaticIncidentsAsync());
        await Http.PostAsync(world.Admin, $"/v1/status-page/incidents/{incident.Id}/updates",
            """{"status":"identified","body":"A vendor outage; we are in touch with them."}""", 200);
        for (var i = 0; i < 12; i++) await world.MinuteAsync(100, 0);
        Assert.Equal(ComponentStatus.Operational, (await world.ComponentAsync()).Status);
        var kept = Assert.Single(await world.AutomaticIncidentsAsync());
        Assert.True(kept.StaffManaged);
        Assert.Equal(IncidentStatus.Identified, kept.Status);
        Assert.Null(kept.ResolvedAt);
    }
}
