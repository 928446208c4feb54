using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo.World;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Demo.Tests;

/// <summary>The demo tenant's status page: seeded with the world, once, with the world's incidents as its history.</summary>
public sealed class DemoStatusPageTests
{
    private static readonly DemoWorldOptions Small = new()
    {
        Accounts = 20,
        Days = 30,
        EndUtc = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc),
        BatchSize = 2_000,
        EventDensity = 0.05,
    };

    private static IntegrationHealthDbContext Context(SqliteTestDatabase store) => DemoSeederTests.Context(store);

    [Fact]
    public async Task SeedIfEmptyAsync_SeedsPageWithAComponentPerProvider_WorldIncidentsResolved_MaintenanceUpcoming()
    {
        await using var store = await TestDatabase.MigratedSqliteAsync();
        Assert.True(await DemoSeeder.SeedIfEmptyAsync(store.Services, Small));
        var world = DemoWorld.Generate(Small);
        await using var db = Context(store);

        var tenant = await db.Tenants.SingleAsync(t => t.Key == "demo");
        var page = await db.StatusPages.SingleAsync();
        Assert.Equal(("demo", tenant.Id, tenant.Name), (page.Slug, page.TenantId, page.Name));
        var components = await db.StatusComponents.Where(c => c.PageId == page.Id).OrderBy(c => c.Position).ToListAsync();
        var providers = await db.Providers.Where(p => p.TenantId == null).ToDictionaryAsync(p => p.Id, p => p.Key);
        Assert.Equal(DemoCatalog.Providers.Select(p => p.Key), components.Select(c => providers[c.ProviderId!.Value]));
        Assert.All(components, c => Assert.Equal((ComponentStatus.Operational, (string?)null, false), (c.Status, c.Resource, c.OnlyShowIfDegraded)));
        var groups = await db.StatusComponentGroups.Where(g => g.PageId == page.Id).ToDictionaryAsync(g => g.Id, g => g.Name);
        Assert.Equal(4, groups.Count);
        Assert.All(components, c => Assert.True(c.GroupId is { } g && groups.ContainsKey(g)));
        Assert.Equal("CRM & marketing", groups[components.Single(c => c.Name == "HubSpot").GroupId!.Value]);

        // Every incident of the world, resolved, on its provider's component, with the same instants as the telemetry.
        var incidents = await db.StatusIncidents.Where(i => !i.IsMaintenance).OrderBy(i => i.StartedAt).ToListAsync();
        Assert.True(world.Incidents.Count >= 4, $"the 30-day world has {world.Incidents.Count} incidents");
        Assert.Equal(world.Incidents.OrderBy(i => i.Start).Select(i => (i.Description, i.Start, (DateTime?)i.End)),
            incidents.Select(i => (i.Name, i.StartedAt, i.ResolvedAt)));
        Assert.All(incidents, i => Assert.Equal(IncidentStatus.Resolved, i.Status));
        var outage = incidents.Single(i => i.Name.StartsWith("NetSuite", StringComparison.Ordinal));
        Assert.Equal(IncidentImpact.Major, outage.Impact);
        var netsuite = components.Single(c => providers[c.ProviderId!.Value] == "netsuite");
        Assert.Equal(netsuite.Id, (await db.StatusIncidentComponents.SingleAsync(l => l.IncidentId == outage.Id)).ComponentId);
        var changes = await db.StatusComponentChanges.Where(c => c.ComponentId == netsuite.Id).OrderBy(c => c.At).ToListAsync();
        Assert.Equal([(ComponentStatus.Operational, world.WindowStart), (ComponentStatus.MajorOutage, outage.StartedAt), (ComponentStatus.Operational, outage.ResolvedAt!.Value)],
            changes.Select(c => (c.Status, c.At)));
        var updates = await db.StatusIncidentUpdates.Where(u => u.IncidentId == outage.Id).OrderBy(u => u.DisplayAt).ToListAsync();
        Assert.Equal([IncidentStatus.Investigating, IncidentStatus.Identified, IncidentStatus.Resolved], updates.Select(u => u.Status));
        Assert.Contains("\"new_status\":\"major_outage\"", updates[0].AffectedComponents);
        // The seeded past is not news for subscribers who join later.
        Assert.False(await db.StatusIncidentUpdates.AnyAsync(u => u.NotifiedAt == null));

        var maintenance = await db.StatusIncidents.SingleAsync(i => i.IsMaintenance);
        Assert.Equal(IncidentStatus.Scheduled, maintenance.Status);
        Assert.True(maintenance.ScheduledFor > Small.EndUtc, "the maintenance is upcoming when seeded");
        var covered = await db.StatusIncidentComponents.SingleAsync(l => l.IncidentId == maintenance.Id);
        Assert.Equal(DemoStatusPage.MaintenanceProvider, providers[components.Single(c => c.Id == covered.ComponentId).ProviderId!.Value]);
    }

    [Fact]
    public async Task EnsureAsync_StoreSeededWithoutPage_AddsItOnce()
    {
        await using var store = await TestDatabase.MigratedSqliteAsync();
        await DemoSeeder.SeedEntitiesAsync(store.Services, DemoWorld.Generate(Small));
        await using (var db = Context(store)) Assert.False(await db.StatusPages.AnyAsync());

        // A store seeded before the demo had a page: the next start (already seeded) adds it, later ones add nothing.
        Assert.False(await DemoSeeder.SeedIfEmptyAsync(store.Services, Small));
        var once = store.Dump();
        Assert.Contains(once, r => r.StartsWith("status_pages|", StringComparison.Ordinal));
        Assert.False(await DemoStatusPage.EnsureAsync(store.Services, Small));
        Assert.False(await DemoSeeder.SeedIfEmptyAsync(store.Services, Small));
        Assert.Equal(once, store.Dump());
        await using (var db = Context(store))
        {
            Assert.Equal(1, await db.StatusPages.CountAsync());
            Assert.Equal(DemoCatalog.Providers.Count, await db.StatusComponents.CountAsync());
        }
    }

    [Fact]
    public async Task EnsureAsync_SlugHeldByAnotherTenant_WritesNothing()
    {
        await using var store = await TestDatabase.MigratedSqliteAsync();
        await DemoSeeder.SeedEntitiesAsync(store.Services, DemoWorld.Generate(Small));
        await using (var db = Context(store))
        {
            var other = new Tenant { Key = "other", Name = "Other", CreatedAt = Small.EndUtc!.Value };
            db.Tenants.Add(other);
            await db.SaveChangesAsync();
            db.StatusPages.Add(new Data.Entities.StatusPage { TenantId = other.Id, Slug = "demo", Name = "Other's page" });
            await db.SaveChangesAsync();
        }
        Assert.False(await DemoStatusPage.EnsureAsync(store.Services, Small));
        await using (var db = Context(store)) Assert.Equal("Other's page", (await db.StatusPages.SingleAsync()).Name);
    }
}
