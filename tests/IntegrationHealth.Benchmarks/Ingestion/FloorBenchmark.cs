using System.Diagnostics;
using System.Globalization;
using IntegrationHealth.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>
/// The "ingest-floor" suite: what the database engines themselves can write on this machine, at the issue's volume,
/// with no HTTP, no JSON and no product code: narrow telemetry rows (a random UUIDv4 id, a time, six small integers,
/// the shape of <c>shared/DESIGN.md</c>'s anchors) written straight by the client library, per successive million
/// rows. It answers how fast any layout could go: an exactly-once store needs at least a unique key on the sender's id,
/// and every case here has less than the product's layout (no read index, no partition, no detail rows).
/// <list type="bullet">
/// <item>PostgreSQL (default 20 M rows, <c>--connections</c> concurrent writers, default 4 as the HTTP run's clients):
/// (a) binary COPY into an unindexed table; (b) the minimal exactly-once write, binary COPY into a temporary staging
/// table then <c>INSERT … SELECT … ON CONFLICT DO NOTHING</c> into a table whose only index is the
/// <c>(tenant_id, id)</c> primary key (what <c>telemetry_dedup</c> is); (c) the same with the two read indexes the
/// product keeps, <c>(tenant_id, account_id, occurred_at)</c> and <c>(tenant_id, provider_id, occurred_at)</c>. Beside
/// rows/s it prints the PostgreSQL server's CPU per row (user + system time of its postmaster, with the children it
/// reaped, and of every live child, from <c>/proc</c>), which with the API's own CPU per event (printed by <c>ingest-volume</c>) bounds what two cores can
/// do through HTTP.</item>
/// <item>SQLite (default 5 M rows, one writer, as the store has): (a) an unindexed rowid table; (b) the minimal
/// exactly-once write, <c>INSERT OR IGNORE</c> into a table with the <c>(tenant_id, id)</c> BLOB primary key, both
/// with WAL, <c>synchronous=NORMAL</c>, 16 KB pages (the store's page size until this benchmark showed what they cost)
/// and <c>--sqlite-cache-mb</c> of page cache (default the writer's 80 MB), in transactions of <c>--batch</c> rows;
/// (c) case (b) with 4 KB pages, the store's page size now; and (d) case (b) with a page cache of 2 GB, past any
/// memory budget. Beside rows/s it prints bytes written to disk per row
/// (<c>/proc/self/io</c>).</item>
/// </list>
/// Options: <c>--pg-rows N</c>, <c>--sqlite-rows N</c>, <c>--rows N</c> (both), <c>--batch N</c> (default 1,000),
/// <c>--connections N</c>, <c>--sqlite-cache-mb N</c>, <c>--sqlite-cases noindex,key,key4k,bigcache</c> (default all),
/// <c>--skip-postgres</c>, <c>--skip-sqlite</c>, <c>--seed N</c>. Every case checks that exactly the rows generated were
/// stored.
/// PostgreSQL runs on the server of INTEGRATIONHEALTH_TEST_PG, each case in a scratch database dropped afterwards.
/// </summary>
internal static class FloorBenchmark
{
    private const int Million = 1_000_000;
    private const int Accounts = 2_000, Providers = 12;

    private sealed record Settings(long PgRows, long SqliteRows, int Batch, int Connections, int SqliteCacheMb, int Seed, bool SkipPostgres, bool SkipSqlite,
        IReadOnlySet<string> SqliteCases);

    private static readonly string[] AllSqliteCases = ["noindex", "key", "key4k", "bigcache"];

    /// <summary>One narrow telemetry row.</summary>
    private readonly record struct Row(Guid Id, DateTime OccurredAt, int Tenant, int Account, int Provider, short Kind, short Status, int LatencyMs, int Records);

    public static async Task<int> RunAsync(string[] args)
    {
        Settings settings;
        try
        {
            settings = Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"ingest-floor: {e.Message}");
            return 2;
        }

