using IntegrationHealth.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>
/// PostgreSQL bulk writer for the day-partitioned layout (migration <c>TelemetryVolumeLayout</c>, see
/// <see cref="PostgresTelemetryPartitions"/>). A batch, sorted by (tenant, id) and without its in-batch repeats (the first
/// occurrence wins), goes into a per-connection temporary staging table, by Npgsql binary COPY
/// (<see cref="PostgresWriteMode.Copy"/>, the default) or by one <c>INSERT … SELECT FROM unnest(…)</c> of binary arrays
/// (<see cref="PostgresWriteMode.Unnest"/>); then one set-based statement, in the same transaction, keeps the events whose
/// (tenant, id) is not in the deduplication window, claims their keys in today's <c>telemetry_dedup</c> partition and
/// inserts them into today's <c>telemetry_events</c> partition (and their detail rows into <c>telemetry_event_details</c>).
/// </summary>
/// <remarks>
/// <para><b>The window.</b> <c>telemetry_dedup</c> holds (received_on, tenant_id, id) of every accepted event, one
/// partition per receiving day with primary key (tenant_id, id) inside it, kept for <c>Database:TelemetryDedupWindowDays</c>
/// days (default 3, at least the 48 hours of lateness replays may have). The per-day key index is the only random-key
/// index ingestion maintains, and it is a few days of ids rather than the whole history, so it stays in cache; the
/// events partitions have only their read indexes. An event whose id was accepted within the window is a duplicate; a
/// replay received after the window has expired is stored again (documented in the README).</para>
/// <para><b>Exactly-once.</b> Within a day, the claim (<c>INSERT … ON CONFLICT DO NOTHING RETURNING</c> into the day's
/// partition) is what decides: a writer claiming a key another open transaction has just claimed waits for it, then
/// skips the key (or takes it if the other rolled back). Earlier days are read-only checks, so a transaction on day D
/// could miss a key an overlapping transaction is still writing on day D-1: during the first
/// <see cref="DayChangeGrace"/> of every UTC day a writer therefore claims each key in the previous day's partition too
/// and keeps only the events it claimed in both, so writers either side of midnight meet on one primary key. This
/// assumes the API hosts' clocks agree within the grace and no write transaction lasts that long. Claims go in key
/// order (the same statement plan for every writer), so writers sharing keys wait for each other and do not deadlock; a
/// deadlock the server reports anyway is retried.</para>
/// <para>Partitions for the day written and the days after are created on the first write of a day (and ahead of time
/// by the telemetry maintenance job), so ingestion never waits for DDL in the normal case.</para>
/// </remarks>
public sealed class PostgresTelemetryWriter : ITelemetryWriter, IDisposable
{
    /// <summary>The columns of <c>telemetry_events</c> a batch fills, in parameter / COPY order.</summary>
    internal const string Columns =
        "id, occurred_at, tenant_id, account_id, provider_id, connection_id, kind, outcome, error_class, method, " +
        "http_status, latency_ms, records, rate_limit_remaining, rate_limit_limit, resource, user_id, endpoint_id";

    /// <summary>The columns of <c>telemetry_event_details</c>, in parameter / COPY order.</summary>
    internal const string DetailColumns = "tenant_id, event_id, error_message, field, record_id";

    /// <summary>How long after midnight UTC writers also claim keys in the previous day's partition (see the remarks).</summary>
    public static readonly TimeSpan DayChangeGrace = TimeSpan.FromMinutes(10);

    /// <summary>Created on every new physical connection; emptied by every commit.</summary>
    private const string StagingSql =
        "CREATE TEMP TABLE IF NOT EXISTS telemetry_staging (id uuid NOT NULL, occurred_at timestamptz NOT NULL, tenant_id integer NOT NULL, " +
        "account_id integer NOT NULL, provider_id integer NOT NULL, connection_id integer, kind smallint NOT NULL, outcome smallint NOT NULL, " +
        "error_class smallint NOT NULL, method smallint NOT NULL, http_status smallint, latency_ms integer, records integer, " +
        "rate_limit_remaining integer, rate_limit_limit integer, resource varchar(200), user_id varchar(200), endpoint_id integer) ON COMMIT DELETE ROWS; " +
        "CREATE TEMP TABLE IF NOT EXISTS telemetry_staging_details (tenant_id integer NOT NULL, event_id uuid NOT NULL, error_message text, " +
        "field text, record_id text) ON COMMIT DELETE ROWS;";

    private const string CopySql = "COPY telemetry_staging (" + Columns + ") FROM STDIN (FORMAT BINARY)";

    private const string CopyDetailsSql = "COPY telemetry_staging_details (" + DetailColumns + ") FROM STDIN (FORMAT BINARY)";

