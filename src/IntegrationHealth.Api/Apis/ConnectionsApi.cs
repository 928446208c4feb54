using IntegrationHealth.Api.Auth;
using IntegrationHealth.Api.Contracts;
using IntegrationHealth.Api.Ingestion;
using IntegrationHealth.Api.Upserts;
using IntegrationHealth.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Apis;

/// <summary>Connections (an account's link to a provider): bulk upsert and list.</summary>
public static class ConnectionsApi
{
    public static IEndpointRouteBuilder MapConnectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/connections").WithTags("Connections");

        api.MapPost("", UpsertConnections)
            .RequireAuthorization(ApiPolicies.Ingest)
            .WithName("UpsertConnections")
            .WithSummary("Insert or update connections by external id")
            .WithDescription("The account must exist for this tenant and the provider in the catalogue. All-or-nothing.")
            .Accepts<ConnectionInput[]>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapGet("", ListConnections)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListConnections")
            .WithSummary("List the tenant's connections, optionally of one account, paged by cursor")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Ok<UpsertResult>, ProblemHttpResult>> UpsertConnections(
        HttpContext context, [AsParameters] StoreServices services, ReferenceCache references)
    {
        var catalogue = await services.Providers.GetAsync(cancellationToken: context.RequestAborted);
        var result = await services.UpsertAsync(context, "connection", ConnectionUpserts.Fields, ConnectionUpserts.Read, c => c.ExternalId,
            async (db, tenantId, items, errors, ct) =>
            {
                // A provider added since the catalogue was cached must not be reported unknown.
                var fresh = items.All(i => catalogue.IdsByKey.ContainsKey(i.Provider))
                    ? catalogue
                    : await services.Providers.GetAsync(items.Select(i => i.Provider), ct);
                return await ConnectionUpserts.ApplyAsync(db, tenantId, items, fresh, errors, services.Time.GetUtcNow().UtcDateTime, ct);
            });
        // Ingestion caches accounts' connection lists; new or moved connections must be seen at once here.
        references.InvalidateConnections(context.User.GetTenantId());
        return result;
    }

    public static async Task<Results<Ok<Page<ConnectionView>>, ProblemHttpResult>> ListConnections(
        HttpContext context, [AsParameters] StoreServices services, string? account, int? limit, string? cursor)
    {
        if (Paging.TryParse(limit, cursor, out var take, out var afterId) is { } problem) return problem;
        var tenantId = context.User.GetTenantId();
        var ct = context.RequestAborted;
        await using var db = await services.DbFactory.CreateDbContextAsync(ct);
        var accountId = await AccountFilter.ResolveAsync(db, tenantId, account, ct);
        if (accountId == AccountFilter.NotFound) return Problems.NotFound($"No account '{account}'.");

        var query = from c in db.Connections.AsNoTracking()
                    join a in db.Accounts.AsNoTracking() on c.AccountId equals a.Id
                    where c.TenantId == tenantId && c.Id > afterId && (accountId == null || c.AccountId == accountId)
                    orderby c.Id
                    select new { Connection = c, Account = a.ExternalId };
        var rows = await query.Take(take + 1).ToListAsync(ct);
        var more = rows.Count > take;
        if (more) rows.RemoveAt(rows.Count - 1);
        var catalogue = await services.Providers.GetAsync(cancellationToken: ct);
        var items = rows.Select(r => new ConnectionView(
            r.Connection.ExternalId, r.Account, catalogue.KeysById.GetValueOrDefault(r.Connection.ProviderId, "?"),
            WireNames.Of(r.Connection.Status), WireNames.Of(r.Connection.AuthKind), r.Connection.Scopes, r.Connection.InstanceUrl,
            r.Connection.ApiVersion, Paging.Utc(r.Connection.LastSyncAt), r.Connection.SyncCursor,
            Paging.Utc(r.Connection.CreatedAt), Paging.Utc(r.Connection.UpdatedAt))).ToList();
        return TypedResults.Ok(new Page<ConnectionView>(items, Paging.Next(more, rows.Count > 0 ? rows[^1].Connection.Id : 0)));
    }
}

/// <summary>The optional <c>?account=</c> filter of list endpoints, resolved within the caller's tenant.</summary>
public static class AccountFilter
{
    /// <summary>Returned when the external id names no account of this tenant (another tenant's id included).</summary>
    public const int NotFound = -1;

    /// <summary>The account's row id; null when no filter was given; <see cref="NotFound"/> when unknown.</summary>
    public static async Task<int?> ResolveAsync(IntegrationHealthDbContext db, int tenantId, string? externalId, CancellationToken ct)
    {
        if (externalId is null) return null;
        var id = await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == tenantId && a.ExternalId == externalId)
            .Select(a => (int?)a.Id)
            .FirstOrDefaultAsync(ct);
        return id ?? NotFound;
    }
}
