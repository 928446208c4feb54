using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Jsonata.Tests.Differential;
using Xunit.Abstractions;

namespace IntegrationHealth.Jsonata.Tests.Formatting;

/// <summary>
/// Random formatting calls (<see cref="FormattingCallGenerator"/>) evaluated by jsonata-js 2.2.2 under node and by
/// our entry points; every outcome (text, number, undefined, error code) must agree. Node runs with TZ=UTC because
/// jsonata-js reads an ISO date-time without offset in the host's zone, where ours always uses UTC.
/// </summary>
public sealed class FormattingDifferentialTests(ITestOutputHelper output)
{
    // Env JSONATA_FORMAT_DIFF_SEED / JSONATA_FORMAT_DIFF_COUNT override these to explore further.
    private static readonly int Seed = Setting("JSONATA_FORMAT_DIFF_SEED", 20250611);

    private static readonly int Count = Setting("JSONATA_FORMAT_DIFF_COUNT", 3000);

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    [ReferenceFact]
    public void Evaluate_RandomCalls_AgreeWithJsonataJs()
    {
        var expressions = new FormattingCallGenerator(Seed).Generate(Count);
        var reference = RunReference(expressions);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var compared = 0;
        var referenceCrashes = 0;
        var mismatches = new List<string>();
        for (var i = 0; i < expressions.Count; i++)
        {
            var expected = reference[i];
            if (expected["code"]?.GetValue<string>() == "JS_ERROR")
            {
                // jsonata-js itself crashed (e.g. stack overflow on huge roman numerals): nothing to agree with.
                if (++referenceCrashes <= 10)
                {
                    output.WriteLine($"jsonata-js crashed on {expressions[i]}; ours: {Describe(LiteralCallInterpreter.Compile(expressions[i], now)!).ToJsonString()}");
                }

                continue;
            }

            var run = LiteralCallInterpreter.Compile(expressions[i], now)
                ?? throw new InvalidOperationException("generated an unsupported expression: " + expressions[i]);
            var actual = Describe(run);
            compared++;
            if (!Agree(expected, actual))
            {
                mismatches.Add($"{expressions[i]}{Environment.NewLine}    jsonata-js: {expected.ToJsonString()}{Environment.NewLine}    ours:       {actual.ToJsonString()}");
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {Seed}: {expressions.Count} calls, {compared} compared, {referenceCrashes} crashed jsonata-js, {mismatches.Count} mismatches"));
        foreach (var mismatch in mismatches.Take(40))
        {
            output.WriteLine(mismatch);
        }

        Assert.Empty(mismatches);
    }

    private static JsonObject Describe(Func<object?> run)
    {
        try
        {
            return run() switch
            {
                string s => new JsonObject { ["value"] = s },
                double d => new JsonObject { ["value"] = d },
                bool b => new JsonObject { ["value"] = b },
                var v when v == LiteralCallInterpreter.Undefined => new JsonObject { ["undefined"] = true },
                var v => new JsonObject { ["unexpected"] = v?.ToString() },
            };
        }
        catch (JsonataException e)
        {
            return new JsonObject { ["code"] = e.Code, ["message"] = e.Message };
        }
    }

    private static bool Agree(JsonNode expected, JsonObject actual)
    {
        if (expected["code"] is { } code)
        {
            return actual["code"]?.GetValue<string>() == code.GetValue<string>();
        }

        // jsonata-js returns NaN for unparsable input, which JSON carries as null; ours reports undefined.
        if (expected["undefined"] is not null || (expected.AsObject().ContainsKey("value") && expected["value"] is null))
        {
            return actual["undefined"] is not null;
        }

        var value = expected["value"]!;
        var ours = actual["value"];
        return value.GetValueKind() switch
        {
            JsonValueKind.String => ours?.GetValueKind() == JsonValueKind.String && ours.GetValue<string>() == value.GetValue<string>(),
            JsonValueKind.Number => ours?.GetValueKind() == JsonValueKind.Number && ours.GetValue<double>() == value.GetValue<double>(),
            _ => JsonNode.DeepEquals(value, ours),
        };
    }

    private static IReadOnlyList<JsonNode> RunReference(IReadOnlyList<string> expressions)
    {
        var directory = Path.Combine(Path.GetTempPath(), "integrationhealth-formatting-diff", Seed.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        var batchPath = Path.Combine(directory, "batch.json");
        var resultsPath = Path.Combine(directory, "results.json");
        var batch = new JsonObject
        {
            ["datasets"] = new JsonArray(new JsonObject()),
            ["cases"] = new JsonArray(expressions.Select(e => (JsonNode)new JsonObject { ["expr"] = e, ["data"] = 0 }).ToArray()),
        };
        File.WriteAllText(batchPath, batch.ToJsonString());
        File.Delete(resultsPath);

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ReferenceJsonata.Directory!,
        };
        start.ArgumentList.Add(Path.Combine(ReferenceJsonata.Directory!, "run-batch.js"));
        start.ArgumentList.Add(batchPath);
        start.ArgumentList.Add(resultsPath);
        start.Environment["TZ"] = "UTC";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("node run-batch.js did not finish within 2 minutes");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node run-batch.js exited with {process.ExitCode}: {stdout.Result}{stderr.Result}");
        }

        var results = JsonNode.Parse(File.ReadAllText(resultsPath))!.AsArray();
        Assert.Equal(expressions.Count, results.Count);
        return results.Select(r => r!).ToList();
    }
}
