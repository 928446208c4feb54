using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Testing;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>
/// The "ingest-volume" suite: ingestion where the indexes outgrow memory. A generated customer base (2,000 accounts,
/// 12 providers) sends events in arrival order (0.5% up to 40 hours late), with random UUIDv4 ids and, as the good
/// case, time-ordered UUIDv7 ids; 10% of the batches are sent again (half verbatim, half re-cut across two batches).
/// Through HTTP by keep-alive clients against the real API as a child process, on PostgreSQL (default 20 M events)
/// and SQLite (default 5 M), plus raw binary COPY into the same partitioned layout (events and window keys) as the
/// PostgreSQL peer. For each successive million distinct events it prints events/s, p50/p95 batch latency, the API's
/// CPU per event, its resident memory (VmRSS, sampled every 200 ms: at the mark and the peak within the million) with where
/// it is (GC heap and committed, SQLite heap, malloc used and free: <see cref="ApiMemory"/>) and the
/// database size per million events (<see cref="VolumeCurve"/>), with a progress line every 30 s in between; at the end
/// the API's peak resident memory against the 400 MB target, and a check that exactly the generated events were stored. Options: <c>--events N</c> (both stores), <c>--pg-events N</c>,
/// <c>--sqlite-events N</c>, <c>--ids v4|v7|both</c>, <c>--batch N</c>, <c>--clients N</c>, <c>--skip-postgres</c>,
/// <c>--skip-sqlite</c>, <c>--skip-copy</c>, <c>--seed N</c>. Exit 0 when every part ran and counted exactly.
/// </summary>
internal static class VolumeBenchmark
{
    private const int Accounts = 2_000;
    private const int Providers = 12;
    private const int Million = VolumeCurve.Million;

    private static readonly string[] ProviderKeys =
        ["salesforce", "hubspot", "bamboohr", "zendesk", "slack", "netsuite", "workday", "quickbooks", "bench-crm", "bench-erp", "bench-ats", "bench-itsm"];

    private sealed record Settings(long PgEvents, long SqliteEvents, IReadOnlyList<EventIds> Ids, int Batch, int Clients, int Seed,
        bool SkipPostgres, bool SkipSqlite, bool SkipCopy);

    public static async Task<int> RunAsync(string[] args)
    {
        Settings settings;
        try
        {
            settings = Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"ingest-volume: {e.Message}");
            return 2;
        }

        Console.WriteLine($"Ingest volume benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, " +
                          $"load average {BenchmarkRun.LoadAverage()}; {Accounts:N0} accounts, {Providers} providers, batches of {settings.Batch:N0}, " +
                          $"{settings.Clients} keep-alive clients, 0.5% late up to 40 h, 10% of batches replayed (half verbatim, half re-cut)");
        var ok = true;
        var admin = settings.SkipPostgres ? null : TestServers.PostgresAdmin;
        if (!settings.SkipPostgres && admin is null)
        {
            Console.WriteLine("PostgreSQL: INTEGRATIONHEALTH_TEST_PG is not set; skipped (see tests/postgres.sh)");
        }

        foreach (var ids in settings.Ids)
        {
            if (admin is not null)
            {
                if (!settings.SkipCopy)
                {
                    ok &= await BenchmarkRun.Attempt($"PostgreSQL raw COPY, {ids}", () => CopyAsync(admin, settings.PgEvents, ids, settings));
                }

                ok &= await BenchmarkRun.Attempt($"PostgreSQL HTTP, {ids}", async () =>
                {
                    await using var database = await TestDatabase.PostgresAsync("ih_bench_volume", adminConnectionString: admin);
                    await HttpAsync("PostgreSQL", database, settings.PgEvents, ids, settings);
                });
            }

            if (!settings.SkipSqlite)
            {
                ok &= await BenchmarkRun.Attempt($"SQLite HTTP, {ids}", async () =>
                {
                    await using var database = TestDatabase.Sqlite("ih-bench-volume");
                    await HttpAsync("SQLite", database, settings.SqliteEvents, ids, settings);
                });
            }
        }

