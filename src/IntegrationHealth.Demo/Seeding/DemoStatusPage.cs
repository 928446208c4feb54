using System.Globalization;
using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo.World;
using IntegrationHealth.StatusPage.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Demo;

/// <summary>
/// The demo tenant's public status page: slug = the tenant key, one group per kind of integration and one component
/// per catalogue provider, each driven by that provider's telemetry (all its resources), so the status job follows the
/// live traffic. Its history is the world's own: every platform incident of the world (the NetSuite outage, the HubSpot
/// token wave, the Salesforce schema drift, the Zendesk rate-limit storms) as a resolved incident with its timeline and
/// the component's status changes at the same instants as the seeded telemetry, plus one upcoming maintenance.
/// </summary>
/// <remarks>Written once: nothing is written when the tenant already has a page (whatever staff made of it since), or
/// when another tenant holds the slug. The history's updates count as notified: subscribers who join later hear of
/// what happens next, not of the seeded past.</remarks>
public static class DemoStatusPage
{
    /// <summary>Groups by catalogue category, in page order.</summary>
    private static readonly (string Name, string[] Categories)[] Groups =
    [
        ("CRM & marketing", ["crm", "marketing"]),
        ("Support & messaging", ["support", "messaging"]),
        ("HR", ["hris"]),
        ("Finance", ["erp", "accounting"]),
    ];

    /// <summary>The provider whose upcoming maintenance the page shows.</summary>
    public const string MaintenanceProvider = "salesforce";

    /// <summary>Seeds the page of <paramref name="options"/>' tenant unless it has one; true when it wrote one. The
    /// history is that of the world the options generate (the seeded one when the options are those it was seeded with).</summary>
    public static async Task<bool> EnsureAsync(IServiceProvider services, DemoWorldOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var factory = services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await TenantWithoutPageAsync(db, options.TenantKey, cancellationToken).ConfigureAwait(false) is not { } tenant) return false;
        var world = DemoWorld.Generate(options with { EndUtc = options.ResolveEnd() });
        return await WriteAsync(db, world, tenant, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same for a world already generated (the seeder, right after writing it).</summary>
    internal static async Task<bool> EnsureAsync(IDbContextFactory<IntegrationHealthDbContext> factory, DemoWorld world, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await TenantWithoutPageAsync(db, world.Options.TenantKey, cancellationToken).ConfigureAwait(false) is not { } tenant) return false;
        return await WriteAsync(db, world, tenant, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant when it exists, has no page yet and its key can be a slug no other page holds.</summary>
    private static async Task<Tenant?> TenantWithoutPageAsync(IntegrationHealthDbContext db, string tenantKey, CancellationToken ct)
    {
        if (!PageSlug.IsValid(tenantKey)) return null;
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Key == tenantKey, ct).ConfigureAwait(false);
        if (tenant is null) return null;
        if (await db.StatusPages.AnyAsync(p => p.TenantId == tenant.Id || p.Slug == tenantKey, ct).ConfigureAwait(false)) return null;
        return tenant;
    }

    private static async Task<bool> WriteAsync(IntegrationHealthDbContext db, DemoWorld world, Tenant tenant, CancellationToken ct)
    {
        var tenantId = tenant.Id;
        var start = world.WindowStart;
        var end = world.WindowEnd;
        var providerIds = await db.Providers.AsNoTracking().Where(p => p.TenantId == null)
            .ToDictionaryAsync(p => p.Key, p => p.Id, StringComparer.Ordinal, ct).ConfigureAwait(false);
        if (!DemoCatalog.Providers.All(p => providerIds.ContainsKey(p.Key))) return false; // entities not seeded

        await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
        var page = new Data.Entities.StatusPage
        {
            TenantId = tenantId, Slug = world.Options.TenantKey,
            Name = tenant.Name,
            CreatedAt = start, UpdatedAt = start,
        };
        db.StatusPages.Add(page);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);

        var groups = Groups.Select((g, i) => new StatusComponentGroup
        {
            TenantId = tenantId, PageId = page.Id, Name = g.Name, Position = i, CreatedAt = start, UpdatedAt = start,
        }).ToList();
        db.StatusComponentGroups.AddRange(groups);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);

        var components = DemoCatalog.Providers.Select((p, i) => new StatusComponent
        {
            TenantId = tenantId, PageId = page.Id, Name = p.Name, Position = i,
            GroupId = groups[Array.FindIndex(Groups, g => g.Categories.Contains(p.Category))].Id,
            Description = $"Calls, syncs and webhooks of the {p.Name} integration.",
            ProviderId = providerIds[p.Key], CreatedAt = start, UpdatedAt = start,
        }).ToList();
        db.StatusComponents.AddRange(components);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        db.StatusComponentChanges.AddRange(components.Select(c => Change(c, ComponentStatus.Operational, start)));

