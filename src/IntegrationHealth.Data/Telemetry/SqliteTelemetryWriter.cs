using System.Collections.Concurrent;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Sqlite;
using Microsoft.Data.Sqlite;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>
/// SQLite bulk writer: one transaction and one prepared <c>INSERT … ON CONFLICT (tenant_id, id) DO NOTHING</c> whose parameters
/// are rebound for every row; the statement's change count tells accepted from duplicate. An accepted event's detail
/// row (<see cref="TelemetryEvent.Detail"/>) is inserted right after it, by a second prepared statement in the same
/// transaction, so it is written exactly when its event is, and a duplicate's detail never is.
/// </summary>
/// <remarks>
/// <para>SQLite has one writer at a time, so writers of one database file are serialised in-process (waiting on a
/// semaphore rather than spinning on SQLITE_BUSY); other processes are covered by <c>busy_timeout</c>.</para>
/// <para>Group commit: batches that queue up while another batch is being written are written together, in one
/// transaction with a savepoint per batch, by whichever caller gets the lock next. A batch that fails rolls back to
/// its savepoint alone, so every batch stays atomic and its counts are its own, while the commit cost (roughly one
/// WAL page per event for the random-key index) is paid once per group instead of once per batch. A savepoint makes
/// SQLite copy every page the batch changes into a journal first; that journal goes to a temporary file, not the
/// heap (<see cref="SqliteDatabase.WriterTempStore"/>).</para>
/// <para>Every row of a batch gets one <see cref="TelemetryEvent.ReceivedAt"/>, read from the clock of the writer the
/// batch was given to when its group transaction writes it (as the PostgreSQL writer stamps the transaction that
/// stores a batch), so <c>received_at</c> follows commit order like <c>ingest_seq</c>: retention, which deletes by
/// <c>received_at</c>, removes the oldest part of the rollups' reading order, and the <c>received_at</c> index
/// only grows at its right edge.</para>
/// <para>WAL checkpoints run on a background thread (<see cref="SqliteWalCheckpointer"/>), not inside a commit.</para>
/// <para>Rows are written in key order (tenant, then the id's RFC 9562 bytes) so each batch walks the key index once,
/// in order; time-ordered (UUIDv7) ids then append at the right edge of the tenant's part of the index.</para>
/// </remarks>
public sealed class SqliteTelemetryWriter : ITelemetryWriter
{
    /// <summary>Most events one group transaction takes on (bounds the WAL growth and the lock hold time).</summary>
    public const int MaxEventsPerTransaction = 32_000;

    private const string InsertSql =
        "INSERT INTO telemetry_events (id, occurred_at, tenant_id, account_id, provider_id, connection_id, kind, outcome, " +
        "error_class, method, http_status, latency_ms, records, rate_limit_remaining, rate_limit_limit, resource, user_id, " +
        "endpoint_id, ingest_seq, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) " +
        "ON CONFLICT (tenant_id, id) DO NOTHING";

    // A detail row left by an event that is gone (deleted by hand or by a future retention job) must not fail the
    // batch that stores a new event with that id: the new event's detail replaces it.
    private const string DetailInsertSql =
        "INSERT INTO telemetry_event_details (tenant_id, event_id, error_message, field, record_id) VALUES (?1, ?2, ?3, ?4, ?5) " +
        "ON CONFLICT (tenant_id, event_id) DO UPDATE SET " +
        "error_message = excluded.error_message, field = excluded.field, record_id = excluded.record_id";

    // One lock and one queue per database file, shared by every writer instance in the process.
    private static readonly ConcurrentDictionary<string, FileWriteQueue> Queues = new(StringComparer.Ordinal);

    private readonly string _writerConnectionString;
    private readonly FileWriteQueue _queue;
    private readonly TimeProvider _time;

    /// <summary>Creates a writer for the SQLite database of <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">The database file.</param>
    /// <param name="time">The clock of <see cref="TelemetryEvent.ReceivedAt"/> (retention); the system clock by default.</param>
    public SqliteTelemetryWriter(string connectionString, TimeProvider? time = null)
        : this(connectionString, SqliteDatabase.MaxWalBytes, time)
    {
    }

    /// <summary>A writer whose file's background checkpointer truncates the WAL past <paramref name="maxWalBytes"/>
    /// (tests; the first writer of a file in the process decides).</summary>
    internal SqliteTelemetryWriter(string connectionString, long maxWalBytes, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        _writerConnectionString = SqliteDatabase.WriterConnectionString(connectionString);
        _time = time ?? TimeProvider.System;
        var path = SqliteDatabase.FilePath(connectionString);
        _queue = Queues.GetOrAdd(path is null ? connectionString : Path.GetFullPath(path),
            _ => new FileWriteQueue(path is null ? null : new SqliteWalCheckpointer(connectionString, maxWalBytes)));
    }

