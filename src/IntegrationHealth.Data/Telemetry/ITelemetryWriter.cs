using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>Counts of one batch write.</summary>
public readonly record struct TelemetryWriteResult(int Accepted, int Duplicates);

/// <summary>
/// Writes batches of telemetry events in bulk (on PostgreSQL by binary COPY, or one <c>INSERT … FROM unnest(…)</c>
/// statement, chosen by <c>Database:PostgresWriteMode</c>; by one prepared insert in one transaction on SQLite). A batch is atomic. An event whose id is already stored, or repeated earlier in the same batch, is a
/// duplicate: it is skipped and counted, exactly once per id, also under concurrent writers.
/// </summary>
public interface ITelemetryWriter
{
    Task<TelemetryWriteResult> WriteAsync(IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken = default);
}
