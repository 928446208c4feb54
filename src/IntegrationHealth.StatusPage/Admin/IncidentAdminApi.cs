using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Model;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Admin;

/// <summary>Incidents and their timelines, scheduled maintenance, and subscribers (admin key). Another tenant's ids
/// are 404.</summary>
public static class IncidentAdminApi
{
    private static readonly string[] IncidentFields = ["name", "status", "impact", "body", "components", "expectedResolutionAt"];
    private static readonly string[] UpdateFields = ["status", "body", "impact", "components", "expectedResolutionAt"];
    private static readonly string[] MaintenanceFields = ["name", "scheduledFor", "scheduledUntil", "body", "componentIds", "recurrenceDays"];
    private static readonly string[] MaintenanceUpdateFields = ["status", "body"];
    private const int MaxComponents = 500;

    public static IEndpointRouteBuilder MapIncidentAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/status-page").WithTags("Status page (admin)").RequireAuthorization(ApiPolicies.Admin);

        api.MapGet("/incidents", ListIncidents).WithName("ListStatusIncidents").WithSummary("The page's incidents, newest first").ProducesProblem(404);
        api.MapPost("/incidents", CreateIncident).WithName("CreateStatusIncident").WithSummary("Open an incident with its first update")
            .Accepts<IncidentRequest>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);
        api.MapGet("/incidents/{id:int}", GetIncident).WithName("GetStatusIncident").WithSummary("One incident with its timeline").ProducesProblem(404);
        api.MapPost("/incidents/{id:int}/updates", PostIncidentUpdate).WithName("PostStatusIncidentUpdate")
            .WithSummary("Add a timeline update (an automatic incident is then staff-managed: the job no longer resolves it)")
            .Accepts<IncidentUpdateRequest>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);

        api.MapGet("/maintenances", ListMaintenances).WithName("ListStatusMaintenances").WithSummary("The page's scheduled maintenances").ProducesProblem(404);
        api.MapPost("/maintenances", CreateMaintenance).WithName("CreateStatusMaintenance")
            .WithSummary("Schedule a maintenance (the status job starts and completes it on time; recurring with recurrenceDays)")
            .Accepts<MaintenanceRequest>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);
        api.MapPost("/maintenances/{id:int}/updates", PostMaintenanceUpdate).WithName("PostStatusMaintenanceUpdate")
            .WithSummary("Move a maintenance along (in_progress, verifying, completed) with a message")
            .Accepts<MaintenanceUpdateRequest>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);

        api.MapGet("/subscribers", ListSubscribers).WithName("ListStatusSubscribers").WithSummary("The page's subscribers (no secrets)").ProducesProblem(404);
        api.MapDelete("/subscribers/{id:int}", DeleteSubscriber).WithName("DeleteStatusSubscriber").WithSummary("Remove a subscriber").ProducesProblem(404);
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<IncidentView>>, ProblemHttpResult>> ListIncidents(HttpContext context, [AsParameters] AdminServices services) =>
        await ListAsync(context, services, maintenance: false);

    public static async Task<Results<Ok<IReadOnlyList<IncidentView>>, ProblemHttpResult>> ListMaintenances(HttpContext context, [AsParameters] AdminServices services) =>
        await ListAsync(context, services, maintenance: true);

    private static async Task<Results<Ok<IReadOnlyList<IncidentView>>, ProblemHttpResult>> ListAsync(HttpContext context, AdminServices services, bool maintenance)
    {
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await AdminRequests.PageAsync(db, context) is not { } page) return AdminRequests.NoPage();
        var incidents = await db.StatusIncidents.AsNoTracking().Where(i => i.PageId == page.Id && i.IsMaintenance == maintenance)
            .OrderByDescending(i => i.Id).Take(services.Settings.HistoryLimit * 4).ToListAsync(context.RequestAborted);
        return TypedResults.Ok(await ViewsAsync(db, incidents, context.RequestAborted));
    }

    public static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> GetIncident(HttpContext context, int id, [AsParameters] AdminServices services)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await db.StatusIncidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id && i.TenantId == tenantId, context.RequestAborted) is not { } incident)
            return Problems.NotFound($"No incident {id}.");
        return TypedResults.Ok((await ViewsAsync(db, [incident], context.RequestAborted))[0]);
    }

    public static async Task<Results<Created<IncidentView>, ProblemHttpResult>> CreateIncident(HttpContext context, [AsParameters] AdminServices services)
    {
        var (body, problem) = await AdminRequests.ReadAsync(context, services, IncidentFields, "incident");
        if (body is null) return problem!;
        using var _ = body;
        var name = body.String("name", 300, required: true);
        var status = IncidentStatusField(body, maintenance: false, required: true);
        var impact = body.Enum("impact", StatusWire.ParseImpact, StatusWire.DescribeImpacts, required: true);
        if (impact == IncidentImpact.Maintenance) body.Errors.Add(-1, "impact", "Schedule maintenance with POST /v1/status-page/maintenances.");
        var text = body.String("body", 4000, required: true);
        var expected = body.Instant("expectedResolutionAt");
        var requested = ComponentChanges(body);
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await AdminRequests.PageAsync(db, context) is not { } page) return AdminRequests.NoPage();
        var changes = await ResolveComponentsAsync(db, page, requested, body, context.RequestAborted);
        if (body.Errors.Any) return AdminRequests.Invalid(body, "incident");

        var now = services.Now;
        var incident = new StatusIncident
        {
            TenantId = page.TenantId, PageId = page.Id, Name = name!, Status = status!.Value, Impact = impact!.Value,
            StartedAt = now, CreatedAt = now, UpdatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(context.RequestAborted);
        db.StatusIncidents.Add(incident);
        await db.SaveChangesAsync(context.RequestAborted);
        foreach (var (component, _) in changes)
            db.StatusIncidentComponents.Add(new StatusIncidentComponent { IncidentId = incident.Id, ComponentId = component.Id, TenantId = page.TenantId });
        incident.Status = IncidentStatus.Investigating; // the timeline moves it to the first update's status
        await IncidentTimeline.PostAsync(db, incident, status.Value, text!, changes, expected, now, overrideComponents: true, context.RequestAborted);
        await db.SaveChangesAsync(context.RequestAborted);
        await transaction.CommitAsync(context.RequestAborted);
        services.Cache.Invalidate(page.TenantId);
        return TypedResults.Created($"/v1/status-page/incidents/{incident.Id}", (await ViewsAsync(db, [incident], context.RequestAborted))[0]);
    }

    public static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> PostIncidentUpdate(HttpContext context, int id, [AsParameters] AdminServices services)
    {
        var (body, problem) = await AdminRequests.ReadAsync(context, services, UpdateFields, "incident update");
        if (body is null) return problem!;
        using var _ = body;
        var tenantId = context.User.GetTenantId();
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await db.StatusIncidents.FirstOrDefaultAsync(i => i.Id == id && i.TenantId == tenantId && !i.IsMaintenance, context.RequestAborted) is not { } incident)
            return Problems.NotFound($"No incident {id}.");
        var status = IncidentStatusField(body, maintenance: false, required: true);
        var text = body.String("body", 4000, required: true);
        var impact = body.Enum("impact", StatusWire.ParseImpact, StatusWire.DescribeImpacts);
        if (impact == IncidentImpact.Maintenance) body.Errors.Add(-1, "impact", $"'impact' must be one of {StatusWire.DescribeImpacts}.");
        var expected = body.Instant("expectedResolutionAt");
        var page = await db.StatusPages.SingleAsync(p => p.Id == incident.PageId, context.RequestAborted);
        var changes = await ResolveComponentsAsync(db, page, ComponentChanges(body), body, context.RequestAborted);
        if (body.Errors.Any) return AdminRequests.Invalid(body, "incident update");

        var now = services.Now;
        await using var transaction = await db.Database.BeginTransactionAsync(context.RequestAborted);
        var linked = await db.StatusIncidentComponents.Where(c => c.IncidentId == id).Select(c => c.ComponentId).ToListAsync(context.RequestAborted);
        foreach (var (component, _) in changes.Where(c => !linked.Contains(c.Component.Id)))
            db.StatusIncidentComponents.Add(new StatusIncidentComponent { IncidentId = id, ComponentId = component.Id, TenantId = tenantId });
        if (impact is { } newImpact) incident.Impact = newImpact;
        if (incident.Automatic) incident.StaffManaged = true;
        await IncidentTimeline.PostAsync(db, incident, status!.Value, text!, changes, expected, now, overrideComponents: true, context.RequestAborted);
        await db.SaveChangesAsync(context.RequestAborted);
        await transaction.CommitAsync(context.RequestAborted);
        services.Cache.Invalidate(tenantId);
        return TypedResults.Ok((await ViewsAsync(db, [incident], context.RequestAborted))[0]);
    }

    public static async Task<Results<Created<IncidentView>, ProblemHttpResult>> CreateMaintenance(HttpContext context, [AsParameters] AdminServices services)
    {
        var (body, problem) = await AdminRequests.ReadAsync(context, services, MaintenanceFields, "maintenance");
        if (body is null) return problem!;
        using var _ = body;
        var name = body.String("name", 300, required: true);
        var from = body.Instant("scheduledFor", required: true);
        var until = body.Instant("scheduledUntil", required: true);
        if (from is { } f && until is { } u && u <= f) body.Errors.Add(-1, "scheduledUntil", "'scheduledUntil' must be after 'scheduledFor'.");
        var text = body.String("body", 4000, required: true);
        var ids = body.IntArray("componentIds", MaxComponents) ?? [];
        var recurrence = body.Int("recurrenceDays", 1, 366);
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await AdminRequests.PageAsync(db, context) is not { } page) return AdminRequests.NoPage();
        var known = await db.StatusComponents.Where(c => c.PageId == page.Id && ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(context.RequestAborted);
        foreach (var missing in ids.Except(known)) body.Errors.Add(-1, "componentIds", $"No component {missing} on this page.");
        if (body.Errors.Any) return AdminRequests.Invalid(body, "maintenance");

        var now = services.Now;
        var maintenance = new StatusIncident
        {
            TenantId = page.TenantId, PageId = page.Id, Name = name!, Status = IncidentStatus.Scheduled, Impact = IncidentImpact.Maintenance,
            IsMaintenance = true, ScheduledFor = from, ScheduledUntil = until, RecurrenceDays = recurrence, StartedAt = from!.Value,
            CreatedAt = now, UpdatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(context.RequestAborted);
        db.StatusIncidents.Add(maintenance);
        await db.SaveChangesAsync(context.RequestAborted);
        foreach (var componentId in known)
            db.StatusIncidentComponents.Add(new StatusIncidentComponent { IncidentId = maintenance.Id, ComponentId = componentId, TenantId = page.TenantId });
        await IncidentTimeline.PostAsync(db, maintenance, IncidentStatus.Scheduled, text!, [], null, now, overrideComponents: false, context.RequestAborted);
        await db.SaveChangesAsync(context.RequestAborted);
        await transaction.CommitAsync(context.RequestAborted);
        services.Cache.Invalidate(page.TenantId);
        return TypedResults.Created($"/v1/status-page/maintenances/{maintenance.Id}", (await ViewsAsync(db, [maintenance], context.RequestAborted))[0]);
    }

    public static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> PostMaintenanceUpdate(HttpContext context, int id, [AsParameters] AdminServices services)
    {
        var (body, problem) = await AdminRequests.ReadAsync(context, services, MaintenanceUpdateFields, "maintenance update");
        if (body is null) return problem!;
        using var _ = body;
        var tenantId = context.User.GetTenantId();
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await db.StatusIncidents.FirstOrDefaultAsync(i => i.Id == id && i.TenantId == tenantId && i.IsMaintenance, context.RequestAborted) is not { } maintenance)
            return Problems.NotFound($"No maintenance {id}.");
        var status = IncidentStatusField(body, maintenance: true, required: true);
        var text = body.String("body", 4000, required: true);
        if (body.Errors.Any) return AdminRequests.Invalid(body, "maintenance update");
        var now = services.Now;
        await MaintenanceTransitions.MoveAsync(db, maintenance, status!.Value, text!, now, context.RequestAborted);
        services.Cache.Invalidate(tenantId);
        return TypedResults.Ok((await ViewsAsync(db, [maintenance], context.RequestAborted))[0]);
    }

    public static async Task<Results<Ok<IReadOnlyList<SubscriberView>>, ProblemHttpResult>> ListSubscribers(HttpContext context, [AsParameters] AdminServices services)
    {
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await AdminRequests.PageAsync(db, context) is not { } page) return AdminRequests.NoPage();
        // A webhook subscriber whose endpoint answered 410 Gone is disabled too.
        var rows = await (from s in db.StatusSubscribers.AsNoTracking()
                          join e in db.WebhookEndpoints on s.WebhookEndpointId equals (int?)e.Id into endpoints
                          from e in endpoints.DefaultIfEmpty()
                          where s.PageId == page.Id
                          orderby s.Id
                          select new { s, EndpointDisabled = e != null && e.DisabledAt != null }).ToListAsync(context.RequestAborted);
        IReadOnlyList<SubscriberView> views = [.. rows.Select(r => new SubscriberView(r.s.Id, r.s.Kind == SubscriberKind.Email ? "email" : "webhook",
            r.s.Email, r.s.WebhookUrl, SubscriberComponents.Parse(r.s.ComponentIds), r.s.ConfirmedAt is not null, r.s.DisabledAt is not null || r.EndpointDisabled,
            StoredInstant.Utc(r.s.CreatedAt)))];
        return TypedResults.Ok(views);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSubscriber(HttpContext context, int id, [AsParameters] AdminServices services)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        var subscriber = await db.StatusSubscribers.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.TenantId == tenantId, context.RequestAborted);
        if (subscriber is null) return Problems.NotFound($"No subscriber {id}.");
        await using var transaction = await db.Database.BeginTransactionAsync(context.RequestAborted);
        // Its mails go with it (cascade); a webhook subscriber's endpoint in the shared outbox too, with its deliveries.
        await db.StatusSubscribers.Where(s => s.Id == id).ExecuteDeleteAsync(context.RequestAborted);
        if (subscriber.WebhookEndpointId is { } endpointId)
            await db.WebhookEndpoints.Where(e => e.Id == endpointId && e.Audience == WebhookEndpointAudience.StatusSubscriber).ExecuteDeleteAsync(context.RequestAborted);
        await transaction.CommitAsync(context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static IncidentStatus? IncidentStatusField(JsonObjectBody body, bool maintenance, bool required)
    {
        var accepted = StatusWire.DescribeIncidentStatuses(maintenance);
        var status = body.Enum("status", StatusWire.ParseIncidentStatus, accepted, required);
        if (status is { } s && StatusWire.IsMaintenanceStatus(s) != maintenance)
        {
            body.Errors.Add(-1, "status", $"'status' must be one of {accepted}.");
            return null;
        }
        return status;
    }

    private static List<(int Id, ComponentStatus Status)> ComponentChanges(JsonObjectBody body)
    {
        var result = new List<(int, ComponentStatus)>();
        foreach (var item in body.ObjectArray("components", MaxComponents) ?? [])
        {
            var ok = item.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt32(out var id) && id > 0;
            var statusName = item.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var status = StatusWire.ParseComponentStatus(statusName);
            if (!ok || status is null || item.EnumerateObject().Any(p => p.Name is not ("id" or "status")))
            {
                body.Errors.Add(-1, "components", $"Each of 'components' must be {{\"id\": <component id>, \"status\": one of {StatusWire.DescribeComponentStatuses}}}.");
                return [];
            }
            result.Add((idElement.GetInt32(), status.Value));
        }
        return result;
    }

    private static async Task<List<(StatusComponent Component, ComponentStatus Status)>> ResolveComponentsAsync(IntegrationHealthDbContext db,
        Data.Entities.StatusPage page, List<(int Id, ComponentStatus Status)> requested, JsonObjectBody body, CancellationToken cancellationToken)
    {
        var ids = requested.Select(r => r.Id).ToList();
        var components = await db.StatusComponents.Where(c => c.PageId == page.Id && ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var result = new List<(StatusComponent, ComponentStatus)>();
        foreach (var (id, status) in requested.DistinctBy(r => r.Id))
        {
            if (components.TryGetValue(id, out var component)) result.Add((component, status));
            else body.Errors.Add(-1, "components", $"No component {id} on this page.");
        }
        return result;
    }

    internal static async Task<IReadOnlyList<IncidentView>> ViewsAsync(IntegrationHealthDbContext db, IReadOnlyList<StatusIncident> incidents,
        CancellationToken cancellationToken)
    {
        var ids = incidents.Select(i => i.Id).ToList();
        var updates = (await db.StatusIncidentUpdates.AsNoTracking().Where(u => ids.Contains(u.IncidentId)).ToListAsync(cancellationToken))
            .ToLookup(u => u.IncidentId);
        var links = (await db.StatusIncidentComponents.AsNoTracking().Where(c => ids.Contains(c.IncidentId)).ToListAsync(cancellationToken))
            .ToLookup(c => c.IncidentId);
        return [.. incidents.Select(i => new IncidentView(i.Id, i.Name, StatusWire.Of(i.Status), StatusWire.Of(i.Impact), i.IsMaintenance,
            i.Automatic, i.StaffManaged, StoredInstant.Utc(i.ScheduledFor), StoredInstant.Utc(i.ScheduledUntil), i.RecurrenceDays,
            [.. links[i.Id].Select(c => c.ComponentId).Order()], StoredInstant.Utc(i.CreatedAt), StoredInstant.Utc(i.UpdatedAt),
            StoredInstant.Utc(i.ResolvedAt),
            [.. updates[i.Id].OrderByDescending(u => u.Id).Select(u => new IncidentUpdateView(u.Id, StatusWire.Of(u.Status), u.Body,
                IncidentTimeline.ReadAffected(u.AffectedComponents), StoredInstant.Utc(u.ExpectedResolutionAt), StoredInstant.Utc(u.CreatedAt)))]))];
    }
}

/// <summary>A subscriber's component choice as stored (comma-separated ids; null: all).</summary>
internal static class SubscriberComponents
{
    public static IReadOnlyList<int>? Parse(string? stored) =>
        stored is null ? null : [.. stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];
}
