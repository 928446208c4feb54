using IntegrationHealth.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>What one maintenance run did.</summary>
/// <param name="EventsRemoved">SQLite: events deleted. PostgreSQL: not counted (whole partitions are dropped), 0.</param>
/// <param name="PartitionsDropped">PostgreSQL partitions dropped (events and deduplication window).</param>
public readonly record struct TelemetryMaintenanceResult(long EventsRemoved, IReadOnlyList<string> PartitionsDropped);

/// <summary>
/// Telemetry retention and partition upkeep, run by the telemetry maintenance job (and callable by tools and tests).
/// PostgreSQL: creates the day partitions of the next days ahead, drops the events partitions received more than
/// <see cref="DatabaseOptions.TelemetryRetentionDays"/> ago and the deduplication partitions older than the window
/// (see <see cref="PostgresTelemetryPartitions"/>). SQLite: deletes events received before the cutoff (found by the
/// SQLite-only <c>received_at</c> index) in chunks of
/// <see cref="SqliteChunk"/> rows, each its own short write transaction (the telemetry writer, waiting on SQLite's
/// busy timeout, gets the file between two chunks, so ingestion waits at most one chunk).
/// Rollups, endpoint templates and every other table are never touched.
/// </summary>
/// <remarks>SQLite keeps the one event with the largest <see cref="Entities.TelemetryEvent.IngestSeq"/>, however old:
/// the SQLite writer numbers on from the largest stored value, so deleting that row (a store that received nothing
/// for the whole retention period) would hand out numbers again that the rollups' read position has already passed,
/// and they would never read those events. PostgreSQL draws the numbers from a sequence, which retention does not
/// touch.</remarks>
public sealed class TelemetryMaintenance(DatabaseOptions options, TimeProvider time)
{
    /// <summary>Rows one SQLite delete transaction removes at most.</summary>
    public const int SqliteChunk = 5_000;

    /// <summary>Runs retention (and, on PostgreSQL, partition creation ahead) once.</summary>
    public async Task<TelemetryMaintenanceResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var cutoff = today.AddDays(-options.TelemetryRetentionDays);
        return options.StoreProvider == StoreProvider.Postgres
            ? await RunPostgresAsync(today, cutoff, cancellationToken).ConfigureAwait(false)
            : await RunSqliteAsync(cutoff, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TelemetryMaintenanceResult> RunPostgresAsync(DateOnly today, DateOnly cutoff, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(options.EffectiveConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await PostgresTelemetryPartitions.EnsureAsync(connection, today, today.AddDays(PostgresTelemetryPartitions.DaysAhead), cancellationToken)
            .ConfigureAwait(false);
        var dropped = await PostgresTelemetryPartitions.DropBeforeAsync(connection, PostgresTelemetryPartitions.EventsTable, cutoff,
            async partition =>
            {
                // The detail rows of the partition's events go with it (detached already: no writer adds to it).
                await using var command = new NpgsqlCommand(
                    $"DELETE FROM telemetry_event_details d USING {partition} e WHERE d.tenant_id = e.tenant_id AND d.event_id = e.id", connection);
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        // The window's first day is today - window (see PostgresTelemetryWriter): partitions ending on or before it go.
        dropped.AddRange(await PostgresTelemetryPartitions.DropBeforeAsync(connection, PostgresTelemetryPartitions.DedupTable,
            today.AddDays(-options.TelemetryDedupWindowDays), null, cancellationToken).ConfigureAwait(false));
        return new TelemetryMaintenanceResult(0, dropped);
    }

    private async Task<TelemetryMaintenanceResult> RunSqliteAsync(DateOnly cutoff, CancellationToken cancellationToken)
    {
        var cutoffTicks = cutoff.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Ticks;
        long removed = 0;
        await using var connection = new SqliteConnection(options.EffectiveConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteDatabase.ApplyPragmasAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (var temp = connection.CreateCommand())
        {
            temp.CommandText = "CREATE TEMP TABLE IF NOT EXISTS telemetry_retention_chunk (r INTEGER PRIMARY KEY)";
            await temp.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int deleted;
            await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                // The oldest rows by the received_at index; rows not written by the bulk writer (received_at 0) go by
                // their occurred_at. Their detail rows first, then the rows. The row holding the largest ingest_seq
                // stays (see the class remarks).
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText =
                    "DELETE FROM telemetry_retention_chunk; " +
                    "INSERT INTO telemetry_retention_chunk SELECT rowid FROM telemetry_events " +
                    "WHERE received_at < $cutoff AND (received_at > 0 OR occurred_at < $cutoff) " +
                    "AND (ingest_seq = 0 OR ingest_seq < (SELECT max(ingest_seq) FROM telemetry_events)) LIMIT $chunk; " +
                    "DELETE FROM telemetry_event_details WHERE (tenant_id, event_id) IN " +
                    "(SELECT tenant_id, id FROM telemetry_events WHERE rowid IN (SELECT r FROM telemetry_retention_chunk)); " +
                    "DELETE FROM telemetry_events WHERE rowid IN (SELECT r FROM telemetry_retention_chunk);";
                command.Parameters.AddWithValue("$cutoff", cutoffTicks);
                command.Parameters.AddWithValue("$chunk", SqliteChunk);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await using var changes = connection.CreateCommand();
                changes.Transaction = transaction;
                changes.CommandText = "SELECT changes()"; // of the last statement: the events deleted
                deleted = checked((int)(long)(await changes.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            removed += deleted;
            if (deleted < SqliteChunk)
            {
                break;
            }

            // Let the telemetry writer (waiting on the busy timeout) take the file before the next chunk.
            // A real pause (not the injected clock: a fake one would never end it), short enough not to matter.
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }

        return new TelemetryMaintenanceResult(removed, []);
    }
}
