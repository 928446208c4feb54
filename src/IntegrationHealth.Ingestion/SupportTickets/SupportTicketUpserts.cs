using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Ingestion.Upserts;

namespace IntegrationHealth.Ingestion.SupportTickets;

/// <summary>A validated support-ticket item.</summary>
public sealed record SupportTicketItem(
    int Index, string ExternalId, string Account, string? Provider, string Subject, string Priority, DateTime OpenedAt, DateTime? ClosedAt)
    : IAccountItem;

/// <summary>Bulk upsert of support tickets by external id.</summary>
public static class SupportTicketUpserts
{
    public static readonly string[] Fields = ["externalId", "account", "provider", "subject", "priority", "openedAt", "closedAt"];

    public static readonly UpsertDefinition<SupportTicketItem> Definition = new("support ticket", Fields, Read, ApplyAsync);

    public static SupportTicketItem? Read(ItemReader r, DateTime latestUtc)
    {
        var externalId = r.String("externalId", required: true);
        var account = r.String("account", required: true);
        var provider = r.String("provider");
        var subject = r.String("subject", required: true, maxLength: 500);
        var priority = r.Choice("priority", WireNames.Priorities);
        var openedAt = r.Instant("openedAt", latestUtc, required: true);
        var closedAt = r.Instant("closedAt", latestUtc);
        if (openedAt is { } o && closedAt is { } c && c < o) r.Error("closedAt", "'closedAt' must not be before 'openedAt'.");
        if (externalId is null || account is null || subject is null || openedAt is null) return null;
        return new SupportTicketItem(r.Index, externalId, account, provider, subject, priority ?? "normal", openedAt.Value, closedAt);
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
            },
            cancellationToken);
    }
}
