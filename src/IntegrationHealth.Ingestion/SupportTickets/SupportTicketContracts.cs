namespace IntegrationHealth.Ingestion.SupportTickets;

/// <summary>A support ticket to insert or update by <see cref="ExternalId"/>.</summary>
public sealed record SupportTicketInput(
    string ExternalId, string Account, string Subject, DateTimeOffset OpenedAt, string? Provider = null,
    string? Priority = null, DateTimeOffset? ClosedAt = null);

/// <summary>A support ticket as read back.</summary>
public sealed record SupportTicketView(
    string ExternalId, string Account, string? Provider, string Subject, string Priority, DateTime OpenedAt, DateTime? ClosedAt);