    private const string StageUnnestSql =
        "INSERT INTO telemetry_staging (" + Columns + ") SELECT * FROM unnest(" +
        "$1::uuid[], $2::timestamptz[], $3::integer[], $4::integer[], $5::integer[], $6::integer[], $7::smallint[], " +
        "$8::smallint[], $9::smallint[], $10::smallint[], $11::smallint[], $12::integer[], $13::integer[], $14::integer[], " +
        "$15::integer[], $16::text[], $17::text[], $18::integer[])";

    private const string StageDetailsUnnestSql =
        "INSERT INTO telemetry_staging_details (" + DetailColumns + ") SELECT * FROM unnest($1::integer[], $2::uuid[], $3::text[], $4::text[], $5::text[])";

    // $1 first day of the window, $2 the day written, $3 the previous day during the grace (else null), $4 received_at.
    // "fresh" is referenced several times, so PostgreSQL computes it once. A detail row left by an event that is gone
    // (retention) is replaced, not a reason to fail.
    private const string AcceptSql =
        "WITH fresh AS (SELECT s.* FROM telemetry_staging s WHERE NOT EXISTS (SELECT 1 FROM telemetry_dedup d " +
        "WHERE d.received_on >= $1 AND d.received_on < coalesce($3, $2) AND d.tenant_id = s.tenant_id AND d.id = s.id)), " +
        "claim_prev AS (INSERT INTO telemetry_dedup (received_on, tenant_id, id) SELECT $3, tenant_id, id FROM fresh " +
        "WHERE $3 IS NOT NULL ORDER BY tenant_id, id ON CONFLICT DO NOTHING RETURNING tenant_id, id), " +
        "claim AS (INSERT INTO telemetry_dedup (received_on, tenant_id, id) SELECT $2, tenant_id, id FROM fresh " +
        "ORDER BY tenant_id, id ON CONFLICT DO NOTHING RETURNING tenant_id, id), " +
        "stored AS (INSERT INTO telemetry_events (" + Columns + ", received_at) SELECT " + PrefixedColumns + ", $4 FROM fresh f " +
        "JOIN claim c ON c.tenant_id = f.tenant_id AND c.id = f.id " +
        "WHERE $3 IS NULL OR EXISTS (SELECT 1 FROM claim_prev p WHERE p.tenant_id = f.tenant_id AND p.id = f.id) " +
        "ORDER BY f.tenant_id, f.id RETURNING tenant_id, id), " +
        "details AS (INSERT INTO telemetry_event_details (" + DetailColumns + ") SELECT sd.tenant_id, sd.event_id, sd.error_message, " +
        "sd.field, sd.record_id FROM telemetry_staging_details sd JOIN stored st ON st.tenant_id = sd.tenant_id AND st.id = sd.event_id " +
        "ON CONFLICT (tenant_id, event_id) DO UPDATE SET error_message = EXCLUDED.error_message, field = EXCLUDED.field, " +
        "record_id = EXCLUDED.record_id) " +
        "SELECT count(*) FROM stored";

    private const string PrefixedColumns =
        "f.id, f.occurred_at, f.tenant_id, f.account_id, f.provider_id, f.connection_id, f.kind, f.outcome, f.error_class, f.method, " +
        "f.http_status, f.latency_ms, f.records, f.rate_limit_remaining, f.rate_limit_limit, f.resource, f.user_id, f.endpoint_id";

    private const int MaxDeadlockRetries = 3;

    /// <summary>Npgsql write buffer of the writer's connections (see the constructor).</summary>
    internal const int CopyWriteBufferBytes = 256 * 1024;

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _windowDays;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _partitionLock = new(1, 1);
    private int _partitionsThrough; // DateOnly.DayNumber of the last day whose partitions exist
    private long _deadlocks;