        Console.WriteLine($"Ingest floor benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {BenchmarkRun.LoadAverage()}; " +
                          $"narrow rows with random UUIDv4 ids, {settings.Batch:N0} rows per batch");
        var ok = true;
        var admin = settings.SkipPostgres ? null : TestServers.PostgresAdmin;
        if (!settings.SkipPostgres && admin is null)
        {
            Console.WriteLine("PostgreSQL: INTEGRATIONHEALTH_TEST_PG is not set; skipped (see tests/postgres.sh)");
        }

        if (admin is not null)
        {
            foreach (var kind in new[] { PgCase.CopyNoIndex, PgCase.DedupKeyOnly, PgCase.DedupKeyAndReadIndexes })
            {
                ok &= await BenchmarkRun.Attempt($"PostgreSQL {Describe(kind)}", () => PostgresAsync(admin, kind, settings));
            }
        }

        if (!settings.SkipSqlite)
        {
            foreach (var name in AllSqliteCases.Where(settings.SqliteCases.Contains))
            {
                var (keyed, pageSize, cacheMb) = name switch
                {
                    "noindex" => (false, 16384, settings.SqliteCacheMb),
                    "key" => (true, 16384, settings.SqliteCacheMb),
                    "key4k" => (true, 4096, settings.SqliteCacheMb),
                    _ => (true, 16384, 2048),
                };
                ok &= await BenchmarkRun.Attempt($"SQLite {name}", () => SqliteAsync(settings, keyed, pageSize, cacheMb));
            }
        }

