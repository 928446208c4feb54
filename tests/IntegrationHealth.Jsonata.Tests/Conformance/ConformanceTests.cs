using Xunit.Abstractions;

namespace IntegrationHealth.Jsonata.Tests.Conformance;

/// <summary>A theory that is skipped as a whole, with a clear message, when the conformance suite is absent.</summary>
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute()
    {
        if (!ConformanceSuite.Exists)
        {
            Skip = ConformanceSuite.MissingMessage;
        }
    }
}

/// <summary>One xUnit case per conformance case (1492), plus an aggregate pass-rate report.</summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        if (!ConformanceSuite.Exists)
        {
            data.Add(ConformanceSuite.MissingSuiteId);
            return data;
        }

        foreach (var id in ConformanceSuite.Cases.Keys)
        {
            data.Add(id);
        }

        return data;
    }

    [ConformanceTheory]
    [MemberData(nameof(CaseIds))]
    public void Case_EvaluatedAgainstReference_MatchesExpectedOutcome(string caseId)
    {
        var testCase = ConformanceSuite.Cases[caseId];
        var failure = testCase.Run();
        if (ConformanceSuite.KnownFailures.TryGetValue(caseId, out var reason))
        {
            Assert.True(failure is not null, $"{caseId} now passes: remove it from known-failures.txt ({reason})");
            output.WriteLine($"known failure ({reason}): {failure}");
            return;
        }

        Assert.True(failure is null, $"{caseId}: {testCase.Expression}\n{failure}");
    }
}
