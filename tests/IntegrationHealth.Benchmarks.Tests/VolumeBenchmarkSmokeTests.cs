using System.Text.RegularExpressions;

namespace IntegrationHealth.Benchmarks.Tests;

/// <summary>
/// CI runs the <c>ingest-volume</c> benchmark small (the volume runs take hours and are recorded by hand in the
/// benchmarks README): the real verb, as a child process, at a few thousand events on both stores, checked by the lines
/// it prints, so a broken benchmark is found before someone's quiet window is spent on it.
/// </summary>
public sealed partial class VolumeBenchmarkSmokeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task IngestVolume_TinyRun_PrintsEveryFigureAndCountsExactly()
    {
        // PostgreSQL when there is one (always in CI, where TestServers requires it); SQLite always.
        var postgres = TestServers.PostgresAdmin is not null || TestServers.IsCi;
        string[] args = ["ingest-volume", "--events", "3000", "--batch", "200", "--ids", "v7", .. postgres ? Array.Empty<string>() : ["--skip-postgres"]];

        var (exit, output) = await RunAsync(args);

        Assert.True(exit == 0, $"ingest-volume exited {exit}:\n{output}");
        Assert.DoesNotContain("!!", output, StringComparison.Ordinal);
        var stores = postgres ? new[] { "PostgreSQL", "SQLite" } : ["SQLite"];
        foreach (var store in stores)
        {
            // Every event stored once: 3,000 generated, more sent (replays), the difference counted as duplicates.
            var summary = Summary().Matches(output).SingleOrDefault(m => m.Groups["store"].Value == store);
            Assert.True(summary is not null, $"no summary line for {store}:\n{output}");
            Assert.Equal("3,000", summary.Groups["accepted"].Value);
            Assert.Equal("3,000", summary.Groups["stored"].Value);
            Assert.True(Number(summary.Groups["sent"].Value) > 3_000, $"no batch was replayed:\n{summary.Value}");
            Assert.True(Number(summary.Groups["rss"].Value) > 20, $"the API's resident memory was not read:\n{summary.Value}");
        }

        // One curve row per HTTP run (a partial million) with every column filled: events/s, p50, p95, API CPU per event,
        // RSS with its peak, where the memory is (GC heap/committed, SQLite heap, malloc used+free), database size per million.
        var rows = HttpRow().Matches(output);
        Assert.Equal(stores.Length, rows.Count);
        Assert.All(rows, row => Assert.True(Number(row.Groups["rss"].Value) > 20 && Number(row.Groups["peak"].Value) >= Number(row.Groups["rss"].Value), row.Value));
        Assert.All(rows, row => Assert.True(Number(row.Groups["committed"].Value) > 0, $"the GC's committed memory was not read:\n{row.Value}"));
        if (OperatingSystem.IsLinux())
        {
            Assert.All(rows, row => Assert.True(row.Groups["used"].Value != "–" && Number(row.Groups["used"].Value) > 0, $"malloc's figures were not read:\n{row.Value}"));
        }

        // SQLite's heap is SQLite's alone: a figure on the SQLite row, a dash on PostgreSQL's.
        Assert.Single(rows, row => row.Groups["sqlite"].Value != "–");
        if (postgres)
        {
            Assert.Contains("PostgreSQL raw COPY: 3,000 rows copied", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task IngestVolume_UnknownOption_ExitsTwoNamingTheOptions()
    {
        var (exit, output) = await RunAsync(["ingest-volume", "--events", "12"]);

        Assert.Equal(2, exit);
        Assert.Contains("--events must be an integer between 1000", output, StringComparison.Ordinal);
    }

    private static double Number(string text) => double.Parse(text.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<store>PostgreSQL|SQLite): (?<accepted>[\d,]+) accepted of (?<sent>[\d,]+) sent \([\d,]+ duplicates\), (?<stored>[\d,]+) rows stored, .*API peak RSS (?<rss>[\d,]+) MB", RegexOptions.Multiline)]
    private static partial Regex Summary();

    [GeneratedRegex(@"^\| 0\.00 \| [\d,]+ \| [\d,]+ ms \| [\d,]+ ms \| [\d,.]+ \| (?<rss>[\d,]+) \((?<peak>[\d,]+)\) \| " +
                    @"(?<gc>[\d,]+)/(?<committed>[\d,]+) · (?<sqlite>[\d,]+|–) · (?<used>[\d,]+|–)\+(?<free>[\d,]+|–) \| [\d,]+ \|$", RegexOptions.Multiline)]
    private static partial Regex HttpRow();

    private static Task<(int Exit, string Output)> RunAsync(IReadOnlyList<string> args) => BenchmarkProcess.RunAsync(args, Timeout);
}
