using IntegrationHealth.Data;
using IntegrationHealth.Ingestion.Accounts;
using IntegrationHealth.Ingestion.Upserts;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHealth.Ingestion.SupportTickets;

/// <summary>Support tickets: bulk upsert and list.</summary>
public static class SupportTicketsApi
{
    public static IEndpointRouteBuilder MapSupportTicketsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/support-tickets").WithTags("Support tickets");

        api.MapPost("", UpsertSupportTickets)
            .AsBulkUpsert<SupportTicketInput>("UpsertSupportTickets", "Insert or update support tickets by external id");
        api.MapGet("", ListSupportTickets)
            .AsAccountOwnedList("ListSupportTickets", "List the tenant's support tickets, optionally of one account, paged by cursor");

        return app;
    }

    public static Task<Results<Ok<UpsertResult>, ProblemHttpResult>> UpsertSupportTickets(
        HttpContext context, [AsParameters] IngestionServices services) =>
        BulkUpsert.HandleAsync(context, services, SupportTicketUpserts.Definition);

    public static Task<Results<Ok<Page<SupportTicketView>>, ProblemHttpResult>> ListSupportTickets(
        HttpContext context, [AsParameters] IngestionServices services, string? account, int? limit, string? cursor) =>
        AccountOwnedLists.ListAsync(context, services, account, limit, cursor, db => db.SupportTickets, (r, catalogue) =>
            new SupportTicketView(
                r.Row.ExternalId, r.Account, r.Row.ProviderId is { } p ? catalogue.KeysById.GetValueOrDefault(p, "?") : null,
                r.Row.Subject, r.Row.Priority, StoredInstant.Utc(r.Row.OpenedAt), StoredInstant.Utc(r.Row.ClosedAt),
                r.Row.Category is { } category ? WireNames.Of(category) : null, WireNames.Of(r.Row.Status),
                StoredInstant.Utc(r.Row.FirstResponseAt), StoredInstant.Utc(r.Row.ResolvedAt)),
            t => t.ProviderId);
}
