using System.Diagnostics;
using System.Globalization;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo.World;
using IntegrationHealth.Testing;
using Npgsql;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>
/// The "ingestion" suite. On PostgreSQL (admin connection string from <c>INTEGRATIONHEALTH_TEST_PG</c>): raw binary COPY
/// of N events (the peer / limit) against the same N events posted over HTTP to the real API by concurrent clients,
/// and their ratio (target ≥ 50%). On SQLite: direct <c>ITelemetryWriter</c> and HTTP ingestion events/s (target
/// ≥ 100,000). Each runs with the demo generator's time-ordered UUIDv7 ids and with random UUIDv4 ids (<c>--ids</c>). Every run gets a fresh database built by the real migrations, warmed with a few batches first.
/// Targets are reported, not asserted: exit 0 when the suite ran, 1 when a part failed, 2 on bad options.
/// </summary>
internal static class IngestionBenchmark
{
    private const double HttpToCopyTarget = 0.5;
    private const double SqliteWriterTarget = 100_000;

    /// <summary>The API process of the HTTP runs: web role only (no job server competing for the cores), warnings-only
    /// logging, and the product's own GC settings (workstation GC, from the Api project), as <c>ingest-volume</c> runs
    /// it: a benchmark of a process configured unlike the shipped one measures something nobody runs.</summary>
    private static readonly Dictionary<string, string?> ApiEnvironment = new()
    {
        ["Roles"] = "Web",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        IngestionSettings settings;
        try
        {
            settings = IngestionSettings.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"ingestion benchmark: {e.Message}");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Ingestion benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
                          $"load average {BenchmarkRun.LoadAverage()}");
        var admin = settings.SkipPostgres ? null : await PostgresAdminAsync();
        var results = new List<Result>();
        var failed = false;
        foreach (var ids in settings.Ids)
        {
            var workload = IngestionWorkload.Create(settings, ids);
            var bodies = workload.Bodies(workload.Events);
            var warmupBodies = workload.Bodies(workload.Warmup);
            Console.WriteLine($"events ({workload.IdsLabel}): {settings.Events:N0} demo events (seed {settings.Seed}, {workload.World.Accounts.Count} accounts, " +
                              $"{(ids == EventIds.V7 ? "the generator's time-ordered UUIDv7" : "random UUIDv4")} ids), {settings.Batch:N0}-event batches " +
                              $"(HTTP: JSON bodies, {bodies.Average(b => b.Length) / 1024:N0} KiB each, {settings.Clients} concurrent clients); " +
                              $"warm-up per run, not timed: {settings.WarmupEvents:N0} events stored, then sent again as duplicates until {settings.WarmupSeconds} s have passed");
            if (settings.SkipPostgres)
            {
                Console.WriteLine("PostgreSQL: skipped (--skip-postgres)");
            }
            else if (admin is not { } pg)
            {
                Console.WriteLine("PostgreSQL: not reachable — set INTEGRATIONHEALTH_TEST_PG (e.g. start one with `bash tests/postgres.sh start` " +
                                  "and `eval \"export $(bash tests/postgres.sh env)\"`); running the SQLite part only.");
            }
            else
            {
                failed |= !await BenchmarkRun.Attempt($"PostgreSQL raw COPY ({workload.IdsLabel})", async () => results.Add(await PostgresCopyAsync(pg.ConnectionString, workload, settings)));
                failed |= !await BenchmarkRun.Attempt($"PostgreSQL writer ({workload.IdsLabel})", async () => results.Add(await WriterAsync("PostgreSQL",
                    () => ScratchStore.CreatePostgresAsync(pg.ConnectionString, "writer", workload), workload, settings)));
                failed |= !await BenchmarkRun.Attempt($"PostgreSQL HTTP ({workload.IdsLabel})", async () => results.Add(await HttpAsync("PostgreSQL",
                    () => ScratchStore.CreatePostgresAsync(pg.ConnectionString, "http", workload), workload, bodies, warmupBodies, settings)));
            }
            if (!settings.SkipSqlite)
            {
                failed |= !await BenchmarkRun.Attempt($"SQLite writer ({workload.IdsLabel})", async () => results.Add(await WriterAsync("SQLite",
                    () => ScratchStore.CreateSqliteAsync("writer", workload), workload, settings)));
                failed |= !await BenchmarkRun.Attempt($"SQLite HTTP ({workload.IdsLabel})", async () => results.Add(await HttpAsync("SQLite",
                    () => ScratchStore.CreateSqliteAsync("http", workload), workload, bodies, warmupBodies, settings)));
            }
        }
        if (admin is { } server)
        {
            Console.WriteLine($"PostgreSQL server: {server.Version}");
        }
        Console.WriteLine("tables: fresh database per run (real migrations: uuid/blob primary key + (tenant, account, time) and " +
                          "(tenant, provider, time) indexes), holding the warm-up rows when timing starts");

