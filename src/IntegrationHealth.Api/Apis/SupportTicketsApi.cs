using IntegrationHealth.Api.Auth;
using IntegrationHealth.Api.Contracts;
using IntegrationHealth.Api.Upserts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Apis;

/// <summary>Support tickets: bulk upsert and list.</summary>
public static class SupportTicketsApi
{
    public static IEndpointRouteBuilder MapSupportTicketsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/support-tickets").WithTags("Support tickets");

        api.MapPost("", UpsertSupportTickets)
            .RequireAuthorization(ApiPolicies.Ingest)
            .WithName("UpsertSupportTickets")
            .WithSummary("Insert or update support tickets by external id")
            .Accepts<SupportTicketInput[]>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapGet("", ListSupportTickets)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListSupportTickets")
            .WithSummary("List the tenant's support tickets, optionally of one account, paged by cursor")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Ok<UpsertResult>, ProblemHttpResult>> UpsertSupportTickets(HttpContext context, [AsParameters] StoreServices services)
    {
        var catalogue = await services.Providers.GetAsync(cancellationToken: context.RequestAborted);
        return await services.UpsertAsync(context, "support ticket", SupportTicketUpserts.Fields, SupportTicketUpserts.Read, t => t.ExternalId,
            async (db, tenantId, items, errors, ct) =>
            {
                var fresh = items.All(i => i.Provider is null || catalogue.IdsByKey.ContainsKey(i.Provider))
                    ? catalogue
                    : await services.Providers.GetAsync(items.Where(i => i.Provider is not null).Select(i => i.Provider!), ct);
                return await SupportTicketUpserts.ApplyAsync(db, tenantId, items, fresh, errors, ct);
            });
    }

    public static async Task<Results<Ok<Page<SupportTicketView>>, ProblemHttpResult>> ListSupportTickets(
        HttpContext context, [AsParameters] StoreServices services, string? account, int? limit, string? cursor)
    {
        if (Paging.TryParse(limit, cursor, out var take, out var afterId) is { } problem) return problem;
        var tenantId = context.User.GetTenantId();
        var ct = context.RequestAborted;
        await using var db = await services.DbFactory.CreateDbContextAsync(ct);
        var accountId = await AccountFilter.ResolveAsync(db, tenantId, account, ct);
        if (accountId == AccountFilter.NotFound) return Problems.NotFound($"No account '{account}'.");

        var query = from t in db.SupportTickets.AsNoTracking()
                    join a in db.Accounts.AsNoTracking() on t.AccountId equals a.Id
                    where t.TenantId == tenantId && t.Id > afterId && (accountId == null || t.AccountId == accountId)
                    orderby t.Id
                    select new { Ticket = t, Account = a.ExternalId };
        var rows = await query.Take(take + 1).ToListAsync(ct);
        var more = rows.Count > take;
        if (more) rows.RemoveAt(rows.Count - 1);
        var catalogue = await services.Providers.GetAsync(cancellationToken: ct);
        var items = rows.Select(r => new SupportTicketView(
            r.Ticket.ExternalId, r.Account, r.Ticket.ProviderId is { } p ? catalogue.KeysById.GetValueOrDefault(p, "?") : null,
            r.Ticket.Subject, r.Ticket.Priority, Paging.Utc(r.Ticket.OpenedAt), Paging.Utc(r.Ticket.ClosedAt))).ToList();
        return TypedResults.Ok(new Page<SupportTicketView>(items, Paging.Next(more, rows.Count > 0 ? rows[^1].Ticket.Id : 0)));
    }
}
