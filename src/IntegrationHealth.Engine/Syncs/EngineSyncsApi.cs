using System.Security.Claims;
using Hangfire;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Syncs;

/// <summary>A sync run as the API shows it.</summary>
public sealed record SyncRunView(int Id, string Resource, string Trigger, string Status, bool Full, bool Resumed, int Pages, int Records,
    int Added, int Updated, int Deleted, int MappingFailures, int? LagSeconds, string? Error, DateTime QueuedAt, DateTime? StartedAt, DateTime? FinishedAt)
{
    public static SyncRunView Of(SyncRun r) => new(r.Id, r.Resource, r.Trigger, r.Status.ToString().ToLowerInvariant(), r.Full, r.Resumed, r.Pages,
        r.Records, r.Added, r.Updated, r.Deleted, r.MappingFailures, r.LagSeconds, r.Error, StoredInstant.Utc(r.QueuedAt),
        StoredInstant.Utc(r.StartedAt), StoredInstant.Utc(r.FinishedAt));
}

/// <summary><c>POST /v1/engine/connections/{connection}/syncs/{resource}</c> (queue a run now) and
/// <c>GET /v1/engine/connections/{connection}/syncs</c> (its runs).</summary>
public static class EngineSyncsApi
{
    public static IEndpointRouteBuilder MapEngineSyncsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/engine/connections/{connection}/syncs").WithTags("Engine");
        group.MapPost("/{resource}", TriggerSync)
            .RequireAuthorization(ApiPolicies.Ingest)
            .WithName("TriggerSync")
            .WithSummary("Queue a sync of one resource of a connection now")
            .WithDescription("Answers 202 with the queued run; a job server runs it (continuing an unfinished pass from its checkpoint). " +
                "Follow it with GET …/syncs. Another tenant's connection is 404; a resource without a list operation is 400.")
            .Produces<SyncRunView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("", ListSyncRuns)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListSyncRuns")
            .WithSummary("List a connection's sync runs, oldest first, paged by cursor")
            .WithDescription("Each run's resource, trigger, status (queued, running, succeeded, failed, skipped), whether it was a full " +
                "pass and whether it resumed one, pages, records, added/updated/deleted counts, mapping failures, lag and error.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Accepted<SyncRunView>, ProblemHttpResult>> TriggerSync(HttpContext context, string connection, string resource,
        IEngineConnections connections, SyncRunner runner, IBackgroundJobClient jobs, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        connection = RouteText.Exact(context, "connection", connection);
        resource = RouteText.Exact(context, "resource", resource);
        var tenantId = user.GetTenantId();
        var (resolution, resolved) = await connections.FindAsync(tenantId, connection, cancellationToken);
        if (resolution == ConnectionResolution.NotFound) return Problems.NotFound($"No connection '{connection}'.");
        if (resolved is null) return Problems.BadRequest("The connection's provider has no engine definition, so it cannot be synced.", field: "connection");
        if (!resolved.Provider.Definition.Resources.TryGetValue(resource, out var definition) || !definition.Operations.ContainsKey("list"))
            return Problems.BadRequest($"The provider '{resolved.ProviderKey}' has no resource '{resource}' with a list operation.", field: "resource");
        var run = await runner.QueueAsync(tenantId, resolved.Row.Id, resource, "api", cancellationToken);
        jobs.Enqueue<SyncJob>(job => job.RunAsync(run.Id, CancellationToken.None));
        return TypedResults.Accepted($"/v1/engine/connections/{Uri.EscapeDataString(connection)}/syncs", SyncRunView.Of(run));
    }

    public static async Task<Results<Ok<Page<SyncRunView>>, ProblemHttpResult>> ListSyncRuns(HttpContext context, string connection, int? limit, string? cursor,
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (Paging.TryParse(limit, cursor, out var page) is { } problem) return problem;
        connection = RouteText.Exact(context, "connection", connection);
        var tenantId = user.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connectionId = await db.Connections.AsNoTracking().Where(c => c.TenantId == tenantId && c.ExternalId == connection)
            .Select(c => (int?)c.Id).FirstOrDefaultAsync(cancellationToken);
        if (connectionId is null) return Problems.NotFound($"No connection '{connection}'.");
        var runs = await db.SyncRuns.AsNoTracking().Where(r => r.TenantId == tenantId && r.ConnectionId == connectionId)
            .ToPageAsync(page, r => r.Id, SyncRunView.Of, cancellationToken);
        return TypedResults.Ok(runs);
    }
}
