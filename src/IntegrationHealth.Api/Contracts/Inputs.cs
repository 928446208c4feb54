namespace IntegrationHealth.Api.Contracts;

// Shapes of the write endpoints' request items, for the OpenAPI document. The endpoints parse bodies themselves
// (strictly, collecting every error), but accept exactly these properties; a test keeps the two in step.

/// <summary>One telemetry event as sent to <c>POST /v1/events</c>.</summary>
public sealed record EventInput(
    Guid Id, string Kind, DateTimeOffset OccurredAt, string Account, string Provider, string? Connection,
    string? Resource, string? Method, int? Status, int? LatencyMs, string? Outcome, string? ErrorClass, int? Records,
    int? RateLimitRemaining, int? RateLimitLimit, string? UserId);

/// <summary>An account to insert or update by <see cref="ExternalId"/>.</summary>
public sealed record AccountInput(
    string ExternalId, string Name, decimal? Arr, string? Segment, string? Plan, int? Seats, string? Csm,
    DateTimeOffset? CreatedAt, DateTimeOffset? ChurnedAt);

/// <summary>A connection (an account's link to a provider) to insert or update by <see cref="ExternalId"/>.</summary>
public sealed record ConnectionInput(
    string ExternalId, string Account, string Provider, string? Status, string? AuthKind, string? Scopes,
    string? InstanceUrl, string? ApiVersion, DateTimeOffset? LastSyncAt, string? SyncCursor);

/// <summary>A support ticket to insert or update by <see cref="ExternalId"/>.</summary>
public sealed record SupportTicketInput(
    string ExternalId, string Account, string? Provider, string Subject, string? Priority, DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt);

/// <summary>An NPS survey response to insert or update by <see cref="ExternalId"/>.</summary>
public sealed record SurveyResponseInput(
    string ExternalId, string Account, string? UserId, int Score, string? Comment, DateTimeOffset RespondedAt);

/// <summary>Body of <c>POST /v1/keys</c>.</summary>
public sealed record CreateApiKeyRequest(IReadOnlyList<string> Scopes, string? Name);
