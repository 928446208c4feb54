using System.Text.RegularExpressions;

namespace IntegrationHealth.Benchmarks.Tests;

/// <summary>
/// CI runs the <c>analytics</c> benchmark small (its PostgreSQL run at 10,000 accounts × 30 days is recorded by hand in
/// the benchmarks README): the real verb as a child process on a few accounts and days, checked by its three result
/// lines, so the concurrent history writers, the rollups, the score job and the at-risk list all ran.
/// </summary>
public sealed partial class AnalyticsBenchmarkSmokeTests
{
    [PostgresFact]
    public async Task Analytics_TinyRun_PrintsRollupScoreJobAndAtRiskFigures()
    {
        var (exit, output) = await BenchmarkProcess.RunAsync(
            ["analytics", "--accounts", "60", "--days", "3", "--events-per-day", "20", "--list-calls", "3"], TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, $"analytics exited {exit}:\n{output}");
        var rollup = Rollup().Match(output);
        Assert.True(rollup.Success, output);
        // Each timed hour reads that hour's events of 60 accounts (about 20 / 24 an account), not the history.
        Assert.InRange(int.Parse(rollup.Groups["early"].Value, System.Globalization.CultureInfo.InvariantCulture), 20, 200);
        Assert.InRange(int.Parse(rollup.Groups["late"].Value, System.Globalization.CultureInfo.InvariantCulture), 20, 200);
        Assert.Matches(@"analytics: daily score job, 60 accounts with the \w+: [\d.]+ s", output);
        Assert.Matches(@"analytics: at-risk list \(limit 50\) p50 [\d.]+ ms over 3 calls", output);
        Assert.Contains("2 of 3 days of telemetry written", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"analytics: 60 accounts × 3 days; incremental rollup of one hour: after 1 day \d+ ms \((?<early>\d+) events\), after 3 days \d+ ms \((?<late>\d+) events\), ratio [\d.]+")]
    private static partial Regex Rollup();
}
