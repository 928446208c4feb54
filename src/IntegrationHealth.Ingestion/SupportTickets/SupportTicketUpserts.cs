using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Ingestion.Upserts;

namespace IntegrationHealth.Ingestion.SupportTickets;

/// <summary>A validated support-ticket item.</summary>
public sealed record SupportTicketItem(
    int Index, string ExternalId, string Account, string? Provider, string Subject, string Priority, DateTime OpenedAt, DateTime? ClosedAt,
    SupportTicketCategory? Category, SupportTicketStatus Status, DateTime? FirstResponseAt, DateTime? ResolvedAt)
    : IAccountItem;

/// <summary>Bulk upsert of support tickets by external id. The item is the ticket's full state: optional fields left out
/// are cleared, and a status left out follows from the ticket's times (<see cref="SupportTicket.DefaultStatus"/>).</summary>
public static class SupportTicketUpserts
{
    public static readonly string[] Fields =
        ["externalId", "account", "provider", "subject", "priority", "openedAt", "closedAt", "category", "status", "firstResponseAt", "resolvedAt"];

    public static readonly UpsertDefinition<SupportTicketItem> Definition = new("support ticket", Fields, Read, ApplyAsync);

    public static SupportTicketItem? Read(ItemReader r, DateTime latestUtc)
    {
        var externalId = r.Identifier("externalId", required: true);
        var account = r.Identifier("account", required: true);
        var provider = r.Identifier("provider");
        var subject = r.String("subject", required: true, maxLength: 500);
        var priority = r.Choice("priority", WireNames.Priorities);
        var openedAt = r.Instant("openedAt", latestUtc, required: true);
        var closedAt = r.Instant("closedAt", latestUtc);
        var category = r.Choice("category", WireNames.TicketCategories, WireNames.ParseTicketCategory);
        var status = r.Choice("status", WireNames.TicketStatuses, WireNames.ParseTicketStatus);
        var firstResponseAt = r.Instant("firstResponseAt", latestUtc);
        var resolvedAt = r.Instant("resolvedAt", latestUtc);
        if (openedAt is { } o)
        {
            if (closedAt is { } c && c < o) r.Error("closedAt", "'closedAt' must not be before 'openedAt'.");
            if (firstResponseAt is { } f && f < o) r.Error("firstResponseAt", "'firstResponseAt' must not be before 'openedAt'.");
            if (resolvedAt is { } s && s < o) r.Error("resolvedAt", "'resolvedAt' must not be before 'openedAt'.");
        }
        if (externalId is null || account is null || subject is null || openedAt is null) return null;
        return new SupportTicketItem(r.Index, externalId, account, provider, subject, priority ?? "normal", openedAt.Value, closedAt,
            category, status ?? SupportTicket.DefaultStatus(closedAt, resolvedAt), firstResponseAt, resolvedAt);
    }

    public static async Task<UpsertOutcome> ApplyAsync(UpsertScope scope, IReadOnlyList<SupportTicketItem> items, CancellationToken cancellationToken)
    {
        var accounts = await BulkUpsert.ResolveAccountsAsync(scope, items, cancellationToken);
        var catalogue = await BulkUpsert.ResolveProvidersAsync(scope, items, i => i.Provider, cancellationToken);
        if (scope.Errors.Any) return new UpsertOutcome(null, scope.Errors);

        return await BulkUpsert.SaveAsync(scope, items,
            item => new SupportTicket { ExternalId = item.ExternalId, Subject = item.Subject },
            (ticket, item) =>
            {
                ticket.AccountId = accounts[item.Account];
                ticket.ProviderId = item.Provider is { } key ? catalogue.IdsByKey[key] : null;
                ticket.Subject = item.Subject;
                ticket.Priority = item.Priority;
                ticket.OpenedAt = item.OpenedAt;
                ticket.ClosedAt = item.ClosedAt;
                ticket.Category = item.Category;
                ticket.Status = item.Status;
                ticket.FirstResponseAt = item.FirstResponseAt;
                ticket.ResolvedAt = item.ResolvedAt;
            },
            cancellationToken);
    }
}
