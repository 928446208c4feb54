using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IntegrationHealth.Data.Sqlite;

/// <summary>SQLite file and connection settings shared by the DbContext and the bulk writer.</summary>
public static class SqliteDatabase
{
    /// <summary>Page cache of each pooled connection (EF's readers and writers), in KiB (negative <c>cache_size</c> means
    /// KiB): 8 MB. It was 256 MB on every connection, and the cache is per connection and kept while the connection is
    /// pooled, so resident memory grew with the table times the connections (946 MB at 2.75 M events); then 16 MB.
    /// Reads by the dashboards and jobs touch an index range of one tenant and account, which a small cache serves, and
    /// while ingestion commits a reader's cache is dropped before each read anyway (WAL mode: see
    /// <see cref="SoftHeapLimitBytes"/>); what needs a big cache is the random-key insert, and that is the telemetry
    /// writer's (<see cref="WriterCacheSizeKib"/>).</summary>
    public const int CacheSizeKib = 8_192;

    /// <summary>Page cache of the telemetry writer's connection, in KiB (80 MB): the key and read indexes' hot pages for
    /// random-key inserts (DESIGN.md: 40k rows/s with the default 2 MB cache, 120k with 256 MB, at 1 M rows). The writer
    /// uses one connection at a time, from a pool of its own (<see cref="WriterConnectionString"/>), so this is paid
    /// once, not per pooled connection, and it stays warm from one group transaction to the next (it did not: see
    /// <see cref="WriterConnectionPragmas"/>). 80 MB, not 128, so that SQLite's whole heap fits the 400 MB process
    /// (<see cref="SoftHeapLimitBytes"/>): with the cache really kept, a 128 MB writer cache put SQLite's heap at
    /// 143 MB and the process at 404 MB by 1.2 M events, and 96 MB (with 16 MB pooled caches) at 401-406 MB in the
    /// 4th and 5th million of 5 M.</summary>
    public const int WriterCacheSizeKib = 81_920;

    /// <summary>Process-wide bound on SQLite's heap (<c>PRAGMA soft_heap_limit</c>, in bytes): 96 MB, the writer's
    /// cache and two pooled connections' full caches (80 + 2 × 8 MB).</summary>
    /// <remarks>
    /// <para>Microsoft.Data.Sqlite has no maximum pool size: it keeps as many connections as were ever open at once
    /// (one per concurrent request or job using a DbContext), each with its own page cache of up to
    /// <see cref="CacheSizeKib"/>, filled as it reads and kept while pooled. So the number of pooled connections is not
    /// what bounds memory; this limit is. Past it SQLite recycles a connection's own least recently used pages
    /// instead of allocating more, whatever the number of connections. The bundled e_sqlite3 keeps memory statistics
    /// (it is not built with <c>SQLITE_DEFAULT_MEMSTATUS=0</c>), which the limit needs, and <c>mmap_size</c> is 0, so
    /// database pages are never mapped into the process.</para>
    /// <para>While ingestion commits, a pooled reader's cache is worth little: in WAL mode a connection drops its whole
    /// cache when another connection has committed since its last read. Hence two readers' worth, not six.</para>
    /// <para>The 400 MB resident-memory target of the API process, as measured with <c>ingest-volume</c> (SQLite, random
    /// ids, 2 cores; the API's <c>/metrics</c> give the parts): SQLite's heap up to this limit; the GC ~35 MB of heap in
    /// ~58 MB committed (workstation GC, see the Api project); malloc's other allocations ~10 MB and what it keeps
    /// freed (kept small by the web plumbing's <c>NativeHeapTrimmer</c>); and ~100 MB that is not heap at all (mapped
    /// assemblies and native libraries ~40 MB, the JIT's double-mapped code ~55 MB). The previous setting (a 224 MB
    /// limit) peaked at 783 MB at 5 M events, but SQLite's heap was not what held it: at 1.2 M events SQLite had
    /// 58 MB, malloc 73 MB in use and 305 MB freed but kept in its arenas, and the server GC 107 MB committed.
    /// The run at 5 M events with these settings: tests/IntegrationHealth.Benchmarks/README.md, "Ingestion at volume".</para>
    /// </remarks>
    public const long SoftHeapLimitBytes = (WriterCacheSizeKib + 2L * CacheSizeKib) * 1024;

    /// <summary>How long a connection waits for another writer's lock before failing.</summary>
    public const int BusyTimeoutMs = 30_000;