    /// <summary>Creates a writer with its own connection pool on the database of <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">Npgsql connection string of the store's database.</param>
    /// <param name="mode">How batches reach the staging table; binary COPY unless told otherwise.</param>
    /// <param name="dedupWindowDays">Days ids are remembered (<see cref="DatabaseOptions.TelemetryDedupWindowDays"/>).</param>
    /// <param name="time">The clock that decides the receiving day (the system clock unless a test fakes it).</param>
    public PostgresTelemetryWriter(string connectionString, PostgresWriteMode mode = PostgresWriteMode.Copy,
        int dedupWindowDays = 3, TimeProvider? time = null)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown PostgreSQL write mode.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(dedupWindowDays, DatabaseOptions.MinimumDedupWindowDays);
        Mode = mode;
        _windowDays = dedupWindowDays;
        _time = time ?? TimeProvider.System;
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Only this writer uses these connections; the staging tables are meant to outlive each use (they are
            // emptied by every commit), and nothing else is left behind.
            NoResetOnClose = true,
        };
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 8;
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

        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        dataSource.UsePhysicalConnectionInitializer(
            connection =>
            {
                using var command = new NpgsqlCommand(StagingSql, connection);
                command.ExecuteNonQuery();
            },
            async connection =>
            {
                await using var command = new NpgsqlCommand(StagingSql, connection);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            });
        _dataSource = dataSource.Build();
    }

    /// <summary>How this writer sends batches.</summary>
    public PostgresWriteMode Mode { get; }

    /// <summary>Deadlocks the server reported and the writer retried (diagnostics and tests).</summary>
    internal long Deadlocks => Interlocked.Read(ref _deadlocks);

    /// <summary>Closes the writer's connection pool.</summary>
    public void Dispose()
    {
        _dataSource.Dispose();
        _partitionLock.Dispose();
    }

    /// <inheritdoc />
    public async Task<TelemetryWriteResult> WriteAsync(IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken = default)
    {
        TelemetryBatch.Validate(events);
        if (events.Count == 0)
        {
            return new TelemetryWriteResult(0, 0);
        }

        var unique = TelemetryBatch.FirstOccurrences(TelemetryBatch.SortByKey(events));
        var details = unique.Where(e => e.Detail is not null).ToList();
        for (var attempt = 0; ; attempt++)
        {
            var now = _time.GetUtcNow().UtcDateTime;
            var day = DateOnly.FromDateTime(now);
            DateOnly? previous = now.TimeOfDay < DayChangeGrace ? day.AddDays(-1) : null;
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await EnsurePartitionsAsync(connection, previous ?? day, cancellationToken).ConfigureAwait(false);
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                if (Mode == PostgresWriteMode.Copy)
                {
                    await CopyAsync(connection, unique, cancellationToken).ConfigureAwait(false);
                    if (details.Count > 0)
                    {
                        await CopyDetailsAsync(connection, details, cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    await using (var stage = new NpgsqlCommand(StageUnnestSql, connection, transaction))
                    {
                        AddColumns(stage.Parameters, unique);
                        await stage.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    if (details.Count > 0)
                    {
                        await using var stageDetails = new NpgsqlCommand(StageDetailsUnnestSql, connection, transaction);
                        AddDetailColumns(stageDetails.Parameters, details);
                        await stageDetails.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                int accepted;
                await using (var accept = new NpgsqlCommand(AcceptSql, connection, transaction))
                {
                    accept.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day.AddDays(-_windowDays), NpgsqlDbType = NpgsqlDbType.Date });
                    accept.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day, NpgsqlDbType = NpgsqlDbType.Date });
                    accept.Parameters.Add(previous is { } p
                        ? new NpgsqlParameter<DateOnly> { TypedValue = p, NpgsqlDbType = NpgsqlDbType.Date }
                        : new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
                    accept.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                    accepted = checked((int)(long)(await accept.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new TelemetryWriteResult(accepted, events.Count - accepted);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < MaxDeadlockRetries)
            {
                // Rolled back as a whole: nothing of the batch was kept; write it again.
                Interlocked.Increment(ref _deadlocks);
            }
        }
    }

    /// <summary>Creates the partitions from <paramref name="from"/> to a few days ahead once per day and process.</summary>
    private async Task EnsurePartitionsAsync(NpgsqlConnection connection, DateOnly from, CancellationToken cancellationToken)
    {
        var through = from.AddDays(1);
        if (Volatile.Read(ref _partitionsThrough) >= through.DayNumber)
        {
            return;
        }

        await _partitionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_partitionsThrough < through.DayNumber)
            {
                var last = from.AddDays(PostgresTelemetryPartitions.DaysAhead);
                await PostgresTelemetryPartitions.EnsureAsync(connection, from, last, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _partitionsThrough, last.DayNumber);
            }
        }
        finally
        {
            _partitionLock.Release();
        }
    }

    /// <summary>COPYs the key-sorted, repeat-free batch into the staging table.</summary>
    private static async Task CopyAsync(NpgsqlConnection connection, List<TelemetryEvent> sorted, CancellationToken cancellationToken)
    {
        await using (var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false))
        {
            // Synchronous field writes on purpose: they only fill Npgsql's buffer and block just when it flushes a chunk
            // to the server; eighteen awaited calls per row cost far more CPU than the rare short blocking write.
            for (var i = 0; i < sorted.Count; i++)
            {
                if ((i & 255) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var e = sorted[i];
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
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>COPYs the batch's detail rows into the staging table (only those of stored events are kept).</summary>
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

    /// <summary>Adds the detail arrays, positional ($1…$5) in <see cref="DetailColumns"/> order.</summary>
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
