using System.Text.RegularExpressions;

namespace IntegrationHealth.Benchmarks.Tests;

/// <summary>
/// CI runs the <c>proxy</c> benchmark small (1 s per wrk run; the real figures come from quiet-machine runs recorded in
/// the benchmarks README): wrk and nginx for real (tests/run.sh installs them), the engine's proxy and the bare YARP
/// forwarder in their child processes, the unified listing; checked by the lines it prints.
/// </summary>
public sealed partial class ProxyBenchmarkSmokeTests
{
    [Fact]
    public async Task Proxy_TinyRun_PrintsBothTablesWithEveryTargetAndListsEveryRecord()
    {
        var (exit, output) = await BenchmarkProcess.RunAsync(["proxy", "--duration", "1", "--records", "200", "--pages", "4", "--iterations", "1"],
            TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, $"proxy exited {exit}:\n{output}");
        Assert.DoesNotContain("!!", output, StringComparison.Ordinal);
        Assert.Contains("# proxy: the HubSpot double", output, StringComparison.Ordinal);
        Assert.Contains("# proxy: a fixed 1 KB JSON answer", output, StringComparison.Ordinal);
        foreach (var target in new[] { "direct", "engine proxy", "bare YARP forwarder", "nginx proxy_pass" })
        {
            // One row per table, each with a positive requests/s (wrk reached the target through it without errors).
            var rows = Row().Matches(output).Where(m => m.Groups["target"].Value == target).ToList();
            Assert.True(rows.Count == 2, $"expected two rows for {target}:\n{output}");
            Assert.All(rows, row => Assert.True(double.Parse(row.Groups["rps"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, row.Value));
        }
        Assert.Matches(@"targets: added p50 <= 0\.5 ms: -?[\d.]+ ms (met|NOT met); rps >= 70% of direct: \d+ % (met|NOT met)", output);
        Assert.Matches(@"listing median [\d.]+ ms: \d+ records/s; mapping alone [\d.]+ ms = \d+ % of the listing", output);
    }

    [GeneratedRegex(@"^\| (?<target>[a-zA-Z_ ]+?) \| [\d.]+ \| [\d.]+ \| -?[\d.]+ \| -?[\d.]+ \| (?<rps>\d+) \| \d+ % \|$", RegexOptions.Multiline)]
    private static partial Regex Row();
}
