using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Demo.World;

/// <summary>
/// One generated telemetry event, addressed by world indices (account, provider, connection) rather than store ids, so
/// the same stream can be written to the store (<see cref="DemoSeeder"/>) or sent over HTTP (<see cref="TrafficSimulator"/>).
/// </summary>
public readonly record struct DemoEvent(
    Guid Id,
    DateTime OccurredAt,
    int AccountIndex,
    int ProviderIndex,
    int ConnectionIndex,
    TelemetryKind Kind,
    TelemetryOutcome Outcome,
    ErrorClass ErrorClass,
    HttpMethodCode Method,
    short? HttpStatus,
    int? LatencyMs,
    int? Records,
    int? RateLimitRemaining,
    int? RateLimitLimit,
    string? Resource,
    string? UserId);
