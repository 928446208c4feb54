namespace IntegrationHealth.Api.Contracts;

/// <summary>An account as read back.</summary>
public sealed record AccountView(
    string ExternalId, string Name, decimal Arr, string Segment, string? Plan, int Seats, string? Csm,
    DateTime CreatedAt, DateTime? ChurnedAt);

/// <summary>A connection as read back.</summary>
public sealed record ConnectionView(
    string ExternalId, string Account, string Provider, string Status, string AuthKind, string? Scopes,
    string? InstanceUrl, string? ApiVersion, DateTime? LastSyncAt, string? SyncCursor, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A catalogue provider.</summary>
public sealed record ProviderView(string Key, string Name, string? Category);

/// <summary>A support ticket as read back.</summary>
public sealed record SupportTicketView(
    string ExternalId, string Account, string? Provider, string Subject, string Priority, DateTime OpenedAt, DateTime? ClosedAt);

/// <summary>A survey response as read back.</summary>
public sealed record SurveyResponseView(
    string ExternalId, string Account, string? UserId, int Score, string? Comment, DateTime RespondedAt);

/// <summary>A stored telemetry event, in the ingestion wire format.</summary>
public sealed record EventView(
    Guid Id, string Kind, DateTime OccurredAt, string Account, string Provider, string? Connection, string? Resource,
    string? Method, int? Status, int? LatencyMs, string Outcome, string ErrorClass, int? Records,
    int? RateLimitRemaining, int? RateLimitLimit, string? UserId);

/// <summary>An API key without its secret.</summary>
public sealed record ApiKeyView(int Id, string Prefix, string? Name, IReadOnlyList<string> Scopes, DateTime CreatedAt, DateTime? RevokedAt);

/// <summary>A key just created; <see cref="Key"/> is shown this once and cannot be retrieved later.</summary>
public sealed record CreatedApiKeyView(int Id, string Key, string Prefix, string? Name, IReadOnlyList<string> Scopes, DateTime CreatedAt);
