using System.Text;
using Xunit.Abstractions;

namespace IntegrationHealth.Jsonata.Tests.Conformance;

/// <summary>Runs the whole suite once and reports the pass rate overall and per group (also written to conformance-report.txt).</summary>
public sealed class ConformanceReportTests(ITestOutputHelper output)
{
    /// <summary>Groups exempt from the 100% target: picture-string date and number formatting.</summary>
    private static readonly HashSet<string> FormattingGroups = new(StringComparer.Ordinal)
    {
        "function-formatNumber", "function-formatInteger", "function-parseInteger", "function-fromMillis", "function-tomillis",
        "function-toMillis",
    };

    [Fact]
    public void Suite_AllCases_PassRateMeetsTargets()
    {
        if (!ConformanceSuite.Exists)
        {
            output.WriteLine(ConformanceSuite.MissingMessage);
            return;
        }

        var failures = new List<(ConformanceCase Case, string Reason)>();
        foreach (var testCase in ConformanceSuite.Cases.Values)
        {
            var failure = testCase.Run();
            if (failure is not null)
            {
                failures.Add((testCase, failure));
            }
        }

        var total = ConformanceSuite.Cases.Count;
        var passed = total - failures.Count;
        var rate = 100.0 * passed / total;
        var report = new StringBuilder();
        report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"JSONata conformance: {passed}/{total} passed ({rate:F2}%)");
        foreach (var group in failures.GroupBy(f => f.Case.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {group.Key}: {group.Count()} failing");
            foreach (var (testCase, reason) in group)
            {
                var line = reason.Replace('\n', ' ');
                report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"    {testCase.Id}: {(line.Length > 300 ? line[..300] : line)}");
            }
        }

        var text = report.ToString();
        output.WriteLine(text);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "conformance-report.txt"), text);

        var strictGroupFailures = failures.Where(f => !FormattingGroups.Contains(f.Case.Group)).Select(f => f.Case.Id).ToList();
        Assert.True(rate >= 98.0, $"pass rate {rate:F2}% is below 98%\n{text}");
        Assert.True(strictGroupFailures.Count == 0, $"groups other than formatting must pass 100%: {string.Join(", ", strictGroupFailures)}");
    }
}
