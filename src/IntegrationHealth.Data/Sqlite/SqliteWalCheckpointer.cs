using Microsoft.Data.Sqlite;

namespace IntegrationHealth.Data.Sqlite;

/// <summary>
/// Checkpoints a WAL-mode database file on a background thread, so the bulk writer's commits do not pay for it.
/// </summary>
/// <remarks>
/// <para>With SQLite's default, the connection whose commit takes the WAL past <c>wal_autocheckpoint</c> pages runs the
/// checkpoint itself, inside the caller's request: it copies every page changed since the last one into the database
/// file and fsyncs both files. For telemetry batches that was most of a commit's wall time (measured on 200,000 events
/// with random ids, 1,000 per commit: 1.6 s of CPU in 3.2 s of wall time). Here the writer signals after each commit;
/// this thread runs a <c>PASSIVE</c> checkpoint (which never blocks the writer, and which SQLite allows to run beside
/// it) at most once per <see cref="MinInterval"/>. Measured in a copy of the writer's loop: 80k → 129k events/s
/// with random ids and 152k → 179k with time-ordered ones (205,000 rows), 122k → 180k at 605,000 rows.</para>
/// <para>A passive checkpoint cannot reset the WAL while the writer keeps appending, so the writer's own connections
/// keep a backstop, <see cref="SqliteDatabase.WriterWalAutoCheckpointPages"/>: past that many pages the committing
/// connection checkpoints as before, after which the WAL restarts; <c>journal_size_limit</c> then truncates the file.
/// A checkpoint that fails (the file busy, locked or gone) is skipped; the next signal tries again.</para>
/// <para>Neither restarts the WAL while readers overlap: SQLite restarts it only when a checkpoint has copied every frame
/// and no reader still uses one, and with one reader always mid-query the file grew past three times the database.
/// So once the WAL file is larger than its bound (<see cref="SqliteDatabase.MaxWalBytes"/>) the next checkpoint is a
/// <c>TRUNCATE</c>: it waits up to <see cref="SqliteDatabase.TruncateBusyTimeoutMs"/> for the readers of old frames to
/// finish (new readers read the database file), copies the rest and empties the file. When a reader outlasts that wait,
/// it is tried again without waiting for another commit, after a back-off (0.5 s doubling to 30 s), so that a long query
/// does not stall writers over and over.</para>
/// </remarks>
internal sealed class SqliteWalCheckpointer
{
    /// <summary>Least time between two background checkpoints (they coalesce the commits in between).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>The thread ends after this long without a signal, and starts again with the next one.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;
    private readonly string? _walPath;
    private readonly long _maxWalBytes;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private const long MinTruncateBackoffMs = 500;
    private const long MaxTruncateBackoffMs = 30_000;

    private long _checkpoints;
    private long _truncations;
    private int _running;

    // Touched by the checkpointer thread only (one runs at a time).
    private long _truncateBackoffMs;
    private long _nextTruncateAt;
    private Timer? _retryTimer;

    /// <param name="connectionString">The database file's connection string.</param>
    /// <param name="maxWalBytes">WAL size past which checkpoints truncate (tests pass a small one).</param>
    public SqliteWalCheckpointer(string connectionString, long maxWalBytes = SqliteDatabase.MaxWalBytes)
    {
        // Never create a file: if the database is gone, the checkpoint just fails.
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString();
        _walPath = SqliteDatabase.WalPath(connectionString);
        _maxWalBytes = maxWalBytes;
    }

    /// <summary>Background checkpoints run so far (diagnostics and tests).</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Background checkpoints that ran as <c>TRUNCATE</c> because the WAL had outgrown its bound.</summary>
    public long Truncations => Interlocked.Read(ref _truncations);

    /// <summary>Asks for a checkpoint soon (after a commit); returns at once. Signals while one is pending coalesce.</summary>
    public void Signal()
    {
        // Most commits find a checkpoint already pending (the thread sleeps between runs): skip the release then,
        // rather than throwing and catching SemaphoreFullException on every commit.
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit released it in between; that checkpoint will include this commit.
            }
        }

        StartIfIdle();
    }

    private void StartIfIdle()
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            new Thread(Run) { IsBackground = true, Name = "SQLite WAL checkpointer" }.Start();
        }
    }

    private void Run()
    {
        while (true)
        {
            if (!_signal.Wait(IdleTimeout))
            {
                // Idle: end the thread. A signal that raced with the timeout restarts it (here or in Signal).
                Volatile.Write(ref _running, 0);
                if (_signal.CurrentCount > 0)
                {
                    StartIfIdle();
                }

                return;
            }

            try
            {
                Checkpoint();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Busy, locked, or the file is gone (a test deleting its folder): skip this one; the writer's backstop
                // still applies. An exception escaping this thread would end the process, so none may.
            }

            Thread.Sleep(MinInterval);
        }
    }

    private void Checkpoint()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        SqliteDatabase.ApplyPragmas(connection);
        var truncate = WalBytes() > _maxWalBytes && Environment.TickCount64 >= _nextTruncateAt;
        if (truncate)
        {
            // ApplyPragmas set the long busy timeout of ordinary connections; a TRUNCATE blocks writers while it waits,
            // so it gets a short one (ApplyPragmas restores the long one on the next run). On its own: it answers a row.
            using var timeout = connection.CreateCommand();
            timeout.CommandText = $"PRAGMA busy_timeout={SqliteDatabase.TruncateBusyTimeoutMs};";
            timeout.ExecuteNonQuery();
        }

        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = truncate ? "PRAGMA wal_checkpoint(TRUNCATE);" : "PRAGMA wal_checkpoint(PASSIVE);";
        using (var result = checkpoint.ExecuteReader())
        {
            // First column: 1 when readers or a writer kept the checkpoint from finishing.
            var busy = result.Read() && result.GetInt32(0) != 0;
            Interlocked.Increment(ref _checkpoints);
            if (!truncate)
            {
                return;
            }

            if (!busy)
            {
                Interlocked.Increment(ref _truncations);
                _truncateBackoffMs = 0;
                return;
            }
        }

        // A reader outlasted the wait. Try again later even without another commit (the file only shrinks by a
        // truncation), but back off: each attempt stalls writers for up to the busy timeout, and a long query would
        // otherwise cost that every few milliseconds.
        _truncateBackoffMs = Math.Clamp(_truncateBackoffMs * 2, MinTruncateBackoffMs, MaxTruncateBackoffMs);
        _nextTruncateAt = Environment.TickCount64 + _truncateBackoffMs;
        _retryTimer ??= new Timer(_ => Signal());
        _retryTimer.Change(_truncateBackoffMs, Timeout.Infinite);
    }

    private long WalBytes()
    {
        if (_walPath is null)
        {
            return 0;
        }

        var wal = new FileInfo(_walPath);
        return wal.Exists ? wal.Length : 0;
    }
}