    /// <summary>Batches queued for this writer's database file and not yet picked up (diagnostics and tests).</summary>
    internal int QueuedBatches => _queue.Pending.Count;

    /// <summary>Batches ever queued for this writer's database file (diagnostics and tests).</summary>
    internal long EnqueuedBatches => Interlocked.Read(ref _queue.Enqueued);

    /// <summary>Transactions committed for this writer's database file since the process started (diagnostics and tests).</summary>
    internal long CommittedTransactions => Interlocked.Read(ref _queue.Committed);

    /// <summary>Background WAL checkpoints run for this writer's database file (diagnostics and tests).</summary>
    internal long BackgroundCheckpoints => _queue.Checkpointer?.Checkpoints ?? 0;

    /// <summary>Background checkpoints that truncated an outgrown WAL (diagnostics and tests).</summary>
    internal long WalTruncations => _queue.Checkpointer?.Truncations ?? 0;

    /// <inheritdoc />
    public async Task<TelemetryWriteResult> WriteAsync(IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken = default)
    {
        TelemetryBatch.Validate(events);
        cancellationToken.ThrowIfCancellationRequested();
        if (events.Count == 0)
        {
            return new TelemetryWriteResult(0, 0);
        }

        // Stamped when its group is written (not here), by this writer's clock: the group may be written by another
        // writer instance of the same file.
        var batch = new PendingBatch(TelemetryBatch.SortByKey(events), _time, cancellationToken);
        _queue.Pending.Enqueue(batch);
        Interlocked.Increment(ref _queue.Enqueued);
        while (!batch.Done.Task.IsCompleted)
        {
            // Waiting for the lock is not cancelled by the token: the batch is queued and may already be part of a
            // group another caller is writing; its outcome is reported through the batch itself.
            await _queue.Lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (!batch.Done.Task.IsCompleted)
                {
                    WriteQueuedGroup();
                }
            }
            finally
            {
                _queue.Lock.Release();
            }
        }

        return await batch.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Writes the batches queued so far (up to <see cref="MaxEventsPerTransaction"/> events) in one
    /// transaction. Called with the file's lock held.</summary>
    private void WriteQueuedGroup()
    {
        var group = new List<PendingBatch>();
        var events = 0;
        while ((group.Count == 0 || events < MaxEventsPerTransaction) && _queue.Pending.TryDequeue(out var next))
        {
            if (next.Cancellation.IsCancellationRequested)
            {
                next.Done.TrySetCanceled(next.Cancellation);
                continue;
            }

            group.Add(next);
            events += next.Rows.Length;
        }

        if (group.Count == 0)
        {
            return;
        }

        var results = new TelemetryWriteResult?[group.Count];
        try
        {
            using var connection = new SqliteConnection(_writerConnectionString);
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = SqliteDatabase.WriterConnectionPragmas;
                pragmas.ExecuteNonQuery();
            }

            using var transaction = connection.BeginTransaction(deferred: false);
            using var statements = new Statements(connection);
            // This transaction is the file's only writer (BEGIN IMMEDIATE), so counting on from the largest sequence
            // number stored gives every accepted event a larger one than any committed before it, in commit order.
            using (var max = connection.CreateCommand())
            {
                max.Transaction = transaction;
                max.CommandText = "SELECT coalesce(max(ingest_seq), 0) FROM telemetry_events";
                statements.NextSeq = (long)max.ExecuteScalar()! + 1;
            }


            for (var b = 0; b < group.Count; b++)
            {
                var batch = group[b];
                // Read inside the file's write transaction, like the PostgreSQL writer's stamp (taken for the
                // transaction that stores the batch): received_at then follows commit order, as ingest_seq does, not
                // the order batches happened to be queued in, however long they waited for the lock.
                batch.ReceivedTicks = batch.Clock.GetUtcNow().UtcTicks;
                if (group.Count == 1)
                {
                    // Alone in its transaction: the transaction is the batch's atomicity.
                    results[b] = Insert(statements, batch);
                    continue;
                }

                var savepoint = "b" + b;
                transaction.Save(savepoint);
                try
                {
                    results[b] = Insert(statements, batch);
                    transaction.Release(savepoint);
                }
                catch (Exception ex) when (ex is SqliteException or OperationCanceledException)
                {
                    transaction.Rollback(savepoint);
                    transaction.Release(savepoint);
                    Fail(batch, ex);
                }
            }

            // Disposing an uncommitted transaction (exception above) rolls everything back.
            transaction.Commit();
            Interlocked.Increment(ref _queue.Committed);
            _queue.Checkpointer?.Signal();
        }
        catch (Exception ex)
        {
            for (var b = 0; b < group.Count; b++)
            {
                Fail(group[b], ex);
            }

            return;
        }

