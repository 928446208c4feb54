using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>One case on which our engine and jsonata-js disagree.</summary>
public sealed record Mismatch(DifferentialCase Case, Outcome Reference, Outcome Ours, string EntryPoint, string Difference)
{
    public override string ToString() =>
        $"#{Case.Id} [{Case.Family}] on {Case.InputSummary}{Environment.NewLine}" +
        $"    expression: {Case.Expression}{Environment.NewLine}" +
        $"    reference:  {Reference}{Environment.NewLine}" +
        $"    ours ({EntryPoint}): {Ours}{Environment.NewLine}" +
        $"    difference: {Difference}";
}

/// <summary>
/// One differential run, shared by every test of <see cref="JsonataDifferentialTests"/>: generates the payloads and
/// cases from the seed, evaluates them all with jsonata-js in one node process and with our engine through every
/// input entry point (JsonElement, JsonNode, UTF-8 bytes, prepared input), and keeps every mismatch. A full report (plus the batch file, to replay the reference by
/// hand) is written to <see cref="ReportPath"/>.
/// </summary>
public sealed class DifferentialRun
{
    /// <summary>Default seed; env <c>JSONATA_DIFF_SEED</c> overrides it.</summary>
    public const int DefaultSeed = 20261123;

    /// <summary>Default number of cases (120 per family, 3,480 in all); env <c>JSONATA_DIFF_COUNT</c> overrides it.</summary>
    public static int DefaultCount { get; } = ExpressionGenerator.FamilyNames.Count * 120;

    /// <summary>How many payloads the cases are spread over.</summary>
    public const int PayloadCount = 40;

    private readonly Lazy<Results> results;

    public DifferentialRun() => results = new Lazy<Results>(Execute);

    public int Seed { get; } = ReadSetting("JSONATA_DIFF_SEED", DefaultSeed);

    public int Count { get; } = ReadSetting("JSONATA_DIFF_COUNT", DefaultCount);

    public string ReportPath => Path.Combine(WorkDirectory, "jsonata-diff-report.txt");

    private string WorkDirectory => Path.Combine(AppContext.BaseDirectory, "jsonata-diff", Seed.ToString(CultureInfo.InvariantCulture));

    public IReadOnlyList<DifferentialCase> Cases => results.Value.Cases;

    public IReadOnlyList<Outcome> ReferenceOutcomes => results.Value.Reference;

    public IReadOnlyList<Mismatch> Mismatches => results.Value.Mismatches;

    /// <summary>Generates the run's payloads and cases (deterministic for a seed; no evaluation).</summary>
    public static (IReadOnlyList<Payload> Payloads, IReadOnlyList<DifferentialCase> Cases) Generate(int seed, int count)
    {
        var random = new Random(seed);
        var payloads = new PayloadGenerator(random).Generate(PayloadCount);
        var cases = new ExpressionGenerator(random, payloads).Generate(payloads, count);
        return (payloads, cases);
    }

    private Results Execute()
    {
        var (payloads, cases) = Generate(Seed, Count);
        var reference = ReferenceJsonata.Evaluate(cases, payloads, WorkDirectory);

        var payloadTexts = payloads.Select(p => p.Document.ToJsonString()).ToArray();
        var payloadUtf8 = payloadTexts.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        var payloadElements = payloadTexts.Select(text => JsonDocument.Parse(text).RootElement.Clone()).ToArray();
        var payloadsPrepared = payloadElements.Select(JsonataInput.From).ToArray();
        var mismatches = new List<Mismatch>();
        foreach (var c in cases)
        {
            var expected = reference[c.Id];

            // jsonata-js's clock for this case: a picture without a date takes today's, and a sweep may cross midnight
            // between the node run and ours.
            var options = expected.StartedAt is { } at
                ? new JsonataOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(at)) }
                : null;
            var fromElement = OurJsonata.EvaluateElement(c, payloadElements[c.Payload.Index], options);
            if (!Outcome.Agree(expected, fromElement, out var difference, c.Expression))
            {
                mismatches.Add(new Mismatch(c, expected, fromElement, "JsonElement input", difference));
                continue;
            }