    /// <summary>Page size of new database files: 4 KB, SQLite's default. A commit dirties about one page per event in
    /// each randomly-keyed index (the id key; the account/time index), and every dirty page is written to the WAL and
    /// again at the checkpoint, so once the indexes outgrow the cache the bytes written per event decide the speed:
    /// measured with <c>ingest-volume</c> at 5 M events through HTTP (tests/IntegrationHealth.Benchmarks/README.md,
    /// 2026-12-03, back to back on a quiet machine), 4 KB pages gave 21,771 events/s with random ids, flat at 20-23k
    /// per million, against 14,134 falling to 12,348 with 16 KB pages, and 44,543 against 28,058 with UUIDv7 ids, in
    /// a file no larger (190-191 MB per million events at 5 M both ways) and at the same resident memory (309 against 317 MB
    /// at the peak). <c>ingest-floor</c> shows why: a keyed insert wrote 10 KB per row with 4 KB pages and 31-33 KB
    /// with 16 KB ones by 5 M rows. 16 KB pages had been chosen from 200,000 events in an empty table, where the
    /// indexes fit in the cache and the frame count, not the bytes, was the cost (~1.3-1.7x events per CPU-second over
    /// 4 KB then). It only takes effect on an empty file (before the first table, and before WAL is switched on); a
    /// file created with 16 KB pages keeps them until a <c>VACUUM</c> outside WAL mode.</summary>
    public const int PageSize = 4_096;

    /// <summary>WAL pages a commit may leave before it checkpoints (default 1,000). Each 1,000-event batch dirties
    /// roughly one page per event per random-key index, so the default made nearly every batch also checkpoint, with
    /// an fsync; 4,096 pages checkpoints every dozen or so batches instead (measured ~1.5-2x, with 16 KB pages: 64 MB;
    /// 16 MB at today's <see cref="PageSize"/>, the setting of the 4 KB-page volume runs). A larger WAL (256 MB)
    /// measured no better.</summary>
    public const int WalAutoCheckpointPages = 4_096;

    /// <summary>The telemetry writer's own connections checkpoint only past this many WAL pages (64 MB at
    /// <see cref="PageSize"/>, 256 MB on a file with 16 KB pages): below it, <see cref="SqliteWalCheckpointer"/> checkpoints in the background.</summary>
    public const int WriterWalAutoCheckpointPages = 16_384;

    /// <summary>Size the WAL file is truncated back to after a checkpoint lets it restart (64 MB).</summary>
    public const long JournalSizeLimitBytes = 64L * 1024 * 1024;

    /// <summary>WAL file size past which the background checkpointer runs a <c>TRUNCATE</c> checkpoint instead of a
    /// <c>PASSIVE</c> one (64 MB at <see cref="PageSize"/>, the writer's own backstop). <c>journal_size_limit</c> only trims the file when the WAL
    /// restarts, and it restarts only once a checkpoint has copied every frame while no reader still uses one; under
    /// overlapping readers that never happens, and the WAL grew to three times the database. A TRUNCATE checkpoint waits
    /// (briefly, see <see cref="TruncateBusyTimeoutMs"/>) for those readers, then empties the file.</summary>
    public const long MaxWalBytes = (long)WriterWalAutoCheckpointPages * PageSize;

    /// <summary>How long a <c>TRUNCATE</c> checkpoint waits for readers and the writer. It blocks new writes while it
    /// waits, so it is kept short while running; a checkpoint that runs out of time is simply tried again later.</summary>
    public const int TruncateBusyTimeoutMs = 250;

    /// <summary>Per-connection pragmas, run on every opened connection (they are not stored in the file).
    /// <c>page_size</c> comes first so that a connection that creates the file creates it with
    /// <see cref="PageSize"/> (on an existing file it changes nothing).</summary>
    public static readonly string ConnectionPragmas = Pragmas(CacheSizeKib, WalAutoCheckpointPages, "MEMORY");

