using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace IntegrationHealth.Jsonata.Tests.Formatting;

/// <summary>
/// The official jsonata-js conformance cases that exercise <c>$formatNumber</c>, <c>$formatInteger</c>,
/// <c>$parseInteger</c>, <c>$fromMillis</c> and <c>$toMillis</c>, run directly against the formatting entry points
/// through <see cref="LiteralCallInterpreter"/>. Cases needing the full evaluator (paths, <c>$now()</c>, other
/// functions) are counted and left to the evaluator's own suite run.
/// </summary>
public sealed class FormattingSuiteTests(ITestOutputHelper output)
{
    // Fixed "now" for pictures that leave leading fields unspecified; no runnable case depends on it.
    private const long NowMillis = 1_700_000_000_000;

    private const string SuiteMissing = "(suite not found: tests/IntegrationHealth.Jsonata.Tests/Conformance/suite is missing or JSONATA_SUITE is wrong)";

    public static TheoryData<string> RunnableCaseIds()
    {
        var data = new TheoryData<string>();
        var runnable = FormattingSuite.Cases.Where(c => LiteralCallInterpreter.Compile(c.Expression, NowMillis) is not null).ToList();
        if (runnable.Count == 0)
        {
            data.Add(SuiteMissing);
        }

        foreach (var suiteCase in runnable)
        {
            data.Add(suiteCase.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RunnableCaseIds))]
    public void Run_SuiteCase_MatchesExpectedOutcome(string id)
    {
        if (id == SuiteMissing)
        {
            output.WriteLine("SKIPPED: " + SuiteMissing);
            return;
        }

        var suiteCase = FormattingSuite.Cases.Single(c => c.Id == id);
        var (passed, detail) = Check(suiteCase);
        Assert.True(passed, $"{id}: {suiteCase.Expression}{Environment.NewLine}{detail}");
    }

    [Fact]
    public void Run_AllRunnableSuiteCases_ReportsCountsAndAllPass()
    {
        if (FormattingSuite.Directory is null)
        {
            output.WriteLine("SKIPPED: " + SuiteMissing);
            return;
        }

        var cases = FormattingSuite.Cases;
        var runnable = cases.Where(c => LiteralCallInterpreter.Compile(c.Expression, NowMillis) is not null).ToList();
        var failures = runnable.Select(c => (Case: c, Result: Check(c))).Where(r => !r.Result.Passed).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"formatting cases in suite: {cases.Count}; runnable without the evaluator: {runnable.Count}; passed: {runnable.Count - failures.Count}"));
        foreach (var skipped in cases.Except(runnable))
        {
            output.WriteLine("needs evaluator: " + skipped.Id + "  " + skipped.Expression);
        }

        foreach (var (suiteCase, (_, detail)) in failures)
        {
            output.WriteLine("FAILED " + suiteCase.Id + "  " + suiteCase.Expression + "  " + detail);
        }

        // The suite's formatting groups hold ~290 such cases; far fewer would mean the extractor broke.
        Assert.True(runnable.Count >= 250, $"only {runnable.Count} runnable cases found");
        Assert.Empty(failures);
    }

    private static (bool Passed, string Detail) Check(SuiteCase suiteCase)
    {
        var run = LiteralCallInterpreter.Compile(suiteCase.Expression, NowMillis)!;
        object? actual;
        try
        {
            actual = run();
        }
        catch (JsonataException e)
        {
            return suiteCase.ExpectedCode == e.Code
                ? (true, "")
                : (false, $"threw {e.Code} ({e.Message}); expected {Describe(suiteCase)}");
        }

        if (suiteCase.ExpectedCode is { } code)
        {
            return (false, $"returned {actual}; expected error {code}");
        }

        if (suiteCase.ExpectsUndefined)
        {
            return (actual == LiteralCallInterpreter.Undefined, $"returned {actual}; expected undefined");
        }

        var expected = suiteCase.ExpectedResult!.Value;
        var passed = expected.ValueKind switch
        {
            JsonValueKind.String => actual is string s && s == expected.GetString(),
            JsonValueKind.Number => actual is double d && d == expected.GetDouble(),
            JsonValueKind.True => actual is true,
            JsonValueKind.False => actual is false,
            _ => false,
        };
        return (passed, $"returned {Format(actual)}; expected {expected.GetRawText()}");
    }

    private static string Describe(SuiteCase suiteCase) =>
        suiteCase.ExpectedCode is { } code ? "error " + code
        : suiteCase.ExpectsUndefined ? "undefined"
        : suiteCase.ExpectedResult!.Value.GetRawText();

    private static string Format(object? value) => value switch
    {
        string s => JsonSerializer.Serialize(s),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        null => "null",
        _ => value.ToString() ?? "",
    };
}
