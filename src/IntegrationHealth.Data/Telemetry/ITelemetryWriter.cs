using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>Counts of one batch write.</summary>
public readonly record struct TelemetryWriteResult(int Accepted, int Duplicates);

/// <summary>
/// Writes batches of telemetry events in bulk (on PostgreSQL by binary COPY, or one <c>INSERT … FROM unnest(…)</c>
/// statement, chosen by <c>Database:PostgresWriteMode</c>; by one prepared insert in one transaction on SQLite). A batch is atomic. An event whose id is already stored for its tenant, or repeated for that tenant earlier in the same
/// batch, is a duplicate: it is skipped and counted, exactly once per (tenant, id), also under concurrent writers. Ids
/// are per tenant: another tenant's event with the same id is a different event. An accepted event's
/// <see cref="TelemetryEvent.Detail"/> is stored with it, in the same transaction; a duplicate's never is.
/// </summary>
public interface ITelemetryWriter
{
    Task<TelemetryWriteResult> WriteAsync(IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken = default);
}
