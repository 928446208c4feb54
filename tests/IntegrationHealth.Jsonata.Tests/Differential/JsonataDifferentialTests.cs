using System.Text;

namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>
/// Differential tests: thousands of generated expression/payload pairs evaluated by our engine and by jsonata-js
/// (tests/reference, one node process per run), compared result for result. One test per expression family lists
/// every mismatch of that family; the full report is written next to the test assembly.
/// Seed: env <c>JSONATA_DIFF_SEED</c> (default <see cref="DifferentialRun.DefaultSeed"/>); count: env <c>JSONATA_DIFF_COUNT</c>.
/// </summary>
public sealed class JsonataDifferentialTests(DifferentialRun run) : IClassFixture<DifferentialRun>
{
    public static TheoryData<string> Families => new(ExpressionGenerator.FamilyNames);

    [ReferenceTheory]
    [MemberData(nameof(Families))]
    public void Evaluate_GeneratedFamily_MatchesJsonataJs(string family)
    {
        FailWhenReferenceMissing();
        var cases = run.Cases.Count(c => c.Family == family);
        var mismatches = run.Mismatches.Where(m => m.Case.Family == family).ToArray();
        if (mismatches.Length == 0) return;

        var message = new StringBuilder()
            .AppendLine($"{mismatches.Length} of {cases} '{family}' cases differ from jsonata-js (seed {run.Seed}; full report: {run.ReportPath})");
        foreach (var mismatch in mismatches) message.AppendLine(mismatch.ToString());
        Assert.Fail(message.ToString());
    }

    [ReferenceFact]
    public void Generate_ConfiguredRun_ExercisesValuesUndefinedAndErrorsInEveryFamily()
    {
        FailWhenReferenceMissing();
        Assert.True(run.Cases.Count >= Math.Min(2000, run.Count), $"only {run.Cases.Count} cases generated");
        var problems = new List<string>();
        foreach (var family in ExpressionGenerator.FamilyNames)
        {
            var outcomes = run.Cases.Where(c => c.Family == family).Select(c => run.ReferenceOutcomes[c.Id]).ToArray();
            var values = outcomes.Count(o => o.Kind == OutcomeKind.Value) / (double)outcomes.Length;
            var errors = outcomes.Count(o => o.Kind == OutcomeKind.Error) / (double)outcomes.Length;
            // A generator that mostly produces errors or nothing tests little: every family must yield values at least a third
            // of the time (filters legitimately often match nothing), the errors family must mostly error, and the
            // awkward-arguments family must show both outcomes.
            var healthy = family switch
            {
                "errors" => errors >= 0.6,
                "arguments" => values >= 0.15 && errors >= 0.3,
                _ => values >= 0.33,
            };
            if (!healthy)
            {
                problems.Add($"{family}: {values:P0} values, {errors:P0} errors in the reference");
            }
        }

        // jsonata-js crashing (a JavaScript exception) tests little beyond "ours does not crash"; the generator avoids
        // the known triggers, so more than a handful means it drifted into platform accidents.
        var referenceCrashes = run.ReferenceOutcomes.Count(o => o.IsReferenceCrash || o.Kind == OutcomeKind.Crash);
        if (referenceCrashes > run.Cases.Count / 500) problems.Add($"{referenceCrashes} cases crashed jsonata-js itself (see the report)");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>Under CI a missing reference is a failure, not a skip: the attribute let the test run, so fail here.</summary>
    private static void FailWhenReferenceMissing()
    {
        if (ReferenceJsonata.Problem is { } problem) Assert.Fail($"reference JSONata unavailable (CI=true): {problem}");
    }
}
