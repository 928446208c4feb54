using System.Text.RegularExpressions;

namespace IntegrationHealth.Benchmarks.Tests;

/// <summary>
/// CI runs the <c>ingest-floor</c> benchmark small: the real verb as a child process, a few thousand rows per case on
/// both engines, checked by the lines it prints (every case's curve row and its summary), so a broken floor benchmark
/// is found before a quiet window is spent on it.
/// </summary>
public sealed partial class FloorBenchmarkSmokeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task IngestFloor_TinyRun_PrintsEveryCaseWithItsFigures()
    {
        var postgres = TestServers.PostgresAdmin is not null || TestServers.IsCi;
        string[] args = ["ingest-floor", "--rows", "20000", "--batch", "1000", "--connections", "2", .. postgres ? Array.Empty<string>() : ["--skip-postgres"]];

        var (exit, output) = await BenchmarkProcess.RunAsync(args, Timeout);

        Assert.True(exit == 0, $"ingest-floor exited {exit}:\n{output}");
        Assert.DoesNotContain("!!", output, StringComparison.Ordinal);
        var summaries = Summary().Matches(output).Select(m => m.Groups["label"].Value).ToList();
        Assert.Equal(4 + (postgres ? 3 : 0), summaries.Count);
        Assert.Equal(4, summaries.Count(l => l.StartsWith("SQLite", StringComparison.Ordinal)));
        // One row per case (20,000 rows is a partial million), every column a number. The resource column is bytes
        // written per row on SQLite, above zero in every case; on PostgreSQL it is the server's CPU per row, read in
        // 10 ms ticks, so only the three cases together are sure to be above zero.
        var rows = Row().Matches(output).ToList();
        Assert.Equal(summaries.Count, rows.Count);
        static double Resource(Match row) => double.Parse(row.Groups["resource"].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(rows.Where(r => r.Groups["store"].Value == "SQLite"), row => Assert.True(Resource(row) > 0, row.Value));
        if (postgres)
        {
            Assert.True(rows.Where(r => r.Groups["store"].Value == "PostgreSQL").Sum(Resource) > 0, "the PostgreSQL server's CPU was not read:\n" + output);
        }
    }

    [Fact]
    public async Task IngestFloor_UnknownSqliteCase_ExitsTwo()
    {
        var (exit, output) = await BenchmarkProcess.RunAsync(["ingest-floor", "--sqlite-cases", "key,fast"], Timeout);

        Assert.Equal(2, exit);
        Assert.Contains("--sqlite-cases takes some of noindex,key,key4k,bigcache", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(?<label>(PostgreSQL|SQLite)[^\n]*): 20,000 rows in [\d.]+ s, overall [\d,]+ rows/s$", RegexOptions.Multiline)]
    private static partial Regex Summary();

    [GeneratedRegex(@"^(?<store>PostgreSQL|SQLite)[^\n]*:\n\| million[^\n]*\n\|---[^\n]*\n\| 0\.02 \| [\d,]+ \| \d+ ms \| \d+ ms \| (?<resource>[\d,.]+) \| \d+ \|$", RegexOptions.Multiline)]
    private static partial Regex Row();
}
