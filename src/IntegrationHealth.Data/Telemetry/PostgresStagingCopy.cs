using System.Collections.Concurrent;
using IntegrationHealth.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>
/// The binary-COPY path of <see cref="PostgresTelemetryWriter"/>: binary COPY of the batch into a session temporary
/// staging table, then one round trip (an <see cref="NpgsqlBatch"/>) that runs the set-based
/// <c>INSERT … SELECT DISTINCT ON (id) … ORDER BY id, ordinal ON CONFLICT (id) DO NOTHING</c> and empties the staging
/// table again.
/// </summary>
/// <remarks>
/// The staging table is created once per physical connection, not per batch (creating it per batch would churn the
/// system catalogs at ingest rate): the pool keeps each connection's session (no reset on close), and this class
/// remembers, by backend process id, the connections whose staging table exists and is empty. A connection is taken
/// off that list while a batch uses it and put back only once the batch has succeeded, so after any failure (a
/// cancelled COPY, a failed INSERT whose TRUNCATE rolled back with it) the next user of that connection first runs
/// <c>CREATE TEMP TABLE IF NOT EXISTS …; TRUNCATE …</c> in one round trip. Should a process id be reused by a new
/// backend that has no staging table yet, the COPY fails with "undefined table" before anything is written, and the
/// batch is retried once after creating it.
/// The only write to <c>telemetry_events</c> is the one INSERT statement, so a batch is atomic without an explicit
/// transaction; the INSERT and the TRUNCATE share the batch's implicit transaction. The table is not
/// <c>ON COMMIT DELETE ROWS</c>: in autocommit the COPY's own commit would empty it before the INSERT.
/// </remarks>
internal sealed class PostgresStagingCopy
{
    private const string Staging = "ih_telemetry_staging";

    private const string PrepareStagingSql =
        "CREATE TEMP TABLE IF NOT EXISTS " + Staging + " (LIKE telemetry_events, ordinal integer NOT NULL); " +
        "TRUNCATE " + Staging;

    private const string CopySql = "COPY " + Staging + " (" + PostgresTelemetryWriter.Columns + ", ordinal) FROM STDIN (FORMAT BINARY)";

    private const string MergeSql =
        "INSERT INTO telemetry_events (" + PostgresTelemetryWriter.Columns + ") " +
        "SELECT DISTINCT ON (id) " + PostgresTelemetryWriter.Columns + " FROM " + Staging + " ORDER BY id, ordinal " +
        "ON CONFLICT (id) DO NOTHING";

    private const string TruncateSql = "TRUNCATE " + Staging;

    /// <summary>Backend process ids of pooled connections whose staging table exists and is empty.</summary>
    private readonly ConcurrentDictionary<int, byte> _readyConnections = new();

    /// <summary>Writes a validated, non-empty batch on an open connection; returns the number of rows inserted.</summary>
    public async Task<int> WriteAsync(NpgsqlConnection connection, IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken)
    {
        var processId = connection.ProcessID;
        var ready = _readyConnections.TryRemove(processId, out _);
        if (!ready)
        {
            await PrepareStagingAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await CopyAsync(connection, events, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (ready && e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // A new backend reused the process id of one that had the table: nothing was written, create it and retry.
            await PrepareStagingAsync(connection, cancellationToken).ConfigureAwait(false);
            await CopyAsync(connection, events, cancellationToken).ConfigureAwait(false);
        }

        int accepted;
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(MergeSql));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(TruncateSql));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            accepted = batch.BatchCommands[0].RecordsAffected;
        }

        _readyConnections[processId] = 0;
        return accepted;
    }

    private static async Task PrepareStagingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var prepare = new NpgsqlCommand(PrepareStagingSql, connection);
        await prepare.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false);
        // Synchronous field writes on purpose: they only fill Npgsql's buffer and block just when it flushes an 8 KB
        // chunk to the server; seventeen awaited calls per row cost far more CPU than the rare short blocking write.
        for (var i = 0; i < events.Count; i++)
        {
            if ((i & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var e = events[i];
            importer.StartRow();
            importer.Write(e.Id, NpgsqlDbType.Uuid);
            importer.Write(TelemetryBatch.ToUtc(e.OccurredAt), NpgsqlDbType.TimestampTz);
            importer.Write(e.TenantId, NpgsqlDbType.Integer);
            importer.Write(e.AccountId, NpgsqlDbType.Integer);
            importer.Write(e.ProviderId, NpgsqlDbType.Integer);
            WriteNullable(importer, e.ConnectionId, NpgsqlDbType.Integer);
            importer.Write((short)e.Kind, NpgsqlDbType.Smallint);
            importer.Write((short)e.Outcome, NpgsqlDbType.Smallint);
            importer.Write((short)e.ErrorClass, NpgsqlDbType.Smallint);
            importer.Write((short)e.Method, NpgsqlDbType.Smallint);
            WriteNullable(importer, e.HttpStatus, NpgsqlDbType.Smallint);
            WriteNullable(importer, e.LatencyMs, NpgsqlDbType.Integer);
            WriteNullable(importer, e.Records, NpgsqlDbType.Integer);
            WriteNullable(importer, e.RateLimitRemaining, NpgsqlDbType.Integer);
            WriteNullable(importer, e.RateLimitLimit, NpgsqlDbType.Integer);
            WriteText(importer, e.Resource);
            WriteText(importer, e.UserId);
            importer.Write(i, NpgsqlDbType.Integer);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            importer.Write(v, type);
        }
        else
        {
            importer.WriteNull();
        }
    }

    private static void WriteText(NpgsqlBinaryImporter importer, string? value)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, NpgsqlDbType.Varchar);
        }
    }
}
