using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Ingestion.Events;
using IntegrationHealth.Ingestion.Upserts;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Ingestion.Accounts;

/// <summary>Accounts: bulk upsert, paged list, one account, and an account's telemetry events.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/accounts").WithTags("Accounts");

        api.MapPost("", UpsertAccounts)
            .AsBulkUpsert<AccountInput>("UpsertAccounts", "Insert or update accounts by external id");

        api.MapGet("", ListAccounts)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListAccounts")
            .WithSummary("List the tenant's accounts, paged by cursor")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet("/{externalId}", GetAccount)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("GetAccount")
            .WithSummary("Get one account by external id")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{externalId}/events", ListAccountEvents)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListAccountEvents")
            .WithSummary("List an account's telemetry events, newest first, paged by cursor")
            .WithDescription("Filters: from (inclusive) and to (exclusive) as ISO 8601 instants, kind, limit (1-1000, default 100). " +
                "Pass nextCursor as ?cursor= (with the same filters) for the next page; null on the last.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static Task<Results<Ok<UpsertResult>, ProblemHttpResult>> UpsertAccounts(HttpContext context, [AsParameters] IngestionServices services) =>
        BulkUpsert.HandleAsync(context, services, AccountUpserts.Definition);

    public static async Task<Results<Ok<Page<AccountView>>, ProblemHttpResult>> ListAccounts(
        HttpContext context, [AsParameters] IngestionServices services, int? limit, string? cursor)
    {
        if (Paging.TryParse(limit, cursor, out var page) is { } problem) return problem;
        var tenantId = context.User.GetTenantId();
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        return TypedResults.Ok(await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenantId)
            .ToPageAsync(page, a => a.Id, ToView, context.RequestAborted));
    }

    public static async Task<Results<Ok<AccountView>, ProblemHttpResult>> GetAccount(
        HttpContext context, [AsParameters] IngestionServices services, string externalId)
    {
        if (ExactAccountId(context, ref externalId) is { } problem) return problem;
        var tenantId = context.User.GetTenantId();
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        var account = await db.Accounts.AsNoTracking()
            .FirstOrDefaultAsync(a => a.TenantId == tenantId && a.ExternalId == externalId, context.RequestAborted);
        return account is null ? Problems.NotFound($"No account '{externalId}'.") : TypedResults.Ok(ToView(account));
    }

    public static async Task<Results<Ok<Page<EventView>>, ProblemHttpResult>> ListAccountEvents(
        HttpContext context, [AsParameters] IngestionServices services, string externalId,
        DateTimeOffset? from, DateTimeOffset? to, string? kind, int? limit, string? cursor)
    {
        if (ExactAccountId(context, ref externalId) is { } problem) return problem;
        var take = limit ?? Paging.DefaultLimit;
        if (take is < 1 or > Paging.MaxLimit) return Problems.BadRequest($"'limit' must be from 1 to {Paging.MaxLimit}.", field: "limit");
        EventCursor? after = null;
        if (cursor is not null && (after = EventCursor.Parse(cursor)) is null)
            return Problems.BadRequest("'cursor' is not a cursor this API returned.", field: "cursor");
        TelemetryKind? kindFilter = null;
        if (kind is not null && (kindFilter = WireNames.ParseKind(kind)) is null)
            return Problems.BadRequest($"'kind' must be one of {WireNames.Describe(WireNames.Kinds)}.", field: "kind");
        if (from is { } f && to is { } t && t < f) return Problems.BadRequest("'to' must not be before 'from'.", field: "to");

        var tenantId = context.User.GetTenantId();
        var ct = context.RequestAborted;
        await using var db = await services.DbFactory.CreateDbContextAsync(ct);
        var accountId = await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == tenantId && a.ExternalId == externalId)
            .Select(a => (int?)a.Id)
            .FirstOrDefaultAsync(ct);
        if (accountId is null) return Problems.NotFound($"No account '{externalId}'.");

        var query = db.TelemetryEvents.AsNoTracking().Where(e => e.TenantId == tenantId && e.AccountId == accountId);
        if (from is { } fromValue)
        {
            var fromUtc = fromValue.UtcDateTime;
            query = query.Where(e => e.OccurredAt >= fromUtc);
        }
        if (to is { } toValue)
        {
            var toUtc = toValue.UtcDateTime;
            query = query.Where(e => e.OccurredAt < toUtc);
        }
        if (kindFilter is { } k) query = query.Where(e => e.Kind == k);
        if (after is { } c)
        {
            var before = c.OccurredAt;
            query = query.Where(e => e.OccurredAt <= before);
        }
        // Newest first; rows at the cursor's instant come first under "<=", so skipping the ones already returned there
        // continues exactly where the previous page stopped (ids order the rows within one instant).
        var events = await query.OrderByDescending(e => e.OccurredAt).ThenBy(e => e.Id)
            .Skip(after?.SeenAtInstant ?? 0).Take(take + 1).ToListAsync(ct);
        var more = events.Count > take;
        if (more) events.RemoveAt(events.Count - 1);

        var catalogue = await services.Providers.GetWithIdsAsync(tenantId, events.Select(e => e.ProviderId).Distinct(), ct);
        var connectionIds = events.Where(e => e.ConnectionId != null).Select(e => e.ConnectionId!.Value).Distinct().ToList();
        var connections = connectionIds.Count == 0
            ? new Dictionary<int, string>()
            : await db.Connections.AsNoTracking()
                .Where(c => c.TenantId == tenantId && connectionIds.Contains(c.Id))
                .ToDictionaryAsync(c => c.Id, c => c.ExternalId, ct);
        // The rarely present parts of an event live beside it: interned route templates, and the detail rows.
        var endpointIds = events.Where(e => e.EndpointId != null).Select(e => e.EndpointId!.Value).Distinct().ToList();
        var endpoints = endpointIds.Count == 0
            ? new Dictionary<int, string>()
            : await db.EndpointTemplates.AsNoTracking()
                .Where(t => t.TenantId == tenantId && endpointIds.Contains(t.Id))
                .ToDictionaryAsync(t => t.Id, t => t.Template, ct);
        var eventIds = events.Select(e => e.Id).ToList();
        var details = eventIds.Count == 0
            ? new Dictionary<Guid, TelemetryEventDetail>()
            : await db.TelemetryEventDetails.AsNoTracking()
                .Where(d => d.TenantId == tenantId && eventIds.Contains(d.EventId))
                .ToDictionaryAsync(d => d.EventId, ct);

        List<EventView> views = [.. events.Select(e => new EventView(
            e.Id, WireNames.Of(e.Kind), StoredInstant.Utc(e.OccurredAt), externalId,
            catalogue.KeysById.GetValueOrDefault(e.ProviderId, "?"),
            e.ConnectionId is { } cid ? connections.GetValueOrDefault(cid) : null,
            e.Resource, WireNames.Of(e.Method), e.HttpStatus, e.LatencyMs, WireNames.Of(e.Outcome), WireNames.Of(e.ErrorClass),
            e.Records, e.RateLimitRemaining, e.RateLimitLimit, e.UserId,
            e.EndpointId is { } endpoint ? endpoints.GetValueOrDefault(endpoint) : null,
            details.GetValueOrDefault(e.Id)?.ErrorMessage, details.GetValueOrDefault(e.Id)?.Field, details.GetValueOrDefault(e.Id)?.RecordId))];
        return TypedResults.Ok(new Page<EventView>(views, more ? EventCursor.After(after, events).ToString() : null));
    }

    /// <summary>
    /// The account id of the path exactly as sent (an id may hold '/', see <see cref="RouteText"/>); a 400 when it is no
    /// identifier at all (a control character reaches no row, and PostgreSQL text cannot even hold NUL).
    /// </summary>
    private static ProblemHttpResult? ExactAccountId(HttpContext context, ref string externalId)
    {
        externalId = RouteText.Exact(context, nameof(externalId), externalId);
        return TextRules.IdentifierProblem(nameof(externalId), externalId) is { } problem
            ? Problems.BadRequest(problem, field: nameof(externalId))
            : null;
    }

    private static AccountView ToView(Account a) =>
        new(a.ExternalId, a.Name, a.Arr, WireNames.Of(a.Segment), a.Plan, a.Seats, a.Csm, StoredInstant.Utc(a.CreatedAt), StoredInstant.Utc(a.ChurnedAt));
}