        Console.WriteLine();
        Console.WriteLine("| store | ids | path | events/s | time | rows before → after |");
        Console.WriteLine("|---|---|---|---:|---:|---|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Store} | {r.Ids} | {r.Path} | {r.PerSecond.ToString("N0", CultureInfo.InvariantCulture)} | {r.Elapsed.TotalSeconds:N2} s | " +
                              $"{r.RowsBefore:N0} → {r.RowsAfter:N0} |");
        }
        Console.WriteLine();
        foreach (var ids in results.Select(r => r.Ids).Distinct())
        {
            var copy = results.FirstOrDefault(r => r.Ids == ids && r.Store == "PostgreSQL" && r.Path.StartsWith("raw", StringComparison.Ordinal));
            var pgHttp = results.FirstOrDefault(r => r.Ids == ids && r.Store == "PostgreSQL" && r.Path.StartsWith("HTTP", StringComparison.Ordinal));
            if (copy is not null && pgHttp is not null)
            {
                var ratio = pgHttp.PerSecond / copy.PerSecond;
                Console.WriteLine($"PostgreSQL HTTP / raw COPY ({ids} ids): {ratio:P0} (target ≥ {HttpToCopyTarget:P0}: {(ratio >= HttpToCopyTarget ? "met" : "NOT met")})");
            }
            foreach (var r in results.Where(r => r.Ids == ids && r.Store == "SQLite"))
            {
                var path = r.Path.StartsWith("HTTP", StringComparison.Ordinal) ? "HTTP" : "ITelemetryWriter";
                Console.WriteLine($"SQLite {path} ({ids} ids): {r.PerSecond:N0} events/s (target ≥ {SqliteWriterTarget:N0}: " +
                                  $"{(r.PerSecond >= SqliteWriterTarget ? "met" : "NOT met")})");
            }
        }
        Console.WriteLine($"suite time: {clock.Elapsed.TotalSeconds:N0} s; load average at the end {BenchmarkRun.LoadAverage()} " +
                          "(other work on these cores slows every row alike; compare ratios, not absolutes, on a busy machine)");
        return failed ? 1 : 0;
    }

    private sealed record Result(string Store, string Ids, string Path, long Events, TimeSpan Elapsed, long RowsBefore, long RowsAfter)
    {
        public double PerSecond => Events / Elapsed.TotalSeconds;
    }

    private static async Task<(string ConnectionString, string Version)?> PostgresAdminAsync()
    {
        if (TestServers.PostgresAdmin is not { } connectionString)
        {
            return null;
        }
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 }.ConnectionString);
            await connection.OpenAsync();
            await using var version = new NpgsqlCommand("SHOW server_version", connection);
            return (connectionString, $"PostgreSQL {await version.ExecuteScalarAsync()} ({connection.Host}:{connection.Port})");
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or TimeoutException or System.Net.Sockets.SocketException)
        {
            Console.WriteLine($"PostgreSQL at INTEGRATIONHEALTH_TEST_PG: {e.Message}");
            return null;
        }
    }

    private static TelemetryEvent[][] Rows(DemoEvent[] events, IngestionWorkload workload, Demo.DemoStoreIds ids) =>
        IngestionWorkload.Batches(events, workload.Batch).Select(b => b.Select(e => ids.ToTelemetryEvent(e)).ToArray()).ToArray();

    private static async Task<Result> PostgresCopyAsync(string admin, IngestionWorkload workload, IngestionSettings settings)
    {
        await using var store = await ScratchStore.CreatePostgresAsync(admin, "copy", workload);
        var connectionString = store.Options.ConnectionString!;
        var warmup = Rows(workload.Warmup, workload, store.Ids);
        await CopyLoad.RunAsync(connectionString, warmup);
        await CopyLoad.WarmAsync(connectionString, warmup, settings.WarmupTime);
        var before = await store.CountEventsAsync();
        var rows = Rows(workload.Events, workload, store.Ids);
        var elapsed = await CopyLoad.RunAsync(connectionString, rows, settings.Clients);
        var after = await store.CountEventsAsync();
        Check(after - before, settings.Events, "raw COPY");
        return new Result("PostgreSQL", workload.IdsLabel, $"raw binary COPY, {settings.Clients} connections (peer/limit)", settings.Events, elapsed, before, after);
    }

    /// <summary>The store's own bulk writer called in process: what ingestion costs without HTTP and JSON.</summary>
    private static async Task<Result> WriterAsync(string storeName, Func<Task<ScratchStore>> createStore, IngestionWorkload workload,
        IngestionSettings settings)
    {
        await using var store = await createStore();
        var writer = store.Writer;
        var warmup = Rows(workload.Warmup, workload, store.Ids);
        var warming = Stopwatch.StartNew();
        do
        {
            // First round stores the warm-up events; later rounds are all duplicates (the table does not grow).
            foreach (var batch in warmup)
            {
                await writer.WriteAsync(batch);
            }
        }
        while (warming.Elapsed < settings.WarmupTime);
        var before = await store.CountEventsAsync();
        var rows = Rows(workload.Events, workload, store.Ids);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long accepted = 0;
        foreach (var batch in rows)
        {
            accepted += (await writer.WriteAsync(batch)).Accepted;
        }
        var elapsed = clock.Elapsed;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"  {storeName} writer ({workload.IdsLabel}): CPU {cpu.TotalSeconds:N2} s ({cpu.TotalMicroseconds / accepted:N1} µs/event), " +
                          $"wall {elapsed.TotalSeconds:N2} s");
        var after = await store.CountEventsAsync();
        Check(accepted, settings.Events, $"{storeName} writer");
        return new Result(storeName, workload.IdsLabel, "ITelemetryWriter direct, in process, 1 writer", accepted, elapsed, before, after);
    }

    private static async Task<Result> HttpAsync(string storeName, Func<Task<ScratchStore>> createStore, IngestionWorkload workload,
        byte[][] bodies, byte[][] warmup,
        IngestionSettings settings)
    {
        await using var store = await createStore();
        // The real API over the same database; an ingest key is issued first with the `keys create` verb.
        var api = new ApiProcessOptions { Database = store.Options, Environment = ApiEnvironment };
        var key = await ApiProcess.CreateKeyAsync(api, "bench", "ingest", "bench", TimeSpan.FromMinutes(1));
        await using var server = await ApiProcess.StartReadyAsync(api, TimeSpan.FromSeconds(90), "serve");
        var warming = Stopwatch.StartNew();
        do
        {
            // First round stores the warm-up events; later rounds are all duplicates (the table does not grow).
            await HttpLoad.RunAsync(server, key, warmup, settings.Clients);
        }
        while (warming.Elapsed < settings.WarmupTime);
        var before = await store.CountEventsAsync();
        var serverCpu = server.CpuTime;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (accepted, _, elapsed) = await HttpLoad.RunAsync(server, key, bodies, settings.Clients);
        serverCpu = server.CpuTime - serverCpu;
        clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpu;
        var after = await store.CountEventsAsync();
        Console.WriteLine($"  {storeName} HTTP ({workload.IdsLabel}): API process CPU {serverCpu.TotalSeconds:N2} s " +
                          $"({serverCpu.TotalMicroseconds / accepted:N1} µs/event), clients' CPU {clientCpu.TotalSeconds:N2} s, wall {elapsed.TotalSeconds:N2} s");
        Check(accepted, settings.Events, $"{storeName} HTTP");
        return new Result(storeName, workload.IdsLabel, $"HTTP POST /v1/events, {settings.Clients} clients, real API process", accepted, elapsed, before, after);
    }

    private static void Check(long stored, long expected, string what)
    {
        if (stored != expected)
        {
            throw new InvalidOperationException($"{what}: {stored:N0} events stored, {expected:N0} expected");
        }
    }
}
