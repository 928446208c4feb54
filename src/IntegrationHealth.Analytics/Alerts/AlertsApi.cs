using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHealth.Analytics.Alerts;

/// <summary>Alerts: list (filter by state and kind, keyset paged), get, acknowledge.</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/alerts").WithTags("Alerts");
        api.MapGet("", List).RequireAuthorization(ApiPolicies.Read).WithName("ListAlerts")
            .WithSummary("The tenant's alerts, oldest first (keyset paged); state: open, acknowledged, resolved; kind: anomaly, burn_rate, rollback_trigger")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/{id:int}", Get).RequireAuthorization(ApiPolicies.Read).WithName("GetAlert").WithSummary("One alert")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:int}/acknowledge", Acknowledge).RequireAuthorization(ApiPolicies.Admin).WithName("AcknowledgeAlert")
            .WithSummary("Acknowledge an open alert (again: no change); a resolved alert cannot be acknowledged (409)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Ok<Page<AlertView>>, ProblemHttpResult>> List(HttpContext context, IDbContextFactory<IntegrationHealthDbContext> dbFactory,
        string? state = null, string? kind = null, int? limit = null, string? cursor = null)
    {
        if (Paging.TryParse(limit, cursor, out var page) is { } problem) return problem;
        var stateIndex = state is null ? -1 : Array.IndexOf(AlertView.States, state);
        if (stateIndex < 0 && state is not null) return Problems.BadRequest("'state' must be open, acknowledged or resolved.", field: "state");
        var kindIndex = kind is null ? -1 : Array.IndexOf(AlertView.Kinds, kind);
        if (kindIndex < 0 && kind is not null) return Problems.BadRequest("'kind' must be anomaly, burn_rate or rollback_trigger.", field: "kind");
        var tenantId = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var query = db.Alerts.AsNoTracking().Where(a => a.TenantId == tenantId);
        if (stateIndex >= 0) query = query.Where(a => a.State == (AlertState)stateIndex);
        if (kindIndex >= 0) query = query.Where(a => a.Kind == (AlertKind)kindIndex);
        return TypedResults.Ok(await query.ToPageAsync(page, a => a.Id, AlertView.Of, context.RequestAborted));
    }

    public static async Task<Results<Ok<AlertView>, ProblemHttpResult>> Get(HttpContext context, int id, IDbContextFactory<IntegrationHealthDbContext> dbFactory)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var alert = await db.Alerts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.TenantId == tenantId, context.RequestAborted);
        return alert is null ? Problems.NotFound($"No alert {id}.") : TypedResults.Ok(AlertView.Of(alert));
    }

    public static async Task<Results<Ok<AlertView>, ProblemHttpResult>> Acknowledge(HttpContext context, int id,
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time, ILoggerFactory loggers)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == id && a.TenantId == tenantId, context.RequestAborted);
        if (alert is null) return Problems.NotFound($"No alert {id}.");
        var keyId = context.User.GetKeyId();
        var outcome = AlertBook.Acknowledge(alert, time.GetUtcNow().UtcDateTime, $"api-key:{keyId}");
        if (outcome == AlertBook.AcknowledgeOutcome.AlreadyResolved) return Problems.Conflict($"Alert {id} is resolved; there is nothing to acknowledge.");
        if (outcome == AlertBook.AcknowledgeOutcome.Acknowledged)
        {
            await db.SaveChangesAsync(context.RequestAborted);
            AnalyticsLog.AlertAcknowledged(loggers.CreateLogger(typeof(AlertsApi)), id, tenantId, keyId);
        }
        return TypedResults.Ok(AlertView.Of(alert));
    }
}
