using IntegrationHealth.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>
/// PostgreSQL bulk writer, in one of two modes (<see cref="PostgresWriteMode"/>, <c>Database:PostgresWriteMode</c>):
/// <list type="bullet">
/// <item><see cref="PostgresWriteMode.Copy"/> (default): Npgsql binary COPY of the batch, sorted by (tenant, id) and
/// without its in-batch repeats, straight into <c>telemetry_events</c>. A COPY is all-or-nothing, so when one of its ids is already
/// stored (the primary key reports a unique violation) nothing of it is kept, and the batch is written again by the
/// <see cref="PostgresWriteMode.Unnest"/> statement, which skips the stored ids. New events, the normal case, cost
/// exactly what a raw COPY costs; a retried batch costs one wasted COPY more.</item>
/// <item><see cref="PostgresWriteMode.Unnest"/>: the batch travels as one binary array per column in a single statement
/// <c>INSERT … SELECT DISTINCT ON (tenant_id, id) … FROM unnest(…) WITH ORDINALITY … ORDER BY tenant_id, id, ordinal
/// ON CONFLICT (tenant_id, id) DO NOTHING</c>, one round trip per batch whatever it holds.</item>
/// </list>
/// Either way the rows stored are the batch's accepted events, the rest are duplicates. Events with a
/// <see cref="TelemetryEvent.Detail"/> get their <c>telemetry_event_details</c> row with them: a second COPY in the
/// same transaction as the first, or, in the unnest statement, a data-modifying CTE that inserts the detail rows of
/// exactly the events the statement stored (its <c>RETURNING</c>), so a duplicate's detail is never written.
/// </summary>
/// <remarks>
/// A batch without detail rows (nearly all) is one autocommitted statement (the COPY, or the INSERT), so it is atomic
/// without an explicit transaction; one with detail rows is two COPYs in one transaction, or still one statement. The
/// unnest statements are auto-prepared on each pooled connection.
/// Exactly-once under concurrency comes from the primary key: a writer inserting an id another open transaction has
/// just inserted waits for that transaction, then (COPY) fails with a unique violation and falls back, or (INSERT)
/// skips the row; if the other transaction rolled back, the row is written. Both paths write in id order
/// (the COPY sorted by <see cref="TelemetryBatch.SortByKey"/>, the INSERT by its <c>ORDER BY tenant_id, id</c>), so two batches sharing ids take their key locks in the same order and can
/// wait for each other but never deadlock. The first of several events with one id in a batch wins, as on SQLite.
/// </remarks>
public sealed class PostgresTelemetryWriter : ITelemetryWriter, IDisposable
{
    /// <summary>The columns of <c>telemetry_events</c> a batch fills, in parameter / COPY order.</summary>
    internal const string Columns =
        "id, occurred_at, tenant_id, account_id, provider_id, connection_id, kind, outcome, error_class, method, " +
        "http_status, latency_ms, records, rate_limit_remaining, rate_limit_limit, resource, user_id, endpoint_id";

    /// <summary>The columns of <c>telemetry_event_details</c>, in parameter / COPY order.</summary>
    internal const string DetailColumns = "tenant_id, event_id, error_message, field, record_id";

    private const string CopySql = "COPY telemetry_events (" + Columns + ") FROM STDIN (FORMAT BINARY)";

    private const string CopyDetailsSql = "COPY telemetry_event_details (" + DetailColumns + ") FROM STDIN (FORMAT BINARY)";

    private const string InsertEventsSql =
        "INSERT INTO telemetry_events (" + Columns + ") " +
        "SELECT DISTINCT ON (tenant_id, id) " + Columns + " FROM unnest(" +
        "$1::uuid[], $2::timestamptz[], $3::integer[], $4::integer[], $5::integer[], $6::integer[], $7::smallint[], " +
        "$8::smallint[], $9::smallint[], $10::smallint[], $11::smallint[], $12::integer[], $13::integer[], $14::integer[], " +
        "$15::integer[], $16::text[], $17::text[], $18::integer[]) WITH ORDINALITY AS b (" + Columns + ", ordinal) " +
        "ORDER BY tenant_id, id, ordinal ON CONFLICT (tenant_id, id) DO NOTHING";

