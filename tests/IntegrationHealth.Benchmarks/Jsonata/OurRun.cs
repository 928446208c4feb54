using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IntegrationHealth.Jsonata;

namespace IntegrationHealth.Benchmarks.Jsonata;

/// <summary>
/// Our engine's side of the benchmark: cached workloads over inputs converted once before timing, one-shot workloads
/// from UTF-8 bytes (parse timed) and cached. Never timed: compiling (done once before warm-up, measured separately),
/// serializing results for the comparison.
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

    /// <summary>A cached workload: the input converted once with <see cref="JsonataInput.From(JsonElement)"/> before
    /// timing (per record for per-record workloads), as jsonata-js works on an already-parsed object; timed:
    /// <see cref="JsonataExpression.EvaluateInput"/>.</summary>
    public static WorkloadMeasurement Measure(JsonataWorkload workload, JsonElement input, BenchmarkSettings settings)
    {
        var prepared = workload.PerRecord ? input.EnumerateArray().Select(JsonataInput.From).ToArray() : [JsonataInput.From(input)];
        return Time(workload.Name, workload.Expression, workload.PerRecord, settings, (compiled, results) =>
        {
            for (var i = 0; i < prepared.Length; i++) results[i] = compiled.EvaluateInput(prepared[i]);
        }, prepared.Length);
    }

    /// <summary>The same over the already-parsed element read lazily (<see cref="JsonataExpression.Evaluate(JsonElement, JsonataBindings?, JsonataOptions?)"/>).</summary>
    public static WorkloadMeasurement MeasureLazy(JsonataWorkload workload, JsonElement input, BenchmarkSettings settings)
    {
        var elements = workload.PerRecord ? input.EnumerateArray().ToArray() : [input];
        return Time(workload.Name, workload.Expression, workload.PerRecord, settings, (compiled, results) =>
        {
            for (var i = 0; i < elements.Length; i++) results[i] = compiled.Evaluate(elements[i]);
        }, elements.Length);
    }

    /// <summary>
    /// A one-shot workload twice: one-shot (timed: <see cref="JsonataExpression.EvaluateUtf8"/> on each document's
    /// UTF-8 bytes, so parsing, the lazy reads and the result) and cached (each document converted once with
    /// <see cref="JsonataInput.From(JsonElement)"/> before timing; timed: <see cref="JsonataExpression.EvaluateInput"/>).
    /// </summary>
    public static (WorkloadMeasurement OneShot, WorkloadMeasurement Cached) MeasureOneShot(OneShotWorkload workload, BenchmarkSettings settings)
    {
        var utf8 = workload.Documents.Select(Encoding.UTF8.GetBytes).ToArray();
        var perRecord = utf8.Length > 1;
        var oneShot = Time(workload.Name, workload.Expression, perRecord, settings, (compiled, results) =>
        {
            for (var i = 0; i < utf8.Length; i++) results[i] = compiled.EvaluateUtf8(utf8[i]);
        }, utf8.Length);

        JsonataInput[] prepared;
        try
        {
            prepared = utf8.Select(bytes =>
            {
                using var document = JsonDocument.Parse(bytes);
                return JsonataInput.From(document.RootElement);
            }).ToArray();
        }
        catch (JsonException e)
        {
            return (oneShot, new WorkloadMeasurement(workload.Name, double.NaN, double.NaN, null, $"{e.GetType().Name}: {e.Message}"));
        }

        var cached = Time(workload.Name, workload.Expression, perRecord, settings, (compiled, results) =>
        {
            for (var i = 0; i < prepared.Length; i++) results[i] = compiled.EvaluateInput(prepared[i]);
        }, prepared.Length);
        return (oneShot, cached);
    }

    private static WorkloadMeasurement Time(string name, string expression, bool perRecord, BenchmarkSettings settings,
        Action<JsonataExpression, JsonataResult[]> runOnce, int documents)
    {
        try
        {
            var compiled = JsonataExpression.Compile(expression);
            var results = new JsonataResult[documents];
            for (var i = 0; i < settings.Warmup; i++) runOnce(compiled, results);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var timings = new double[settings.Iterations];
            for (var i = 0; i < timings.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                runOnce(compiled, results);
                timings[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            return new WorkloadMeasurement(name, Median(timings), timings.Min(), Serialize(results, perRecord), Error: null);
        }
        catch (Exception e)
        {
            return new WorkloadMeasurement(name, double.NaN, double.NaN, null, $"{e.GetType().Name}: {e.Message}");
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
