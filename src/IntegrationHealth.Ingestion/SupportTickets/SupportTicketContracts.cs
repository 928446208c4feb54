namespace IntegrationHealth.Ingestion.SupportTickets;

/// <summary>A support ticket to insert or update by <see cref="ExternalId"/>.</summary>
/// <param name="Category"><c>integration</c>, <c>billing</c>, <c>how_to</c> or <c>other</c>; none when omitted.</param>
/// <param name="Status"><c>open</c> (waiting on support), <c>pending</c> (waiting on the customer), <c>solved</c> or
/// <c>closed</c>; when omitted, <c>closed</c> if <c>closedAt</c> is given, else <c>solved</c> if <c>resolvedAt</c> is,
/// else <c>open</c>.</param>
/// <param name="FirstResponseAt">When support first answered; not before <c>openedAt</c>.</param>
/// <param name="ResolvedAt">When the ticket was resolved; not before <c>openedAt</c>.</param>
public sealed record SupportTicketInput(
    string ExternalId, string Account, string Subject, DateTimeOffset OpenedAt, string? Provider = null,
    string? Priority = null, DateTimeOffset? ClosedAt = null, string? Category = null, string? Status = null,
    DateTimeOffset? FirstResponseAt = null, DateTimeOffset? ResolvedAt = null);

/// <summary>A support ticket as read back.</summary>
public sealed record SupportTicketView(
    string ExternalId, string Account, string? Provider, string Subject, string Priority, DateTime OpenedAt, DateTime? ClosedAt,
    string? Category, string Status, DateTime? FirstResponseAt, DateTime? ResolvedAt);