    // The detail rows come with their events' keys; only those of events this statement stored are inserted. A detail
    // left by an event that is gone (deleted by hand or a future retention job) is replaced, not a reason to fail.
    private const string InsertWithDetailsSql =
        "WITH stored AS (" + InsertEventsSql + " RETURNING tenant_id, id), " +
        "details AS (INSERT INTO telemetry_event_details (" + DetailColumns + ") " +
        "SELECT " + DetailColumns + " FROM unnest($19::integer[], $20::uuid[], $21::text[], $22::text[], $23::text[]) " +
        "AS d (" + DetailColumns + ") WHERE (tenant_id, event_id) IN (SELECT tenant_id, id FROM stored) " +
        "ON CONFLICT (tenant_id, event_id) DO UPDATE SET error_message = EXCLUDED.error_message, field = EXCLUDED.field, " +
        "record_id = EXCLUDED.record_id) " +
        "SELECT count(*) FROM stored";

    /// <summary>Npgsql write buffer of the writer's connections (see the constructor).</summary>
    internal const int CopyWriteBufferBytes = 256 * 1024;

    private readonly NpgsqlDataSource _dataSource;
    private long _copyConflicts;

    /// <summary>Creates a writer with its own connection pool on the database of <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">Npgsql connection string of the store's database.</param>
    /// <param name="mode">How batches are sent; binary COPY unless told otherwise.</param>
    public PostgresTelemetryWriter(string connectionString, PostgresWriteMode mode = PostgresWriteMode.Copy)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown PostgreSQL write mode.");
        }

        Mode = mode;
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Only this writer uses these connections, and neither mode leaves session state behind.
            NoResetOnClose = true,
        };
        // The unnest statement is prepared on a connection once it has run twice there (unless the caller set otherwise).
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 4;
            builder.AutoPrepareMinUsages = 2;
        }
        // The COPY rows are written synchronously into Npgsql's write buffer (17 awaited calls per row cost far more).
        // With the default 8 KB buffer every 8 KB of a batch was a blocking socket send on a thread-pool thread, and
        // with PostgreSQL on the same cores those sends wait for the server; a 1,000-event batch (~110 KB of COPY data)
        // now fits in the buffer and goes out in CompleteAsync's asynchronous flush.
        if (builder.WriteBufferSize < CopyWriteBufferBytes)
        {
            builder.WriteBufferSize = CopyWriteBufferBytes;
        }
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "integrationhealth-telemetry-writer";
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>How this writer sends batches.</summary>
    public PostgresWriteMode Mode { get; }

    /// <summary>COPYs that met an already stored id and were redone by the unnest statement (diagnostics and tests).</summary>
    internal long CopyConflicts => Interlocked.Read(ref _copyConflicts);

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

        var sorted = TelemetryBatch.SortByKey(events);
        var details = TelemetryBatch.DetailsOfFirstOccurrences(sorted);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (Mode == PostgresWriteMode.Copy)
        {
            try
            {
                int copied;
                if (details.Count == 0)
                {
                    copied = await CopyAsync(connection, sorted, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Disposed (rolled back) before the catch below runs when either COPY fails.
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    copied = await CopyAsync(connection, sorted, cancellationToken).ConfigureAwait(false);
                    await CopyDetailsAsync(connection, details, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                return new TelemetryWriteResult(copied, events.Count - copied);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Some id is stored already (a retried or overlapping batch): nothing of the COPY was kept.
                Interlocked.Increment(ref _copyConflicts);
            }
        }

        await using var command = new NpgsqlCommand(details.Count == 0 ? InsertEventsSql : InsertWithDetailsSql, connection);
        // In batch order: the statement sorts by (tenant, id, ordinal) itself, so the first occurrence still wins; the
        // detail rows are those of first occurrences only, so they belong to the events it keeps.
        AddColumns(command.Parameters, events);
        int accepted;
        if (details.Count == 0)
        {
            accepted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            AddDetailColumns(command.Parameters, details);
            accepted = checked((int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
        }

        return new TelemetryWriteResult(accepted, events.Count - accepted);
    }

    /// <summary>COPYs the id-sorted batch, skipping repeats of the previous id (the first occurrence wins); returns the
    /// rows written. Throws <see cref="PostgresException"/> (unique violation) when an id is stored already.</summary>
    private static async Task<int> CopyAsync(NpgsqlConnection connection, TelemetryEvent[] sorted, CancellationToken cancellationToken)
    {
        await using (var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false))
        {
            // Synchronous field writes on purpose: they only fill Npgsql's buffer and block just when it flushes a chunk
            // to the server; eighteen awaited calls per row cost far more CPU than the rare short blocking write.
            for (var i = 0; i < sorted.Length; i++)
            {
                if ((i & 255) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var e = sorted[i];
                if (i > 0 && TelemetryBatch.SameKey(e, sorted[i - 1]))
                {
                    continue;
                }

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
                WriteNullable(importer, e.EndpointId, NpgsqlDbType.Integer);
            }

            // Without this call, disposing the importer cancels the COPY: nothing is written.
            var rows = await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return checked((int)rows);
        }
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

    /// <summary>COPYs the detail rows of the events the COPY before it wrote (in the same transaction). Throws
    /// <see cref="PostgresException"/> (unique violation) when an event's detail row is stored already.</summary>
    private static async Task CopyDetailsAsync(NpgsqlConnection connection, List<TelemetryEvent> withDetails, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopyDetailsSql, cancellationToken).ConfigureAwait(false);
        foreach (var e in withDetails)
        {
            var detail = e.Detail!;
            importer.StartRow();
            importer.Write(e.TenantId, NpgsqlDbType.Integer);
            importer.Write(e.Id, NpgsqlDbType.Uuid);
            WriteText(importer, detail.ErrorMessage);
            WriteText(importer, detail.Field);
            WriteText(importer, detail.RecordId);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the detail arrays, positional ($19…$23) in <see cref="DetailColumns"/> order.</summary>
    private static void AddDetailColumns(NpgsqlParameterCollection parameters, List<TelemetryEvent> withDetails)
    {
        var tenants = withDetails.Select(e => e.TenantId).ToArray();
        var ids = withDetails.Select(e => e.Id).ToArray();
        var messages = withDetails.Select(e => e.Detail!.ErrorMessage).ToArray();
        var fields = withDetails.Select(e => e.Detail!.Field).ToArray();
        var recordIds = withDetails.Select(e => e.Detail!.RecordId).ToArray();
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = tenants, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = messages, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = fields, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = recordIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    }

    /// <summary>Adds the eighteen column arrays, positional ($1…$18) in <see cref="Columns"/> order.</summary>
    private static void AddColumns(NpgsqlParameterCollection parameters, IReadOnlyList<TelemetryEvent> events)
    {
        var n = events.Count;
        var ids = new Guid[n];
        var occurredAt = new DateTime[n];
        var tenants = new int[n];
        var accounts = new int[n];
        var providers = new int[n];
        var connections = new int?[n];
        var kinds = new short[n];
        var outcomes = new short[n];
        var errorClasses = new short[n];
        var methods = new short[n];
        var statuses = new short?[n];
        var latencies = new int?[n];
        var records = new int?[n];
        var remaining = new int?[n];
        var limits = new int?[n];
        var resources = new string?[n];
        var users = new string?[n];
        var endpoints = new int?[n];
        for (var i = 0; i < n; i++)
        {
            var e = events[i];
            ids[i] = e.Id;
            occurredAt[i] = TelemetryBatch.ToUtc(e.OccurredAt);
            tenants[i] = e.TenantId;
            accounts[i] = e.AccountId;
            providers[i] = e.ProviderId;
            connections[i] = e.ConnectionId;
            kinds[i] = (short)e.Kind;
            outcomes[i] = (short)e.Outcome;
            errorClasses[i] = (short)e.ErrorClass;
            methods[i] = (short)e.Method;
            statuses[i] = e.HttpStatus;
            latencies[i] = e.LatencyMs;
            records[i] = e.Records;
            remaining[i] = e.RateLimitRemaining;
            limits[i] = e.RateLimitLimit;
            resources[i] = e.Resource;
            users[i] = e.UserId;
            endpoints[i] = e.EndpointId;
        }

        parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = occurredAt, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = tenants, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = accounts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = providers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = connections, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<short[]> { TypedValue = kinds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        parameters.Add(new NpgsqlParameter<short[]> { TypedValue = outcomes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        parameters.Add(new NpgsqlParameter<short[]> { TypedValue = errorClasses, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        parameters.Add(new NpgsqlParameter<short[]> { TypedValue = methods, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        parameters.Add(new NpgsqlParameter<short?[]> { TypedValue = statuses, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = latencies, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = records, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = remaining, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = limits, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = resources, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = users, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = endpoints, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
    }
}