    /// <summary>The telemetry writer's per-connection pragmas: <see cref="ConnectionPragmas"/> with the writer's cache
    /// (<see cref="WriterCacheSizeKib"/>), checkpoint backstop (<see cref="WriterWalAutoCheckpointPages"/>) and
    /// temporary store (<see cref="WriterTempStore"/>: its savepoints' journal in a file, not the heap) in place of the
    /// pooled connections'.</summary>
    /// <remarks>In place of, not after: they run each time the writer takes its pooled connection, and they were
    /// <see cref="ConnectionPragmas"/> followed by the writer's <c>cache_size</c>, so every group transaction first
    /// shrank the writer's cache to <see cref="CacheSizeKib"/> (SQLite frees the pages past a smaller size at once)
    /// and then let it grow again. The writer started every transaction with 16 MB of its 128 MB warm (measured at
    /// 700,000 random-id events: 28-34 MB cached after each commit, ~750 cache misses per 1,000 events), and the
    /// pages freed and allocated again, on whichever thread wrote the group, were most of the native heap's churn.</remarks>
    public static readonly string WriterConnectionPragmas = Pragmas(WriterCacheSizeKib, WriterWalAutoCheckpointPages, WriterTempStore);

    /// <summary>Where the telemetry writer's connection keeps SQLite's temporary files (<c>PRAGMA temp_store</c>):
    /// <c>FILE</c>, where every other connection keeps them in memory (<see cref="ConnectionPragmas"/>). What it
    /// decides for the writer is where a savepoint's journal goes.</summary>
    /// <remarks>
    /// <para>The writer gives every batch of a group transaction a savepoint (<c>SqliteTelemetryWriter</c>), and while
    /// a savepoint is open SQLite copies every page the batch changes, before the change, into the connection's
    /// sub-journal, so that <c>ROLLBACK TO</c> can restore it. A 1,000-event batch of random ids changes about a page
    /// per event in each random-key index: the journal, sampled as the temporary file below during
    /// <c>ingest-volume</c>, held 21 MB per group transaction at the median and 29 MB at most (1,300-1,800 pages).
    /// With <c>temp_store=MEMORY</c> that journal is an in-memory file of 1 KB chunks (SQLite's <c>memjournal.c</c>;
    /// the chunk size is fixed), allocated as the batch writes and freed at its <c>RELEASE</c>: about 16 small
    /// mallocs per page, under the 16 KB mmap threshold (<c>NativeHeap.MmapThresholdBytes</c> in the web plumbing),
    /// so into glibc's arenas, on whichever thread-pool thread wrote the group. They were the native heap's churn and
    /// the API's transient peak. Measured with <c>ingest-volume</c> (SQLite, random ids, 2 cores; the arenas read from
    /// <c>/proc/PID/smaps</c>): with <c>temp_store=MEMORY</c> malloc kept 37-107 MB freed, the arenas' resident size
    /// swung between 11 and 120 MB within seconds (101 MB of the process's 410 MB peak), and SQLite's heap went past
    /// <see cref="SoftHeapLimitBytes"/> (to 101-109 MB at times: the journal counts as SQLite's heap, against the same
    /// limit as the caches); with <c>FILE</c> malloc kept 1-2 MB freed, the arenas stayed at 8-9 MB, and the process
    /// peaked at 319 MB over 5 M events (410 MB before), with no change in events/s beyond the shared machine's noise
    /// (four alternated rounds against main, +4% on average; tests/IntegrationHealth.Benchmarks/README.md, "Ingestion
    /// at volume").</para>
    /// <para>With <c>FILE</c> the journal's first 64 KB stay in memory (<c>SQLITE_STMTJRNL_SPILL</c>) and the rest goes
    /// to a temporary file that SQLite deletes as it opens it, in <c>SQLITE_TMPDIR</c> (else <c>TMPDIR</c>,
    /// <c>/var/tmp</c>, <c>/usr/tmp</c>, <c>/tmp</c>, the first that is writable), closed at the end of the transaction
    /// and never synced: the journal lives in the kernel's page cache, outside the process, for the length of one
    /// group transaction (it still counts in the process's <c>write_bytes</c>, and in a container's memory cgroup as
    /// page cache). So the API needs a writable temporary directory to ingest on SQLite (a container with a read-only
    /// root file system needs one mounted: src/IntegrationHealth.Api/CONFIGURATION.md); without one, a group of
    /// batches cannot open its journal (<c>SQLITE_CANTOPEN</c>, a storage fault answered 503; a full one answers 507
    /// like a full database disk; a batch alone in its transaction has no savepoint and still writes). The writer's
    /// connection runs no query that sorts or builds temporary tables, so nothing else moves to a file.
    /// <c>PRAGMA temp_store</c> can only change outside a transaction, and <see cref="WriterConnectionPragmas"/> run
    /// before the writer's <c>BEGIN</c>.</para>
    /// </remarks>
    public const string WriterTempStore = "FILE";

