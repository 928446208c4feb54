using System.Globalization;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>How the workload's event ids are made.</summary>
internal enum EventIds
{
    /// <summary>The demo generator's own time-ordered UUIDv7 ids (what the demo and <c>simulate</c> send).</summary>
    V7,

    /// <summary>Random UUIDv4 ids: the worst case for every id-keyed index.</summary>
    V4,
}

/// <summary>Options of the ingestion suite: <c>--events N --batch N --clients N --ids v7|v4|both --seed N
/// --warmup BATCHES --warmup-seconds S --skip-postgres --skip-sqlite</c>.</summary>
internal sealed record IngestionSettings(int Events, int Batch, int Clients, IReadOnlyList<EventIds> Ids, int Seed, bool SkipPostgres,
    bool SkipSqlite, int WarmupBatches = 40, int WarmupSeconds = 10)
{
    /// <summary>Events written before each timed run, not counted: enough for the API process's tiered JIT to have
    /// compiled its hot paths (with only 5 warm-up batches, tier-1 compilation still ran inside the timed window and
    /// took CPU from the 2 cores), for pools and caches to fill, and for the tables not to start empty.</summary>
    public int WarmupEvents => Batch * WarmupBatches;

    /// <summary>Each part's warm-up lasts at least this long: after the warm-up batches are stored once, they are sent
    /// again (as duplicates, so the table does not grow; the raw COPY peer copies them into a scratch table instead)
    /// until this much time has passed. A freshly started API process spends its first seconds compiling hot methods
    /// again at tier 1 on a background thread; without this, that JIT work fell inside the timed window.</summary>
    public TimeSpan WarmupTime => TimeSpan.FromSeconds(WarmupSeconds);

    public static IngestionSettings Parse(string[] args)
    {
        var settings = new IngestionSettings(200_000, 1_000, 4, [EventIds.V7, EventIds.V4], 42, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int(int min, int max)
            {
                var name = args[i];
                var text = Value();
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                    ? v
                    : throw new ArgumentException($"{name} must be an integer between {min} and {max} (was '{text}')");
            }
            settings = args[i] switch
            {
                "--events" => settings with { Events = Int(1_000, 3_000_000) },
                "--batch" => settings with { Batch = Int(1, 10_000) },
                "--clients" => settings with { Clients = Int(1, 64) },
                "--seed" => settings with { Seed = Int(int.MinValue, int.MaxValue) },
                "--warmup" => settings with { WarmupBatches = Int(1, 1_000) },
                "--warmup-seconds" => settings with { WarmupSeconds = Int(0, 600) },
                "--ids" => Value() switch
                {
                    "v7" => settings with { Ids = [EventIds.V7] },
                    "v4" => settings with { Ids = [EventIds.V4] },
                    "both" => settings with { Ids = [EventIds.V7, EventIds.V4] },
                    var other => throw new ArgumentException($"--ids must be v7 (time-ordered), v4 (random) or both, not '{other}'"),
                },
                "--skip-postgres" => settings with { SkipPostgres = true },
                "--skip-sqlite" => settings with { SkipSqlite = true },
                var unknown => throw new ArgumentException($"unknown option '{unknown}' (options: --events N --batch N --clients N " +
                                                           "--ids v7|v4|both --seed N --warmup BATCHES --warmup-seconds S --skip-postgres --skip-sqlite)"),
            };
        }
        return settings;
    }
}