        return ok ? 0 : 1;
    }

    private enum PgCase { CopyNoIndex, DedupKeyOnly, DedupKeyAndReadIndexes }

    private static string Describe(PgCase kind) => kind switch
    {
        PgCase.CopyNoIndex => "binary COPY, no index",
        PgCase.DedupKeyOnly => "staging COPY + INSERT … ON CONFLICT DO NOTHING, (tenant, id) key only",
        _ => "staging COPY + INSERT … ON CONFLICT DO NOTHING, (tenant, id) key + two read indexes",
    };

    private const string Columns = "(id, occurred_at, tenant_id, account_id, provider_id, kind, http_status, latency_ms, records)";

    private static async Task PostgresAsync(string admin, PgCase kind, Settings settings)
    {
        await using var database = await TestDatabase.PostgresAsync("ih_bench_floor", adminConnectionString: admin);
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { WriteBufferSize = 256 * 1024 }.ConnectionString;
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            var key = kind == PgCase.CopyNoIndex ? "" : ", PRIMARY KEY (tenant_id, id)";
            var sql = "CREATE TABLE floor_events (id uuid NOT NULL, occurred_at timestamptz NOT NULL, tenant_id int NOT NULL, account_id int NOT NULL, " +
                      $"provider_id int NOT NULL, kind smallint NOT NULL, http_status smallint, latency_ms int, records int{key});";
            if (kind == PgCase.DedupKeyAndReadIndexes)
            {
                sql += " CREATE INDEX ON floor_events (tenant_id, account_id, occurred_at); CREATE INDEX ON floor_events (tenant_id, provider_id, occurred_at);";
            }
            await using var create = new NpgsqlCommand(sql, setup);
            await create.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"PostgreSQL {Describe(kind)}, {settings.PgRows:N0} rows, {settings.Connections} writers:");
        Console.WriteLine("| million | rows/s | p50 batch | p95 batch | PostgreSQL CPU µs/row | DB MB per M rows |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        var batches = (int)((settings.PgRows + settings.Batch - 1) / settings.Batch);
        var next = -1;
        var curve = new Curve(settings.PgRows);
        var connections = new List<NpgsqlConnection>();
        try
        {
            for (var c = 0; c < settings.Connections; c++)
            {
                var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                if (kind != PgCase.CopyNoIndex)
                {
                    await using var staging = new NpgsqlCommand("CREATE TEMP TABLE floor_staging (LIKE floor_events) ON COMMIT DELETE ROWS", connection);
                    await staging.ExecuteNonQueryAsync();
                }
                connections.Add(connection);
            }

            var postmaster = Postmaster(connections[0]);
            var serverCpu = PostgresCpuSeconds(postmaster);

            await Task.WhenAll(connections.Select(connection => Task.Run(async () =>
            {
                int b;
                while ((b = Interlocked.Increment(ref next)) < batches)
                {
                    var rows = Generate(settings.Seed, b, settings.Batch, settings.PgRows);
                    var watch = Stopwatch.StartNew();
                    if (kind == PgCase.CopyNoIndex)
                    {
                        await CopyAsync(connection, "floor_events", rows);
                    }
                    else
                    {
                        await using var transaction = await connection.BeginTransactionAsync();
                        await CopyAsync(connection, "floor_staging", rows);
                        await using var insert = new NpgsqlCommand(
                            $"INSERT INTO floor_events {Columns} SELECT {Columns.Trim('(', ')')} FROM floor_staging ORDER BY tenant_id, id ON CONFLICT DO NOTHING",
                            connection, transaction);
                        var inserted = await insert.ExecuteNonQueryAsync();
                        if (inserted != rows.Length) throw new InvalidOperationException($"{inserted} of {rows.Length} rows inserted: the ids are distinct");
                        await transaction.CommitAsync();
                    }
                    curve.Add(rows.Length, watch.Elapsed, () => DatabaseMb(connectionString), () => PostgresCpuSeconds(postmaster) - serverCpu);
                }
            })));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }

        await using (var check = new NpgsqlConnection(connectionString))
        {
            await check.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM floor_events", check);
            var stored = (long)(await count.ExecuteScalarAsync())!;
            if (stored != settings.PgRows) throw new InvalidOperationException($"{stored:N0} rows stored of {settings.PgRows:N0}");
        }

        Console.WriteLine(curve.Summary($"PostgreSQL {Describe(kind)}"));
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string table, Row[] rows)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {table} {Columns} FROM STDIN (FORMAT BINARY)");
        foreach (var r in rows)
        {
            importer.StartRow();
            importer.Write(r.Id, NpgsqlDbType.Uuid);
            importer.Write(r.OccurredAt, NpgsqlDbType.TimestampTz);
            importer.Write(r.Tenant, NpgsqlDbType.Integer);
            importer.Write(r.Account, NpgsqlDbType.Integer);
            importer.Write(r.Provider, NpgsqlDbType.Integer);
            importer.Write(r.Kind, NpgsqlDbType.Smallint);
            importer.Write(r.Status, NpgsqlDbType.Smallint);
            importer.Write(r.LatencyMs, NpgsqlDbType.Integer);
            importer.Write(r.Records, NpgsqlDbType.Integer);
        }
        await importer.CompleteAsync();
    }

    /// <summary>The database's size in MB. Synchronous: <see cref="Curve"/> asks for it once a million rows, under its
    /// lock.</summary>
    private static double DatabaseMb(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var size = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)size.ExecuteScalar()! / 1048576.0;
    }

    /// <summary>User + system CPU seconds of the PostgreSQL server: its postmaster (with the time of the children it
    /// has reaped, such as finished autovacuum workers) and every live child (backends, checkpointer, WAL writer…).</summary>
    private static double PostgresCpuSeconds(int postmaster)
    {
        double ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var fields = StatFields(pid);
                double Field(int i) => double.Parse(fields[i], CultureInfo.InvariantCulture);
                if (pid == postmaster) ticks += Field(11) + Field(12) + Field(13) + Field(14);
                else if (Field(1) == postmaster) ticks += Field(11) + Field(12);
            }
            catch (IOException)
            {
                // The process ended between listing and reading.
            }
        }
        return ticks / 100.0; // USER_HZ
    }

    /// <summary>The postmaster of the server a connection is on: the parent of its backend.</summary>
    private static int Postmaster(NpgsqlConnection connection) => int.Parse(StatFields(connection.ProcessID)[1], CultureInfo.InvariantCulture);

    /// <summary>The fields of <c>/proc/PID/stat</c> after "pid (comm) " (proc(5)), from the state on: ppid is [1], utime
    /// [11], stime [12], cutime [13], cstime [14].</summary>
    private static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static Task SqliteAsync(Settings settings, bool keyed, int pageSize, int cacheMb)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ih-bench-floor-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
            connection.Open();
            Exec(connection, $"PRAGMA page_size={pageSize}; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-{cacheMb * 1024};");
            Exec(connection, "CREATE TABLE floor_events (id BLOB NOT NULL, occurred_at INTEGER NOT NULL, tenant_id INTEGER NOT NULL, account_id INTEGER NOT NULL, " +
                             "provider_id INTEGER NOT NULL, kind INTEGER NOT NULL, http_status INTEGER, latency_ms INTEGER, records INTEGER" +
                             (keyed ? ", PRIMARY KEY (tenant_id, id))" : ")"));
            var label = $"SQLite, {(keyed ? "(tenant, id) key" : "no index")}, {pageSize / 1024} KB pages, {cacheMb} MB cache";
            Console.WriteLine($"{label}, {settings.SqliteRows:N0} rows, one writer:");
            Console.WriteLine("| million | rows/s | p50 batch | p95 batch | bytes written per row | file + WAL MB per M rows |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT {(keyed ? "OR IGNORE " : "")}INTO floor_events VALUES ($id, $at, $t, $a, $p, $k, $s, $l, $r)";
            var parameters = new[] { "$id", "$at", "$t", "$a", "$p", "$k", "$s", "$l", "$r" }.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
            var curve = new Curve(settings.SqliteRows);
            var written = WriteBytes();
            var batches = (int)((settings.SqliteRows + settings.Batch - 1) / settings.Batch);
            for (var b = 0; b < batches; b++)
            {
                var rows = Generate(settings.Seed, b, settings.Batch, settings.SqliteRows);
                var watch = Stopwatch.StartNew();
                using (var transaction = connection.BeginTransaction())
                {
                    insert.Transaction = transaction;
                    foreach (var r in rows)
                    {
                        parameters[0].Value = r.Id.ToByteArray(bigEndian: true);
                        parameters[1].Value = r.OccurredAt.Ticks;
                        parameters[2].Value = r.Tenant;
                        parameters[3].Value = r.Account;
                        parameters[4].Value = r.Provider;
                        parameters[5].Value = r.Kind;
                        parameters[6].Value = r.Status;
                        parameters[7].Value = r.LatencyMs;
                        parameters[8].Value = r.Records;
                        if (insert.ExecuteNonQuery() != 1) throw new InvalidOperationException("a distinct id was ignored");
                    }
                    transaction.Commit();
                }
                curve.Add(rows.Length, watch.Elapsed, () => FileMb(path), () => WriteBytes() - written, perRowIsBytes: true);
            }

            using (var count = connection.CreateCommand())
            {
                count.CommandText = "SELECT count(*) FROM floor_events";
                var stored = (long)count.ExecuteScalar()!;
                if (stored != settings.SqliteRows) throw new InvalidOperationException($"{stored:N0} rows stored of {settings.SqliteRows:N0}");
            }

            Console.WriteLine(curve.Summary(label));
            return Task.CompletedTask;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static double FileMb(string path) =>
        new[] { path, path + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length) / 1048576.0;

    /// <summary>Bytes this process has caused to be written to storage (<c>write_bytes</c> of /proc/self/io).</summary>
    private static double WriteBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/io"))
        {
            if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
            {
                return double.Parse(line["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }
        return double.NaN;
    }

    /// <summary>Batch <paramref name="index"/>: random UUIDv4 ids (from a seeded generator, so every run writes the
    /// same rows), times advancing through 30 days, accounts skewed so that a few send most rows.</summary>
    private static Row[] Generate(int seed, int index, int batch, long total)
    {
        var count = (int)Math.Min(batch, total - (long)index * batch);
        var random = new Random(unchecked(seed * 1_000_003 + index));
        var rows = new Row[count];
        Span<byte> id = stackalloc byte[16];
        var start = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(id);
            id[6] = (byte)(id[6] & 0x0F | 0x40);
            id[8] = (byte)(id[8] & 0x3F | 0x80);
            var position = ((long)index * batch + i) / (double)total;
            var account = (int)(Accounts * Math.Pow(random.NextDouble(), 2));
            rows[i] = new Row(new Guid(id, bigEndian: true), start.AddDays(30 * position).AddSeconds(random.Next(-600, 600)), 1, account + 1,
                1 + random.Next(Providers), (short)random.Next(5), (short)(random.NextDouble() < 0.03 ? 503 : 200), random.Next(20, 900), random.Next(0, 50));
        }
        return rows;
    }

    /// <summary>Rows/s, batch latencies and one resource counter per successive million rows.</summary>
    private sealed class Curve(long total)
    {
        private readonly Lock _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<double> _latencies = [];
        private long _rows, _markRows;
        private TimeSpan _markTime;
        private double _markCounter;
        private TimeSpan _lastProgress;

        public void Add(int rows, TimeSpan latency, Func<double> sizeMb, Func<double> counter, bool perRowIsBytes = false)
        {
            string? line = null;
            lock (_gate)
            {
                _rows += rows;
                _latencies.Add(latency.TotalMilliseconds);
                var now = _clock.Elapsed;
                if (_rows - _markRows >= Million || _rows == total)
                {
                    var n = _rows - _markRows;
                    var seconds = (now - _markTime).TotalSeconds;
                    var value = counter();
                    var perRow = (value - _markCounter) / n;
                    _latencies.Sort();
                    var size = sizeMb() / (_rows / (double)Million);
                    line = string.Create(CultureInfo.InvariantCulture,
                        $"| {_rows / (double)Million:0.00} | {n / seconds:N0} | {_latencies[_latencies.Count / 2]:0} ms | {_latencies[(int)(_latencies.Count * 0.95)]:0} ms | {(perRowIsBytes ? perRow.ToString("N0", CultureInfo.InvariantCulture) : (perRow * 1e6).ToString("0.0", CultureInfo.InvariantCulture))} | {size:0} |");
                    _markRows = _rows;
                    _markTime = now;
                    _markCounter = value;
                    _latencies.Clear();
                }
                else if (now - _lastProgress > TimeSpan.FromSeconds(30))
                {
                    _lastProgress = now;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … {_rows:N0} of {total:N0} rows after {now:hh\\:mm\\:ss}"));
                }
            }
            if (line is not null) Console.WriteLine(line);
        }

        public string Summary(string label) => string.Create(CultureInfo.InvariantCulture,
            $"{label}: {_rows:N0} rows in {_clock.Elapsed.TotalSeconds:0.0} s, overall {_rows / _clock.Elapsed.TotalSeconds:N0} rows/s");
    }

    private static Settings Parse(string[] args)
    {
        long pg = 20 * (long)Million, sqlite = 5 * (long)Million;
        int batch = 1_000, connections = 4, cache = 80, seed = 42;
        bool skipPostgres = false, skipSqlite = false;
        IReadOnlySet<string> cases = AllSqliteCases.ToHashSet();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            long Positive(string v) => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"not a positive number: {v}");
            switch (args[i])
            {
                case "--rows": pg = sqlite = Positive(Value()); break;
                case "--pg-rows": pg = Positive(Value()); break;
                case "--sqlite-rows": sqlite = Positive(Value()); break;
                case "--batch": batch = (int)Math.Min(Positive(Value()), 100_000); break;
                case "--connections": connections = (int)Math.Min(Positive(Value()), 64); break;
                case "--sqlite-cache-mb": cache = (int)Math.Min(Positive(Value()), 65_536); break;
                case "--seed": seed = (int)Positive(Value()); break;
                case "--skip-postgres": skipPostgres = true; break;
                case "--skip-sqlite": skipSqlite = true; break;
                case "--sqlite-cases":
                    var named = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                    if (named.Count == 0 || !named.IsSubsetOf(AllSqliteCases)) throw new ArgumentException($"--sqlite-cases takes some of {string.Join(",", AllSqliteCases)}");
                    cases = named;
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return new Settings(pg, sqlite, batch, connections, cache, seed, skipPostgres, skipSqlite, cases);
    }
}