            // Every other entry point must agree too: the lazy views over JsonNode and over bytes, and the input
            // converted once up front (a separate conversion, shared by all cases on a payload).
            foreach (var (entryPoint, outcome) in new (string, Func<Outcome>)[]
                     {
                         ("JsonNode input", () => OurJsonata.EvaluateNode(c, payloadTexts[c.Payload.Index], options)),
                         ("UTF-8 input", () => OurJsonata.EvaluateUtf8(c, payloadUtf8[c.Payload.Index], options)),
                         ("prepared input", () => OurJsonata.EvaluatePrepared(c, payloadsPrepared[c.Payload.Index], options)),
                     })
            {
                var ours = outcome();
                if (!Outcome.Agree(expected, ours, out difference, c.Expression))
                {
                    mismatches.Add(new Mismatch(c, expected, ours, entryPoint, difference));
                    break;
                }
            }
        }

        var run = new Results(cases, reference, mismatches);
        WriteReport(run, payloads);
        return run;
    }

    private void WriteReport(Results run, IReadOnlyList<Payload> payloads)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"JSONata differential run: seed {Seed}, {run.Cases.Count} cases, {run.Mismatches.Count} mismatches");
        report.AppendLine("Replay the reference: node tests/reference/run-batch.js jsonata-diff-batch.json out.json (in this directory)");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Cases where jsonata-js itself crashed (only checked for ours not crashing): {run.Reference.Count(o => o.IsReferenceCrash)}");
        report.AppendLine();
        report.AppendLine("Mismatches per family:");
        foreach (var family in ExpressionGenerator.FamilyNames)
        {
            var total = run.Cases.Count(c => c.Family == family);
            var failed = run.Mismatches.Count(m => m.Case.Family == family);
            report.AppendLine(CultureInfo.InvariantCulture, $"  {family,-20} {failed,5} / {total}");
        }

        report.AppendLine();
        report.AppendLine("Most common kinds of difference:");
        foreach (var group in run.Mismatches.GroupBy(Categorize).OrderByDescending(g => g.Count()).Take(40))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  {group.Count(),5}  {group.Key}");
        }

        report.AppendLine();
        foreach (var mismatch in run.Mismatches) report.AppendLine(mismatch.ToString());
        report.AppendLine();
        report.AppendLine("Payloads:");
        foreach (var payload in payloads) report.AppendLine(CultureInfo.InvariantCulture, $"  {payload.Summary}: {Outcome.Readable(JsonSerializer.SerializeToElement(payload.Document))}");
        File.WriteAllText(ReportPath, report.ToString());
    }

    /// <summary>A coarse label for grouping mismatches: which side produced what, and for crashes and errors, which code or exception.</summary>
    public static string Categorize(Mismatch m)
    {
        static string Side(Outcome o) => o.Kind switch
        {
            OutcomeKind.Error => $"error {o.Code}",
            OutcomeKind.Crash => "crash " + FirstWords(o.Message),
            _ => o.Kind.ToString().ToLowerInvariant(),
        };
        return $"reference {Side(m.Reference)} / ours {Side(m.Ours)}";
    }

    private static string FirstWords(string? message)
    {
        var text = message ?? "";
        var cut = text.IndexOfAny(['\n', '.', '(']);
        text = cut > 0 ? text[..cut] : text;
        return text.Length <= 90 ? text : text[..90];
    }

    private static int ReadSetting(string name, int fallback)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"{name} must be a positive integer, got '{text}'");
    }

    private sealed record Results(IReadOnlyList<DifferentialCase> Cases, IReadOnlyList<Outcome> Reference, IReadOnlyList<Mismatch> Mismatches);
}
