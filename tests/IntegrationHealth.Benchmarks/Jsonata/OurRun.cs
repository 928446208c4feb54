using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IntegrationHealth.Jsonata;

namespace IntegrationHealth.Benchmarks.Jsonata;

/// <summary>
/// Our engine's side of the benchmark. Timed: evaluation only, from an already-parsed <see cref="JsonElement"/>
/// (the form the integration engine holds a response in), including building the result <c>JsonNode</c>; not timed:
/// compiling (done once before warm-up, measured separately), parsing the input, serializing results for comparison.
/// </summary>
internal static class OurRun
{
    public static double CompileMicros(string expression, int repeats)
    {
        for (var i = 0; i < repeats; i++) JsonataExpression.Compile(expression);
        var micros = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            JsonataExpression.Compile(expression);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return Median(micros);
    }

    public static WorkloadMeasurement Measure(JsonataWorkload workload, JsonElement input, BenchmarkSettings settings)
    {
        try
        {
            var compiled = JsonataExpression.Compile(workload.Expression);
            var records = workload.PerRecord ? input.EnumerateArray().ToArray() : [];
            var results = new JsonataResult[workload.PerRecord ? records.Length : 1];

            void RunOnce()
            {
                if (!workload.PerRecord)
                {
                    results[0] = compiled.Evaluate(input);
                    return;
                }

                for (var i = 0; i < records.Length; i++) results[i] = compiled.Evaluate(records[i]);
            }

            for (var i = 0; i < settings.Warmup; i++) RunOnce();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var timings = new double[settings.Iterations];
            for (var i = 0; i < timings.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                RunOnce();
                timings[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            return new WorkloadMeasurement(workload.Name, Median(timings), timings.Min(), Serialize(results, workload.PerRecord), Error: null);
        }
        catch (Exception e)
        {
            // Ours failing is a result to print, not a reason to lose the reference figures.
            return new WorkloadMeasurement(workload.Name, double.NaN, double.NaN, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Per-record results become one JSON array (undefined as null, as JSON.stringify does in node).</summary>
    private static string? Serialize(JsonataResult[] results, bool perRecord)
    {
        if (!perRecord) return results[0].ToJsonString();
        var text = new StringBuilder("[");
        for (var i = 0; i < results.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(results[i].ToJsonString() ?? "null");
        }

        return text.Append(']').ToString();
    }

    public static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