        Console.WriteLine($"load average at the end {BenchmarkRun.LoadAverage()} (figures from a loaded machine are not measurements)");
        return ok ? 0 : 1;
    }

    private static Settings Parse(string[] args)
    {
        var s = new Settings(20 * (long)Million, 5 * (long)Million, [EventIds.V4, EventIds.V7], 1_000, 4, 42, false, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            long Long(long min, long max)
            {
                var name = args[i];
                var text = Value();
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                    ? v : throw new ArgumentException($"{name} must be an integer between {min} and {max} (was '{text}')");
            }

            s = args[i] switch
            {
                "--events" => Long(1_000, 200 * (long)Million) is var n ? s with { PgEvents = n, SqliteEvents = n } : s,
                "--pg-events" => s with { PgEvents = Long(1_000, 200 * (long)Million) },
                "--sqlite-events" => s with { SqliteEvents = Long(1_000, 200 * (long)Million) },
                "--batch" => s with { Batch = (int)Long(10, 10_000) },
                "--clients" => s with { Clients = (int)Long(1, 64) },
                "--seed" => s with { Seed = (int)Long(int.MinValue, int.MaxValue) },
                "--ids" => Value() switch
                {
                    "v4" => s with { Ids = [EventIds.V4] },
                    "v7" => s with { Ids = [EventIds.V7] },
                    "both" => s with { Ids = [EventIds.V4, EventIds.V7] },
                    var other => throw new ArgumentException($"--ids must be v4, v7 or both, not '{other}'"),
                },
                "--skip-postgres" => s with { SkipPostgres = true },
                "--skip-sqlite" => s with { SkipSqlite = true },
                "--skip-copy" => s with { SkipCopy = true },
                var unknown => throw new ArgumentException($"unknown option '{unknown}' (options: --events N --pg-events N --sqlite-events N " +
                                                           "--ids v4|v7|both --batch N --clients N --seed N --skip-postgres --skip-sqlite --skip-copy)"),
            };
        }

        return s;
    }

    /// <summary>One generated event: what the wire body and the COPY row are made of.</summary>
    private readonly record struct Generated(Guid Id, DateTime OccurredAt, int Account, int Provider, int Status, int LatencyMs);

    /// <summary>The generated world's events in arrival order, batch by batch: deterministic for a seed, produced on
    /// demand (20 M events are never held in memory at once).</summary>
    private sealed class World(long events, EventIds ids, int seed, int batch)
    {
        private readonly DateTime _end = DateTime.UtcNow.AddMinutes(-10);

        public long Events => events;

        public int BatchCount => checked((int)((events + batch - 1) / batch));

        /// <summary>The events of batch <paramref name="index"/> (the same every time it is asked for).</summary>
        public Generated[] Batch(int index)
        {
            var first = (long)index * batch;
            var count = (int)Math.Min(batch, events - first);
            var result = new Generated[count];
            var span = TimeSpan.FromDays(30);
            Span<byte> bytes = stackalloc byte[16];
            for (var i = 0; i < count; i++)
            {
                var n = first + i;
                // Event n's 128 random bits come from a bijection of (seed, n), so no two events share an id. They
                // were Random(HashCode.Combine(seed, n)) bytes: a 32-bit seed per event, so about n²/2³³ events
                // collided (10 of 300,000, ~46,000 of 20 M: the run failed its exact count), and HashCode is seeded per
                // process, so the world was not the same from one run to the next.
                var high = SplitMix(SplitMix((ulong)n) ^ (ulong)(uint)seed);
                var low = SplitMix(high ^ 0xD1B5_4A32_D192_ED03UL);
                var rng = new Random((int)(low >> 33));
                var arrival = _end - span + span * ((double)n / events);
                var occurred = rng.Next(200) == 0 ? arrival - TimeSpan.FromSeconds(rng.Next(40 * 3600)) : arrival - TimeSpan.FromMilliseconds(rng.Next(2_000));
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, high);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], low);
                Guid id;
                if (ids == EventIds.V4)
                {
                    bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
                    bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
                    id = new Guid(bytes, bigEndian: true);
                }
                else
                {
                    // UUIDv7: 48-bit Unix milliseconds of the arrival, then random bits.
                    var ms = new DateTimeOffset(arrival).ToUnixTimeMilliseconds();
                    for (var b = 0; b < 6; b++) bytes[b] = (byte)(ms >> (40 - 8 * b));
                    bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
                    bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
                    id = new Guid(bytes, bigEndian: true);
                }

                // Skewed: a few big accounts send most of the traffic.
                var account = (int)(Accounts * Math.Pow(rng.NextDouble(), 2));
                result[i] = new Generated(id, occurred, account, rng.Next(Providers), rng.Next(50) == 0 ? 503 : 200, 20 + rng.Next(900));
            }

            return result;
        }

        /// <summary>SplitMix64's finaliser: a bijection on 64-bit values that scatters consecutive inputs.</summary>
        private static ulong SplitMix(ulong z)
        {
            z += 0x9E37_79B9_7F4A_7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>The plan of what is sent: every batch once, and after 10% of them a replay, verbatim or re-cut
        /// (the second half of the previous batch and the first half of this one).</summary>
        public List<(int Batch, bool Recut)> Plan()
        {
            var rng = new Random(seed ^ 0x5EED);
            var plan = new List<(int, bool)>(BatchCount * 11 / 10);
            for (var b = 0; b < BatchCount; b++)
            {
                plan.Add((b, false));
                if (b > 0 && rng.Next(10) == 0)
                {
                    plan.Add((b, rng.Next(2) == 0)); // re-cut, or a verbatim replay of batch b
                }
            }

            return plan;
        }

        public Generated[] Recut(int index)
        {
            var previous = Batch(index - 1);
            var current = Batch(index);
            return [.. previous[(previous.Length / 2)..], .. current[..(current.Length / 2)]];
        }
    }

    private static byte[] Body(Generated[] events)
    {
        var buffer = new ArrayBufferWriter<byte>(events.Length * 260);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var e in events)
            {
                json.WriteStartObject();
                json.WriteString("id", e.Id);
                json.WriteString("kind", "request");
                json.WriteString("occurredAt", e.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                json.WriteString("account", "acct-" + e.Account.ToString(CultureInfo.InvariantCulture));
                json.WriteString("provider", ProviderKeys[e.Provider]);
                json.WriteString("resource", "contacts");
                json.WriteString("method", "GET");
                json.WriteNumber("status", e.Status);
                json.WriteNumber("latencyMs", e.LatencyMs);
                if (e.Status != 200)
                {
                    json.WriteString("outcome", "failure");
                    json.WriteString("errorClass", "5xx");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task HttpAsync(string store, TestDatabase database, long events, EventIds ids, Settings settings)
    {
        var world = new World(events, ids, settings.Seed, settings.Batch);
        var options = new ApiProcessOptions
        {
            Database = database.Options,
            Environment = new Dictionary<string, string?>
            {
                ["Roles"] = "Web",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Ingestion__UnknownProviders"] = "register",
            },
        };
        var key = await ApiProcess.CreateKeyAsync(options, "bench", "admin", "volume bench", TimeSpan.FromMinutes(2));
        await using var api = await ApiProcess.StartReadyAsync(options, TimeSpan.FromSeconds(120), "serve");
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = settings.Clients, PooledConnectionLifetime = TimeSpan.FromHours(10) };
        using var http = new HttpClient(handler) { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        // The scrape of /metrics on a connection of its own, so that it does not queue behind the clients' batches.
        using var metrics = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        for (var a = 0; a < Accounts; a += 1_000)
        {
            var accounts = Enumerable.Range(a, Math.Min(1_000, Accounts - a)).Select(i => new { externalId = $"acct-{i}", name = $"Account {i}" });
            using var response = await http.PostAsync("v1/accounts", new StringContent(JsonSerializer.Serialize(accounts), System.Text.Encoding.UTF8, "application/json"));
            await EnsureAsync(response);
        }

        await using var curve = new VolumeCurve($"{store} HTTP, {(ids == EventIds.V4 ? "random UUIDv4" : "UUIDv7")} ids, {events:N0} events:",
            events, () => DatabaseBytesAsync(database),
            new VolumeCurve.ApiMeter(() => VolumeCurve.RssKib(api.ProcessId), () => api.CpuTime, () => MemoryAsync(metrics)));
        curve.Header();
        var plan = world.Plan();
        var next = -1;
        long sent = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < plan.Count)
            {
                var (batch, recut) = plan[i];
                var body = Body(recut ? world.Recut(batch) : world.Batch(batch));
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("v1/events", content);
                await EnsureAsync(response);
                var latency = Stopwatch.GetElapsedTime(started);
                using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
                Interlocked.Add(ref sent, json.RootElement.GetProperty("accepted").GetInt32() + json.RootElement.GetProperty("duplicates").GetInt32());
                await curve.RecordAsync(json.RootElement.GetProperty("accepted").GetInt32(), latency);
            }
        })));
        var elapsed = clock.Elapsed;
        await curve.FinishAsync();
        await using var db = await database.ContextFactory.CreateDbContextAsync();
        var stored = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.LongCountAsync(db.TelemetryEvents);
        Console.WriteLine($"{store}: {curve.Accepted:N0} accepted of {sent:N0} sent ({sent - curve.Accepted:N0} duplicates), {stored:N0} rows stored, " +
                          $"{events:N0} generated; overall {curve.Accepted / elapsed.TotalSeconds:N0} distinct events/s; API peak RSS {curve.PeakRssKib / 1024.0:N0} MB " +
                          $"(target < 400 MB: {(curve.PeakRssKib < 400 * 1024 ? "met" : "NOT met")})");
        if (stored != events || curve.Accepted != events)
        {
            throw new InvalidOperationException($"{store}: counts are not exact ({curve.Accepted:N0} accepted, {stored:N0} stored, {events:N0} expected)");
        }
    }

    /// <summary>The peer: raw binary COPY of the same events into the same layout (today's partitions of
    /// <c>telemetry_events</c> and <c>telemetry_dedup</c>), no dedup check, no JSON, no HTTP, as many connections as
    /// the HTTP run has clients.</summary>
    private static async Task CopyAsync(string admin, long events, EventIds ids, Settings settings)
    {
        await using var database = await TestDatabase.MigratedPostgresAsync("ih_bench_volume_copy", adminConnectionString: admin);
        var connectionString = database.Options.ConnectionString!;
        var world = new World(events, ids, settings.Seed, settings.Batch);
        await using var curve = new VolumeCurve($"PostgreSQL raw binary COPY (peer), {(ids == EventIds.V4 ? "random UUIDv4" : "UUIDv7")} ids, {events:N0} events:",
            events, () => DatabaseBytesAsync(database), null);
        curve.Header();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(_ => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { WriteBufferSize = 256 * 1024 }.ConnectionString);
            await connection.OpenAsync();
            int i;
            while ((i = Interlocked.Increment(ref next)) < world.BatchCount)
            {
                var batch = world.Batch(i);
                var started = Stopwatch.GetTimestamp();
                await using (var transaction = await connection.BeginTransactionAsync())
                {
                    await using (var importer = await connection.BeginBinaryImportAsync(
                        "COPY telemetry_events (id, occurred_at, tenant_id, account_id, provider_id, kind, outcome, error_class, method, http_status, latency_ms, resource) FROM STDIN (FORMAT BINARY)"))
                    {
                        foreach (var e in batch)
                        {
                            importer.StartRow();
                            importer.Write(e.Id, NpgsqlDbType.Uuid);
                            importer.Write(e.OccurredAt, NpgsqlDbType.TimestampTz);
                            importer.Write(1, NpgsqlDbType.Integer);
                            importer.Write(e.Account + 1, NpgsqlDbType.Integer);
                            importer.Write(e.Provider + 1, NpgsqlDbType.Integer);
                            importer.Write((short)TelemetryKind.Request, NpgsqlDbType.Smallint);
                            importer.Write((short)(e.Status == 200 ? 0 : 1), NpgsqlDbType.Smallint);
                            importer.Write((short)(e.Status == 200 ? 0 : 3), NpgsqlDbType.Smallint);
                            importer.Write((short)1, NpgsqlDbType.Smallint);
                            importer.Write((short)e.Status, NpgsqlDbType.Smallint);
                            importer.Write(e.LatencyMs, NpgsqlDbType.Integer);
                            importer.Write("contacts", NpgsqlDbType.Varchar);
                        }

                        await importer.CompleteAsync();
                    }

                    await using (var keys = await connection.BeginBinaryImportAsync("COPY telemetry_dedup (received_on, tenant_id, id) FROM STDIN (FORMAT BINARY)"))
                    {
                        var today = DateOnly.FromDateTime(DateTime.UtcNow);
                        foreach (var e in batch.OrderBy(e => e.Id.ToString()))
                        {
                            keys.StartRow();
                            keys.Write(today, NpgsqlDbType.Date);
                            keys.Write(1, NpgsqlDbType.Integer);
                            keys.Write(e.Id, NpgsqlDbType.Uuid);
                        }

                        await keys.CompleteAsync();
                    }

                    await transaction.CommitAsync();
                }

                await curve.RecordAsync(batch.Length, Stopwatch.GetElapsedTime(started));
            }
        })));
        await curve.FinishAsync();
        Console.WriteLine($"PostgreSQL raw COPY: {curve.Accepted:N0} rows copied");
    }

    private static async Task<long> DatabaseBytesAsync(TestDatabase database)
    {
        if (database.Options.StoreProvider == Data.StoreProvider.Postgres)
        {
            await using var connection = new NpgsqlConnection(database.Options.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        var path = Data.Sqlite.SqliteDatabase.FilePath(database.Options.EffectiveConnectionString)!;
        return new[] { path, path + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
    }

    /// <summary>The API's memory breakdown from its <c>/metrics</c> (null when the scrape fails: the row shows a dash).</summary>
    private static async Task<ApiMemory?> MemoryAsync(HttpClient http)
    {
        try
        {
            return ApiMemory.Parse(await http.GetStringAsync("metrics"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 1_000)]}");
        }
    }
}