        foreach (var incident in world.Incidents.OrderBy(i => i.Start).ThenBy(i => i.ProviderIndex))
        {
            await AddResolvedAsync(db, page, components[incident.ProviderIndex], incident, ct).ConfigureAwait(false);
        }
        await AddMaintenanceAsync(db, page, components[DemoCatalog.IndexOf(MaintenanceProvider)], end, ct).ConfigureAwait(false);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>How the page tells one of the world's incidents: impact, the component's status while it lasted, and
    /// the timeline's words.</summary>
    private static (IncidentImpact Impact, ComponentStatus Status, string Identified) Telling(DemoIncident incident) => incident.Kind switch
    {
        "outage" => (IncidentImpact.Major, ComponentStatus.MajorOutage, "The provider's API answers 5xx or times out; syncs are paused and retried."),
        "token_wave" => (IncidentImpact.Major, ComponentStatus.PartialOutage, "The provider revoked refresh tokens; affected customers need to reconnect."),
        "schema_drift" => (IncidentImpact.Minor, ComponentStatus.DegradedPerformance, "A field changed type on the provider's side; some records fail to map."),
        _ => (IncidentImpact.Minor, ComponentStatus.DegradedPerformance, "The provider is rate limiting our calls; syncs are slower than usual."),
    };

    private static async Task AddResolvedAsync(IntegrationHealthDbContext db, Data.Entities.StatusPage page, StatusComponent component,
        DemoIncident incident, CancellationToken ct)
    {
        var (impact, status, identified) = Telling(incident);
        var row = new StatusIncident
        {
            TenantId = page.TenantId, PageId = page.Id, Name = incident.Description, Status = IncidentStatus.Resolved, Impact = impact,
            StartedAt = incident.Start, CreatedAt = incident.Start, UpdatedAt = incident.End, ResolvedAt = incident.End,
        };
        db.StatusIncidents.Add(row);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        db.StatusIncidentComponents.Add(new StatusIncidentComponent { IncidentId = row.Id, ComponentId = component.Id, TenantId = page.TenantId });
        var identifiedAt = incident.Start + TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(30).Ticks, (incident.End - incident.Start).Ticks / 3));
        db.StatusIncidentUpdates.AddRange(
            Update(row, IncidentStatus.Investigating, $"We are investigating problems with {component.Name}.", incident.Start,
                Affected(component, ComponentStatus.Operational, status)),
            Update(row, IncidentStatus.Identified, identified, identifiedAt, null),
            Update(row, IncidentStatus.Resolved, $"{component.Name} works normally again.", incident.End,
                Affected(component, status, ComponentStatus.Operational)));
        db.StatusComponentChanges.AddRange(Change(component, status, incident.Start), Change(component, ComponentStatus.Operational, incident.End));
    }

    private static async Task AddMaintenanceAsync(IntegrationHealthDbContext db, Data.Entities.StatusPage page, StatusComponent component,
        DateTime now, CancellationToken ct)
    {
        var from = now.Date.AddDays(3).AddHours(2);
        var row = new StatusIncident
        {
            TenantId = page.TenantId, PageId = page.Id, Name = $"{component.Name} connector upgrade", Status = IncidentStatus.Scheduled,
            Impact = IncidentImpact.Maintenance, IsMaintenance = true, ScheduledFor = from, ScheduledUntil = from.AddHours(1),
            StartedAt = from, CreatedAt = now, UpdatedAt = now,
        };
        db.StatusIncidents.Add(row);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        db.StatusIncidentComponents.Add(new StatusIncidentComponent { IncidentId = row.Id, ComponentId = component.Id, TenantId = page.TenantId });
        db.StatusIncidentUpdates.Add(Update(row, IncidentStatus.Scheduled,
            $"We are upgrading the {component.Name} connector to a new API version. Syncs pause for up to an hour and catch up afterwards.", now, null));
    }

    private static StatusIncidentUpdate Update(StatusIncident incident, IncidentStatus status, string body, DateTime at, string? affected) => new()
    {
        TenantId = incident.TenantId, IncidentId = incident.Id, Status = status, Body = body, AffectedComponents = affected,
        CreatedAt = at, DisplayAt = at, NotifiedAt = at,
    };

    private static StatusComponentChange Change(StatusComponent component, ComponentStatus status, DateTime at) =>
        new() { TenantId = component.TenantId, ComponentId = component.Id, Status = status, At = at };

    /// <summary>An update's <c>affected_components</c>, in the shape the status page's own timeline writes.</summary>
    private static string Affected(StatusComponent component, ComponentStatus from, ComponentStatus to) =>
        JsonSerializer.Serialize(new[]
        {
            new AffectedComponent(component.Id.ToString(CultureInfo.InvariantCulture), component.Name, StatusWire.Of(from), StatusWire.Of(to)),
        });
}
