using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Model;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Admin;

/// <summary>The tenant's page, its component groups and components (admin key). Another tenant's ids are 404.</summary>
public static partial class PageAdminApi
{
    private static readonly string[] PageFields = ["slug", "name", "url", "timeZone"];
    private static readonly string[] GroupFields = ["name", "description", "position"];
    private static readonly string[] ComponentFields = ["name", "description", "groupId", "position", "onlyShowIfDegraded", "provider", "resource", "overrideStatus"];

    public static IEndpointRouteBuilder MapPageAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/status-page").WithTags("Status page (admin)").RequireAuthorization(ApiPolicies.Admin);

        api.MapGet("", GetPage).WithName("GetStatusPage").WithSummary("The tenant's status page").ProducesProblem(404);
        api.MapPut("", PutPage).WithName("PutStatusPage").WithSummary("Create or change the tenant's status page (one per tenant)")
            .Accepts<PageRequest>("application/json").ProducesProblem(400).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);

        api.MapGet("/groups", ListGroups).WithName("ListStatusGroups").WithSummary("The page's component groups").ProducesProblem(404);
        api.MapPost("/groups", CreateGroup).WithName("CreateStatusGroup").WithSummary("Add a component group")
            .Accepts<GroupRequest>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);
        api.MapPatch("/groups/{id:int}", PatchGroup).WithName("PatchStatusGroup").WithSummary("Change a component group (only the fields given)")
            .Accepts<GroupRequest>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);
        api.MapDelete("/groups/{id:int}", DeleteGroup).WithName("DeleteStatusGroup").WithSummary("Remove a group (its components stay, ungrouped)")
            .ProducesProblem(404);

        api.MapGet("/components", ListComponents).WithName("ListStatusComponents").WithSummary("The page's components with their statuses").ProducesProblem(404);
        api.MapPost("/components", CreateComponent).WithName("CreateStatusComponent").WithSummary("Add a component, optionally driven by a provider's telemetry")
            .Accepts<ComponentRequest>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);
        api.MapPatch("/components/{id:int}", PatchComponent).WithName("PatchStatusComponent")
            .WithSummary("Change a component (only the fields given); overrideStatus sets or (null) clears the staff override")
            .Accepts<ComponentRequest>("application/json").ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415);
        api.MapDelete("/components/{id:int}", DeleteComponent).WithName("DeleteStatusComponent").WithSummary("Remove a component").ProducesProblem(404);
        return app;
    }

    public static async Task<Results<Ok<PageView>, ProblemHttpResult>> GetPage(HttpContext context, [AsParameters] AdminServices services)
    {
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        return await AdminRequests.PageAsync(db, context) is { } page ? TypedResults.Ok(View(page)) : AdminRequests.NoPage();
    }

    public static async Task<Results<Ok<PageView>, ProblemHttpResult>> PutPage(HttpContext context, [AsParameters] AdminServices services)
    {
        var (body, problem) = await AdminRequests.ReadAsync(context, services, PageFields, "status page");
        if (body is null) return problem!;
        using var _ = body;
        var slug = body.String("slug", 64, required: true);
        if (slug is not null && !PageSlug.IsValid(slug))
            body.Errors.Add(-1, "slug", "'slug' must be 1–64 lowercase letters, digits and hyphens, not starting or ending with a hyphen.");
        var name = body.String("name", 300, required: true);
        var url = body.String("url", 2000);
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http"))
            body.Errors.Add(-1, "url", "'url' must be an absolute http(s) URL.");
        var timeZone = body.String("timeZone", 100);
        if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var _))
            body.Errors.Add(-1, "timeZone", "'timeZone' must be an IANA time zone such as Europe/Berlin.");
        if (body.Errors.Any) return AdminRequests.Invalid(body, "status page");

        var tenantId = context.User.GetTenantId();
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await db.StatusPages.AnyAsync(p => p.Slug == slug && p.TenantId != tenantId, context.RequestAborted))
            return Problems.Conflict($"The slug '{slug}' is taken.");
        var page = await AdminRequests.PageAsync(db, context);
        var now = services.Now;
        if (page is null)
        {
            page = new Data.Entities.StatusPage { TenantId = tenantId, Slug = slug!, Name = name!, CreatedAt = now };
            db.StatusPages.Add(page);
        }
        page.Slug = slug!;
        page.Name = name!;
        page.Url = url;
        page.TimeZone = timeZone ?? "Etc/UTC";
        page.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(context.RequestAborted);
        }
        catch (DbUpdateException)
        {
            // A concurrent writer took the slug between the check and the insert.
            if (await SlugTakenAsync(services, slug!, tenantId)) return Problems.Conflict($"The slug '{slug}' is taken.");
            throw;
        }
        services.Cache.Invalidate(tenantId);
        return TypedResults.Ok(View(page));
    }

    private static async Task<bool> SlugTakenAsync(AdminServices services, string slug, int tenantId)
    {
        await using var db = await services.DbFactory.CreateDbContextAsync();
        return await db.StatusPages.AnyAsync(p => p.Slug == slug && p.TenantId != tenantId);
    }

    public static async Task<Results<Ok<IReadOnlyList<GroupView>>, ProblemHttpResult>> ListGroups(HttpContext context, [AsParameters] AdminServices services)
    {
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await AdminRequests.PageAsync(db, context) is not { } page) return AdminRequests.NoPage();
        var groups = await db.StatusComponentGroups.AsNoTracking().Where(g => g.PageId == page.Id).ToListAsync(context.RequestAborted);
        IReadOnlyList<GroupView> views = [.. groups.OrderBy(g => g.Position).ThenBy(g => g.Id).Select(View)];
        return TypedResults.Ok(views);
    }

    public static async Task<Results<Created<GroupView>, ProblemHttpResult>> CreateGroup(HttpContext context, [AsParameters] AdminServices services)
    {
        var (body, problem) = await AdminRequests.ReadAsync(context, services, GroupFields, "component group");
        if (body is null) return problem!;
        using var _ = body;
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await AdminRequests.PageAsync(db, context) is not { } page) return AdminRequests.NoPage();
        var now = services.Now;
        var group = new StatusComponentGroup { TenantId = page.TenantId, PageId = page.Id, Name = "", CreatedAt = now, UpdatedAt = now };
        if (!ApplyGroup(body, group, creating: true)) return AdminRequests.Invalid(body, "component group");
        db.StatusComponentGroups.Add(group);
        await db.SaveChangesAsync(context.RequestAborted);
        services.Cache.Invalidate(page.TenantId);
        return TypedResults.Created($"/v1/status-page/groups/{group.Id}", View(group));
    }

    public static async Task<Results<Ok<GroupView>, ProblemHttpResult>> PatchGroup(HttpContext context, int id, [AsParameters] AdminServices services)
    {
        var (body, problem) = await AdminRequests.ReadAsync(context, services, GroupFields, "component group");
        if (body is null) return problem!;
        using var _ = body;
        var tenantId = context.User.GetTenantId();
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await db.StatusComponentGroups.FirstOrDefaultAsync(g => g.Id == id && g.TenantId == tenantId, context.RequestAborted) is not { } group)
            return Problems.NotFound($"No component group {id}.");
        if (!ApplyGroup(body, group, creating: false)) return AdminRequests.Invalid(body, "component group");
        group.UpdatedAt = services.Now;
        await db.SaveChangesAsync(context.RequestAborted);
        services.Cache.Invalidate(tenantId);
        return TypedResults.Ok(View(group));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteGroup(HttpContext context, int id, [AsParameters] AdminServices services)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await db.StatusComponentGroups.FirstOrDefaultAsync(g => g.Id == id && g.TenantId == tenantId, context.RequestAborted) is not { } group)
            return Problems.NotFound($"No component group {id}.");
        await db.StatusComponents.Where(c => c.GroupId == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.GroupId, (int?)null), context.RequestAborted);
        db.StatusComponentGroups.Remove(group);
        await db.SaveChangesAsync(context.RequestAborted);
        services.Cache.Invalidate(tenantId);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<IReadOnlyList<ComponentView>>, ProblemHttpResult>> ListComponents(HttpContext context, [AsParameters] AdminServices services)
    {
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await AdminRequests.PageAsync(db, context) is not { } page) return AdminRequests.NoPage();
        var components = await db.StatusComponents.AsNoTracking().Where(c => c.PageId == page.Id).ToListAsync(context.RequestAborted);
        var providers = await ProviderKeysAsync(db, components, context.RequestAborted);
        IReadOnlyList<ComponentView> views = [.. components.OrderBy(c => c.Position).ThenBy(c => c.Id).Select(c => View(c, providers))];
        return TypedResults.Ok(views);
    }

    public static async Task<Results<Created<ComponentView>, ProblemHttpResult>> CreateComponent(HttpContext context, [AsParameters] AdminServices services)
    {
        var (body, problem) = await AdminRequests.ReadAsync(context, services, ComponentFields, "component");
        if (body is null) return problem!;
        using var _ = body;
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await AdminRequests.PageAsync(db, context) is not { } page) return AdminRequests.NoPage();
        var now = services.Now;
        var component = new StatusComponent { TenantId = page.TenantId, PageId = page.Id, Name = "", CreatedAt = now, UpdatedAt = now };
        if (!await ApplyComponentAsync(db, body, component, page, creating: true, context.RequestAborted)) return AdminRequests.Invalid(body, "component");
        component.Status = ComponentStatuses.Effective(component, false);
        db.StatusComponents.Add(component);
        await db.SaveChangesAsync(context.RequestAborted);
        db.StatusComponentChanges.Add(new StatusComponentChange { TenantId = page.TenantId, ComponentId = component.Id, Status = component.Status, At = now });
        await db.SaveChangesAsync(context.RequestAborted);
        services.Cache.Invalidate(page.TenantId);
        return TypedResults.Created($"/v1/status-page/components/{component.Id}", View(component, await ProviderKeysAsync(db, [component], context.RequestAborted)));
    }

    public static async Task<Results<Ok<ComponentView>, ProblemHttpResult>> PatchComponent(HttpContext context, int id, [AsParameters] AdminServices services)
    {
        var (body, problem) = await AdminRequests.ReadAsync(context, services, ComponentFields, "component");
        if (body is null) return problem!;
        using var _ = body;
        var tenantId = context.User.GetTenantId();
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await db.StatusComponents.FirstOrDefaultAsync(c => c.Id == id && c.TenantId == tenantId, context.RequestAborted) is not { } component)
            return Problems.NotFound($"No component {id}.");
        var page = await db.StatusPages.SingleAsync(p => p.Id == component.PageId, context.RequestAborted);
        if (!await ApplyComponentAsync(db, body, component, page, creating: false, context.RequestAborted)) return AdminRequests.Invalid(body, "component");
        var now = services.Now;
        component.UpdatedAt = now;
        var inMaintenance = (await ComponentStatuses.InMaintenanceAsync(db, page.Id, context.RequestAborted)).Contains(component.Id);
        ComponentStatuses.Apply(db, component, inMaintenance, now);
        await db.SaveChangesAsync(context.RequestAborted);
        services.Cache.Invalidate(tenantId);
        return TypedResults.Ok(View(component, await ProviderKeysAsync(db, [component], context.RequestAborted)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteComponent(HttpContext context, int id, [AsParameters] AdminServices services)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await db.StatusComponents.FirstOrDefaultAsync(c => c.Id == id && c.TenantId == tenantId, context.RequestAborted) is not { } component)
            return Problems.NotFound($"No component {id}.");
        db.StatusComponents.Remove(component);
        await db.SaveChangesAsync(context.RequestAborted);
        services.Cache.Invalidate(tenantId);
        return TypedResults.NoContent();
    }

    private static bool ApplyGroup(JsonObjectBody body, StatusComponentGroup group, bool creating)
    {
        if (creating || body.Has("name")) group.Name = body.String("name", 300, required: true) ?? group.Name;
        if (body.Has("description")) group.Description = body.String("description", 2000);
        if (body.Has("position")) group.Position = body.Int("position", 0, 100_000) ?? group.Position;
        return !body.Errors.Any;
    }

    private static async Task<bool> ApplyComponentAsync(IntegrationHealthDbContext db, JsonObjectBody body, StatusComponent component, Data.Entities.StatusPage page,
        bool creating, CancellationToken cancellationToken)
    {
        if (creating || body.Has("name")) component.Name = body.String("name", 300, required: true) ?? component.Name;
        if (body.Has("description")) component.Description = body.String("description", 2000);
        if (body.Has("position")) component.Position = body.Int("position", 0, 100_000) ?? component.Position;
        if (body.Bool("onlyShowIfDegraded") is { } only) component.OnlyShowIfDegraded = only;
        if (body.Has("groupId"))
        {
            var groupId = body.Int("groupId", 1, int.MaxValue);
            if (groupId is { } g && !await db.StatusComponentGroups.AnyAsync(x => x.Id == g && x.PageId == page.Id, cancellationToken))
                body.Errors.Add(-1, "groupId", $"No component group {g} on this page.");
            component.GroupId = groupId;
        }
        if (body.Has("provider"))
        {
            var key = body.String("provider", 200, identifier: true);
            if (key is null) component.ProviderId = null;
            else if (await db.Providers.Where(p => p.Key == key && (p.TenantId == null || p.TenantId == page.TenantId))
                         .OrderBy(p => p.TenantId == null ? 1 : 0).Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken) is { } providerId)
                component.ProviderId = providerId;
            else body.Errors.Add(-1, "provider", $"Unknown provider '{key}'; see GET /v1/providers.");
        }
        if (body.Has("resource")) component.Resource = body.String("resource", 200, identifier: true);
        if (component.Resource is not null && component.ProviderId is null)
            body.Errors.Add(-1, "resource", "'resource' needs a 'provider'.");
        if (body.Has("overrideStatus"))
            component.OverrideStatus = body.Enum("overrideStatus", StatusWire.ParseComponentStatus, StatusWire.DescribeComponentStatuses);
        return !body.Errors.Any;
    }

    private static async Task<Dictionary<int, string>> ProviderKeysAsync(IntegrationHealthDbContext db, IReadOnlyCollection<StatusComponent> components,
        CancellationToken cancellationToken)
    {
        var ids = components.Where(c => c.ProviderId is not null).Select(c => c.ProviderId!.Value).Distinct().ToList();
        return await db.Providers.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Key, cancellationToken);
    }

    internal static PageView View(Data.Entities.StatusPage p) =>
        new(p.Id, p.Slug, p.Name, p.Url, p.TimeZone, StoredInstant.Utc(p.CreatedAt), StoredInstant.Utc(p.UpdatedAt));

    internal static GroupView View(StatusComponentGroup g) =>
        new(g.Id, g.Name, g.Description, g.Position, StoredInstant.Utc(g.CreatedAt), StoredInstant.Utc(g.UpdatedAt));

    internal static ComponentView View(StatusComponent c, IReadOnlyDictionary<int, string> providers) =>
        new(c.Id, c.Name, c.Description, c.GroupId, c.Position, c.OnlyShowIfDegraded,
            c.ProviderId is { } p ? providers.GetValueOrDefault(p) : null, c.Resource, StatusWire.Of(c.Status), StatusWire.Of(c.DerivedStatus),
            c.OverrideStatus is { } o ? StatusWire.Of(o) : null, StoredInstant.Utc(c.UpdatedAt));
}
