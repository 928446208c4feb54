using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Records;

/// <summary>A cached unified record: the provider's id, whether it was deleted, when it last changed in the cache, and the record.</summary>
public sealed record CachedRecordView(string RemoteId, bool Deleted, DateTime ModifiedAt, JsonElement Data);

/// <summary><c>GET /v1/records/{model}</c>: the record cache of one connection, for the product to read.</summary>
public static class RecordsApi
{
    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/records").WithTags("Engine")
            .MapGet("/{model}", ListRecords)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListRecords")
            .WithSummary("Read a connection's synced records of one unified model, paged by cursor")
            .WithDescription("Query: connection (required, the connection's external id), modifiedAfter (an ISO 8601 instant with an offset: " +
                "only records added, updated or deleted in the cache after it), limit (1–1000, default 100), cursor. Deleted records are " +
                "listed with deleted = true, so a reader polling with modifiedAfter sees deletions. The model is the resource's unified " +
                "model (crm.contact) or, for an unmapped resource, its name. Another tenant's connection is 404.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<Page<CachedRecordView>>, ProblemHttpResult>> ListRecords(HttpContext context, string model, string? connection,
        string? modifiedAfter, int? limit, string? cursor, IDbContextFactory<IntegrationHealthDbContext> dbFactory, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (Paging.TryParse(limit, cursor, out var page) is { } problem) return problem;
        if (string.IsNullOrEmpty(connection)) return Problems.BadRequest("'connection' (the connection's external id) is required.", field: "connection");
        DateTime? after = null;
        if (modifiedAfter is not null)
        {
            if (!DateTimeOffset.TryParse(modifiedAfter, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
                || !(modifiedAfter.EndsWith('Z') || modifiedAfter.Contains('+') || modifiedAfter.LastIndexOf('-') > 9))
                return Problems.BadRequest("'modifiedAfter' must be an ISO 8601 instant with an offset, e.g. 2026-01-02T03:04:05Z.", field: "modifiedAfter");
            after = instant.UtcDateTime;
        }
        model = RouteText.Exact(context, "model", model);
        var tenantId = user.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connectionId = await db.Connections.AsNoTracking().Where(c => c.TenantId == tenantId && c.ExternalId == connection)
            .Select(c => (int?)c.Id).FirstOrDefaultAsync(cancellationToken);
        if (connectionId is null) return Problems.NotFound($"No connection '{connection}'.");
        var query = db.CachedRecords.AsNoTracking().Where(r => r.TenantId == tenantId && r.ConnectionId == connectionId && r.Model == model);
        if (after is { } bound) query = query.Where(r => r.ModifiedAt > bound);
        var records = await query.ToPageAsync(page, r => r.Id,
            r => new CachedRecordView(r.RemoteId, r.Deleted, StoredInstant.Utc(r.ModifiedAt), JsonDocument.Parse(r.Data).RootElement.Clone()), cancellationToken);
        return TypedResults.Ok(records);
    }
}
