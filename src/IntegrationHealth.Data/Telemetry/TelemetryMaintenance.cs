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
/// (see <see cref="PostgresTelemetryPartitions"/>). SQLite: deletes events received before the cutoff in chunks of
/// <see cref="SqliteChunk"/> rows, each its own short write transaction (the telemetry writer, waiting on SQLite's
/// busy timeout, gets the file between two chunks, so ingestion waits at most one chunk).
/// Rollups, endpoint templates and every other table are never touched.
/// </summary>
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
        long after = -1;
        await using var connection = new SqliteConnection(options.EffectiveConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteDatabase.ApplyPragmasAsync(connection, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Events are walked in acceptance order (the ingest_seq index), which is receiving order: the oldest come
            // first, and the walk stops at the first chunk that holds a row still inside retention. Rows not written by
            // the bulk writer (ingest_seq and received_at 0) go by their occurred_at.
            long upTo;
            bool allOld;
            await using (var probe = connection.CreateCommand())
            {
                probe.CommandText =
                    "SELECT max(ingest_seq), min(CASE WHEN (CASE WHEN received_at > 0 THEN received_at ELSE occurred_at END) < $cutoff THEN 1 ELSE 0 END) " +
                    "FROM (SELECT ingest_seq, received_at, occurred_at FROM telemetry_events WHERE ingest_seq > $after ORDER BY ingest_seq LIMIT $chunk)";
                probe.Parameters.AddWithValue("$after", after);
                probe.Parameters.AddWithValue("$cutoff", cutoffTicks);
                probe.Parameters.AddWithValue("$chunk", SqliteChunk);
                await using var reader = await probe.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (reader.IsDBNull(0))
                {
                    break;
                }

                upTo = reader.GetInt64(0);
                allOld = reader.GetInt64(1) == 1;
            }

            await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                const string Old = "ingest_seq > $after AND ingest_seq <= $upTo AND (CASE WHEN received_at > 0 THEN received_at ELSE occurred_at END) < $cutoff";
                await using var details = connection.CreateCommand();
                details.Transaction = transaction;
                details.CommandText = "DELETE FROM telemetry_event_details WHERE (tenant_id, event_id) IN (SELECT tenant_id, id FROM telemetry_events WHERE " + Old + ")";
                await using var delete = connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM telemetry_events WHERE " + Old;
                foreach (var command in new[] { details, delete })
                {
                    command.Parameters.AddWithValue("$after", after);
                    command.Parameters.AddWithValue("$upTo", upTo);
                    command.Parameters.AddWithValue("$cutoff", cutoffTicks);
                }

                await details.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                removed += await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!allOld)
            {
                break;
            }

            after = upTo;
            // Let queued ingestion batches take the write lock before the next chunk.
            await Task.Yield();
        }

        return new TelemetryMaintenanceResult(removed, []);
    }
}