    private static string Pragmas(int cacheSizeKib, int walAutoCheckpointPages, string tempStore) =>
        $"PRAGMA page_size={PageSize}; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-{cacheSizeKib}; PRAGMA busy_timeout={BusyTimeoutMs}; " +
        $"PRAGMA wal_autocheckpoint={walAutoCheckpointPages}; PRAGMA journal_size_limit={JournalSizeLimitBytes}; " +
        $"PRAGMA foreign_keys=ON; PRAGMA temp_store={tempStore}; PRAGMA soft_heap_limit={SoftHeapLimitBytes};";

    /// <summary>The telemetry writer's form of <paramref name="connectionString"/>: the same file, but a different
    /// connection string (Microsoft.Data.Sqlite pools by connection string), so the writer's big-cache connection stays
    /// warm in a pool of its own instead of being handed to EF (which would shrink its cache) and back.</summary>
    public static string WriterConnectionString(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        // The command timeout in seconds: the writer's statements are never long; the value only has to differ.
        builder.DefaultTimeout = builder.DefaultTimeout == 60 ? 61 : 60;
        return builder.ToString();
    }

    /// <summary>Bytes SQLite's allocator has outstanding in this process (<c>sqlite3_memory_used</c>: every connection's
    /// page cache, schemas and prepared statements), or null before SQLite was first used.</summary>
    public static long? HeapUsedBytes() => ReadHeap(static () => raw.sqlite3_memory_used());

    /// <summary>The most <see cref="HeapUsedBytes"/> has been since the process started (<c>sqlite3_memory_highwater</c>),
    /// or null before SQLite was first used.</summary>
    public static long? HeapHighwaterBytes() => ReadHeap(static () => raw.sqlite3_memory_highwater(0));

    private static long? ReadHeap(Func<long> read)
    {
        try
        {
            return read();
        }
#pragma warning disable CA1031 // SQLitePCL throws a bare Exception until a connection has chosen its provider
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>Creates the folder of a file database if it is missing (no-op for in-memory databases).</summary>
    public static void EnsureDirectory(string connectionString)
    {
        var path = FilePath(connectionString);
        if (path is null)
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>The database file path, or null for in-memory databases.</summary>
    public static string? FilePath(string connectionString)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Database:ConnectionString is not a valid SQLite connection string: {ex.Message}", ex);
        }

        var source = builder.DataSource;
        if (string.IsNullOrWhiteSpace(source) || source == ":memory:" || builder.Mode == SqliteOpenMode.Memory
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return source;
    }

    /// <summary>Runs <see cref="ConnectionPragmas"/> on an open connection.</summary>
    public static void ApplyPragmas(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <see cref="ConnectionPragmas"/> on an open connection.</summary>
    public static async Task ApplyPragmasAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The WAL file of a file database (<c>&lt;file&gt;-wal</c>), or null for in-memory databases.</summary>
    public static string? WalPath(string connectionString)
        => FilePath(connectionString) is { } path ? Path.GetFullPath(path) + "-wal" : null;

    /// <summary>
    /// Runs <c>PRAGMA wal_checkpoint(TRUNCATE)</c> on a new connection to an existing file: every WAL frame is copied into
    /// the database and the WAL file is truncated to zero bytes. Gives up after <paramref name="timeout"/>. Returns true
    /// when the checkpoint completed; false when readers, a writer or another checkpoint kept it from finishing.
    /// </summary>
    public static bool CheckpointTruncate(string connectionString, TimeSpan timeout)
    {
        // Unpooled: the busy timeout set here must not stay on a connection someone else gets from the pool.
        // ReadWrite: never create a file; a database that is gone needs no checkpoint.
        var readWrite = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        using var connection = new SqliteConnection(readWrite);
        connection.Open();
        using (var busyTimeout = connection.CreateCommand())
        {
            // On its own: setting busy_timeout answers a row too, which a reader would take for the checkpoint's.
            busyTimeout.CommandText = $"PRAGMA busy_timeout={(int)timeout.TotalMilliseconds};";
            busyTimeout.ExecuteNonQuery();
        }

        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            using var reader = command.ExecuteReader();
            // One row: busy (1 when it could not finish), WAL frames, frames checkpointed.
            if (reader.Read() && reader.GetInt32(0) == 0)
            {
                return true;
            }

            // Busy without waiting: another checkpoint (the background checkpointer's) holds the checkpoint lock, which
            // SQLite does not wait for. It is short; try again.
            if (Environment.TickCount64 >= deadline)
            {
                return false;
            }

            Thread.Sleep(20);
        }
    }
}
