namespace IntegrationHealth.Ingestion.Events;

// Shapes of POST /v1/events for the OpenAPI document. The endpoint parses bodies itself (strictly, collecting every
// error), but accepts exactly these properties; a test keeps the two in step.

/// <summary>One telemetry event as sent to <c>POST /v1/events</c>.</summary>
public sealed record EventInput(
    Guid Id, string Kind, DateTimeOffset OccurredAt, string Account, string Provider, string? Connection = null,
    string? Resource = null, string? Method = null, int? Status = null, int? LatencyMs = null,
    string? Outcome = null, string? ErrorClass = null, int? Records = null, int? RateLimitRemaining = null,
    int? RateLimitLimit = null, string? UserId = null);

/// <summary>Answer of <c>POST /v1/events</c>: events stored, and events skipped because their id was already stored for the tenant.</summary>
public sealed record IngestResult(int Accepted, int Duplicates);

/// <summary>A stored telemetry event, in the ingestion wire format.</summary>
public sealed record EventView(
    Guid Id, string Kind, DateTime OccurredAt, string Account, string Provider, string? Connection, string? Resource,
    string? Method, int? Status, int? LatencyMs, string Outcome, string ErrorClass, int? Records,
    int? RateLimitRemaining, int? RateLimitLimit, string? UserId);
