namespace IntegrationHealth.Ingestion.Accounts;

/// <summary>An account to insert or update by <see cref="ExternalId"/>.</summary>
public sealed record AccountInput(
    string ExternalId, string Name, decimal? Arr, string? Segment, string? Plan, int? Seats, string? Csm,
    DateTimeOffset? CreatedAt, DateTimeOffset? ChurnedAt);

/// <summary>An account as read back.</summary>
public sealed record AccountView(
    string ExternalId, string Name, decimal Arr, string Segment, string? Plan, int Seats, string? Csm,
    DateTime CreatedAt, DateTime? ChurnedAt);
