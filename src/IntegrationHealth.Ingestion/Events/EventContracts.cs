namespace IntegrationHealth.Ingestion.Events;

// Shapes of POST /v1/events for the OpenAPI document. The endpoint parses bodies itself (strictly, collecting every
// error), but accepts exactly these properties; a test keeps the two in step.

/// <summary>One telemetry event as sent to <c>POST /v1/events</c>.</summary>
/// <param name="Endpoint">A request's route template beside its resource, e.g.
/// <c>/services/data/v59.0/sobjects/{type}/{id}</c>; at most 300 characters.</param>
/// <param name="ErrorMessage">A failure's message (typically a mapping failure's); at most 1,000 characters, line breaks
/// allowed.</param>
/// <param name="Field">The field that failed to map, e.g. <c>Contact.Email</c>; at most 200 characters.</param>
/// <param name="RecordId">The third-party record that failed; at most 200 characters.</param>
public sealed record EventInput(
    Guid Id, string Kind, DateTimeOffset OccurredAt, string Account, string Provider, string? Connection = null,
    string? Resource = null, string? Method = null, int? Status = null, int? LatencyMs = null,
    string? Outcome = null, string? ErrorClass = null, int? Records = null, int? RateLimitRemaining = null,
    int? RateLimitLimit = null, string? UserId = null, string? Endpoint = null, string? ErrorMessage = null,
    string? Field = null, string? RecordId = null);

/// <summary>Answer of <c>POST /v1/events</c>: events stored, and events skipped because their id was already stored for the tenant.</summary>
public sealed record IngestResult(int Accepted, int Duplicates);

/// <summary>A stored telemetry event, in the ingestion wire format.</summary>
public sealed record EventView(
    Guid Id, string Kind, DateTime OccurredAt, string Account, string Provider, string? Connection, string? Resource,
    string? Method, int? Status, int? LatencyMs, string Outcome, string ErrorClass, int? Records,
    int? RateLimitRemaining, int? RateLimitLimit, string? UserId, string? Endpoint, string? ErrorMessage, string? Field,
    string? RecordId);
