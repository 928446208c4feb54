using System.Collections.Concurrent;
using System.Text.Json;

namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>
/// "Compile once, evaluate many times, from any number of threads": the generated cases, each compiled once and
/// evaluated concurrently by several threads over shared inputs, must give exactly what one thread gives.
/// </summary>
public sealed class ConcurrentEvaluationTests
{
    [Fact]
    public void Evaluate_SharedCompiledExpressionsOnManyThreads_MatchSingleThreadedResults()
    {
        var (payloads, cases) = DifferentialRun.Generate(seed: 99, count: 27 * 24);
        var inputs = payloads.Select(p => JsonDocument.Parse(p.Document.ToJsonString()).RootElement.Clone()).ToArray();
        var prepared = inputs.Select(JsonataInput.From).ToArray();
        var compiled = new List<(DifferentialCase Case, JsonataExpression Expression, Outcome Expected)>();
        foreach (var c in cases)
        {
            JsonataExpression expression;
            try
            {
                expression = JsonataExpression.Compile(c.Expression);
            }
            catch (JsonataException)
            {
                continue; // syntax errors have nothing to share between threads
            }

            compiled.Add((c, expression, Evaluate(expression, c, inputs, prepared: null)));
        }

        var differences = new ConcurrentBag<string>();
        Parallel.For(0, compiled.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var (c, expression, expected) = compiled[i % compiled.Count];

            // Half of the runs share one converted input per payload between threads (the cached path), the other half
            // read the shared JsonElement lazily, each evaluation through its own views.
            var actual = Evaluate(expression, c, inputs, i % 2 == 0 ? prepared : null);
            if (!Outcome.Agree(expected, actual, out var difference) && !(expected.Kind == OutcomeKind.Crash && actual.Kind == OutcomeKind.Crash))
            {
                differences.Add($"#{c.Id} {c.Expression}: single thread {expected}, concurrent {actual} ({difference})");
            }
        });

        Assert.True(compiled.Count > cases.Count / 2, $"only {compiled.Count} of {cases.Count} cases compiled");
        Assert.True(differences.IsEmpty, string.Join(Environment.NewLine, differences.Distinct()));
    }

    private static Outcome Evaluate(JsonataExpression expression, DifferentialCase c, JsonElement[] inputs, JsonataInput[]? prepared) =>
        OurJsonata.Capture(() => c.Input switch
        {
            CaseInput.None => expression.EvaluateWithoutInput(HostFunctions.For(c)),
            CaseInput.JsonNull => expression.Evaluate((System.Text.Json.Nodes.JsonNode?)null, HostFunctions.For(c)),
            _ when prepared is not null => expression.EvaluateInput(prepared[c.Payload.Index], HostFunctions.For(c)),
            _ => expression.Evaluate(inputs[c.Payload.Index], HostFunctions.For(c)),
        });
}
