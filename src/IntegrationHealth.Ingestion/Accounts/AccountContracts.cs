namespace IntegrationHealth.Ingestion.Accounts;

/// <summary>An account to insert or update by <see cref="ExternalId"/>.</summary>
public sealed record AccountInput(
    string ExternalId, string Name, decimal? Arr = null, string? Segment = null, string? Plan = null,
    int? Seats = null, string? Csm = null, DateTimeOffset? CreatedAt = null, DateTimeOffset? ChurnedAt = null);

/// <summary>An account as read back.</summary>
public sealed record AccountView(
    string ExternalId, string Name, decimal Arr, string Segment, string? Plan, int Seats, string? Csm,
    DateTime CreatedAt, DateTime? ChurnedAt);
