using System.Globalization;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>Options of the ingestion suite: <c>--events N --batch N --clients N --ids v4|v7 --seed N --skip-postgres
/// --skip-sqlite</c>.</summary>
internal sealed record IngestionSettings(int Events, int Batch, int Clients, bool TimeOrderedIds, int Seed, bool SkipPostgres,
    bool SkipSqlite)
{
    /// <summary>Events written before each timed run (JIT, pools, caches), not counted.</summary>
    public int WarmupEvents => Batch * 5;

    public static IngestionSettings Parse(string[] args)
    {
        var settings = new IngestionSettings(200_000, 1_000, 4, false, 42, false, false);
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
                "--ids" => Value() switch
                {
                    "v4" => settings with { TimeOrderedIds = false },
                    "v7" => settings with { TimeOrderedIds = true },
                    var other => throw new ArgumentException($"--ids must be v4 (random) or v7 (time-ordered), not '{other}'"),
                },
                "--skip-postgres" => settings with { SkipPostgres = true },
                "--skip-sqlite" => settings with { SkipSqlite = true },
                var unknown => throw new ArgumentException($"unknown option '{unknown}' (options: --events N --batch N --clients N " +
                                                           "--ids v4|v7 --seed N --skip-postgres --skip-sqlite)"),
            };
        }
        return settings;
    }
}