        for (var b = 0; b < group.Count; b++)
        {
            if (results[b] is { } result)
            {
                group[b].Done.TrySetResult(result);
            }
        }
    }

    private static TelemetryWriteResult Insert(Statements statements, PendingBatch batch)
    {
        var accepted = 0;
        var rows = batch.Rows;
        Span<byte> id = stackalloc byte[16];
        for (var r = 0; r < rows.Length; r++)
        {
            if ((r & 255) == 0)
            {
                batch.Cancellation.ThrowIfCancellationRequested();
            }

            var e = rows[r];
            var insert = statements.Events;
            SqliteGuidBytesConverter.Write(e.Id, id);
            insert.Blob(1, id);
            insert.Integer(2, SqliteUtcTicksConverter.ToUtcTicks(e.OccurredAt));
            insert.Integer(3, e.TenantId);
            insert.Integer(4, e.AccountId);
            insert.Integer(5, e.ProviderId);
            insert.Integer(6, e.ConnectionId);
            insert.Integer(7, (int)e.Kind);
            insert.Integer(8, (int)e.Outcome);
            insert.Integer(9, (int)e.ErrorClass);
            insert.Integer(10, (int)e.Method);
            insert.Integer(11, e.HttpStatus);
            insert.Integer(12, e.LatencyMs);
            insert.Integer(13, e.Records);
            insert.Integer(14, e.RateLimitRemaining);
            insert.Integer(15, e.RateLimitLimit);
            insert.Text(16, e.Resource);
            insert.Text(17, e.UserId);
            insert.Integer(18, e.EndpointId);
            insert.Integer(19, statements.NextSeq);
            insert.Integer(20, batch.ReceivedTicks);
            var stored = insert.Execute();
            statements.NextSeq += stored;
            accepted += stored;
            if (stored == 1 && e.Detail is { } detail)
            {
                var details = statements.Details;
                details.Integer(1, e.TenantId);
                details.Blob(2, id);
                details.Text(3, detail.ErrorMessage);
                details.Text(4, detail.Field);
                details.Text(5, detail.RecordId);
                details.Execute();
            }
        }

        return new TelemetryWriteResult(accepted, rows.Length - accepted);
    }

    private static void Fail(PendingBatch batch, Exception error)
    {
        if (error is OperationCanceledException && batch.Cancellation.IsCancellationRequested)
        {
            batch.Done.TrySetCanceled(batch.Cancellation);
        }
        else
        {
            batch.Done.TrySetException(error);
        }
    }

    /// <summary>The prepared statements of one group transaction.</summary>
    private sealed class Statements(SqliteConnection connection) : IDisposable
    {
        private SqliteRowInsert? _details;

        public SqliteRowInsert Events { get; } = new(connection, InsertSql);

        /// <summary>The ingest sequence number of the next accepted event.</summary>
        public long NextSeq { get; set; }

        /// <summary>Prepared on first use: most groups hold no detail row.</summary>
        public SqliteRowInsert Details => _details ??= new SqliteRowInsert(connection, DetailInsertSql);

        public void Dispose()
        {
            _details?.Dispose();
            Events.Dispose();
        }
    }

    private sealed class FileWriteQueue(SqliteWalCheckpointer? checkpointer)
    {
        /// <summary>Checkpoints the file in the background; null for in-memory databases.</summary>
        public SqliteWalCheckpointer? Checkpointer { get; } = checkpointer;

        public long Committed;

        public long Enqueued;

        public SemaphoreSlim Lock { get; } = new(1, 1);

        public ConcurrentQueue<PendingBatch> Pending { get; } = new();
    }

    private sealed class PendingBatch(TelemetryEvent[] rows, TimeProvider clock, CancellationToken cancellation)
    {
        public TelemetryEvent[] Rows { get; } = rows;

        /// <summary>The clock of the writer the batch was given to.</summary>
        public TimeProvider Clock { get; } = clock;

        /// <summary>UTC ticks of the batch's <see cref="TelemetryEvent.ReceivedAt"/>, one for all its rows: set when
        /// its group transaction writes it.</summary>
        public long ReceivedTicks { get; set; }

        public CancellationToken Cancellation { get; } = cancellation;

        public TaskCompletionSource<TelemetryWriteResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
