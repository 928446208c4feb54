using IntegrationHealth.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>
/// PostgreSQL bulk writer: binary COPY into a transaction-scoped temporary staging table, then one set-based
/// <c>INSERT … SELECT DISTINCT ON (id) … ORDER BY id ON CONFLICT (id) DO NOTHING</c>; its row count is the number
/// accepted, the rest of the batch are duplicates.
/// </summary>
/// <remarks>Exactly-once under concurrency comes from the primary key: a writer inserting an id another open
/// transaction has just inserted waits for that transaction, then skips the row if it committed (or inserts it if it
/// rolled back). Rows are inserted in id order, so two batches sharing ids take their key locks in the same order and
/// cannot deadlock each other.</remarks>
public sealed class PostgresTelemetryWriter : ITelemetryWriter, IDisposable
{
    private const string Columns =
        "id, occurred_at, tenant_id, account_id, provider_id, connection_id, kind, outcome, error_class, method, " +
        "http_status, latency_ms, records, rate_limit_remaining, rate_limit_limit, resource, user_id";

    // A session-level temporary table, emptied at every commit (ON COMMIT DELETE ROWS) and kept for the connection's
    // life: the writer's connections skip the pool's reset (see the constructor), so the table is created once per
    // physical connection instead of once per batch, which would churn the system catalogs at ingest rate.
    // Each connection has its own, so concurrent writers never share staging rows. "ordinal" is the row's position in
    // the batch, so the first of several rows with one id wins (as on SQLite).
    private const string CreateStagingSql =
        "CREATE TEMP TABLE IF NOT EXISTS ih_telemetry_staging (LIKE telemetry_events, ordinal integer NOT NULL) ON COMMIT DELETE ROWS";

    private const string CopySql = "COPY ih_telemetry_staging (" + Columns + ", ordinal) FROM STDIN (FORMAT BINARY)";

    private const string MergeSql =
        "INSERT INTO telemetry_events (" + Columns + ") " +
        "SELECT DISTINCT ON (id) " + Columns + " FROM ih_telemetry_staging ORDER BY id, ordinal " +
        "ON CONFLICT (id) DO NOTHING";

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates a writer with its own connection pool on the database of <paramref name="connectionString"/>.</summary>
    public PostgresTelemetryWriter(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // No reset on close: keeps each pooled connection's staging table between batches. Only this writer uses
        // these connections, and it leaves no other session state behind.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "integrationhealth-telemetry-writer";
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>Closes the writer's connection pool.</summary>
    public void Dispose() => _dataSource.Dispose();

    /// <inheritdoc />
    public async Task<TelemetryWriteResult> WriteAsync(IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken = default)
    {
        TelemetryBatch.Validate(events);
        if (events.Count == 0)
        {
            return new TelemetryWriteResult(0, 0);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var create = new NpgsqlCommand(CreateStagingSql, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CopyAsync(connection, events, cancellationToken).ConfigureAwait(false);

        int accepted;
        await using (var merge = new NpgsqlCommand(MergeSql, connection, transaction))
        {
            accepted = await merge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new TelemetryWriteResult(accepted, events.Count - accepted);
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
