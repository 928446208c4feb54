using System.Globalization;
using System.Text.Json;

namespace IntegrationHealth.Benchmarks.Jsonata;

/// <summary>
/// The "jsonata" suite: our engine against jsonata-js (tests/reference, under node) on the same seeded data.
/// Prints per workload the median time per iteration, throughput in records/s for both and the speed-up
/// (ours ÷ reference throughput), the compile time of workload (a), and whether both computed the same result:
/// cached workloads (a)–(d) over already-parsed inputs, then one-shot workloads (e)–(g) with parsing timed on both
/// sides, and ours again over the same documents converted before timing.
/// Targets (speed-up ≥ 3×, compile (a) &lt; 50 µs) are reported, not asserted: the exit code is 0 when the suite ran,
/// 1 when a side could not produce a figure, 2 on bad options.
/// Options: --seed N, --warmup N, --iterations N, --compile-repeats N.
/// </summary>
internal static class JsonataBenchmark
{
    private const double SpeedupTarget = 3.0;
    private const double CompileTargetMicros = 50.0;

    public static async Task<int> RunAsync(string[] args)
    {
        BenchmarkSettings settings;
        try
        {
            settings = BenchmarkSettings.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"jsonata benchmark: {e.Message}");
            return 2;
        }

        var workDirectory = Path.Combine(Path.GetTempPath(), $"integrationhealth-jsonata-bench-{settings.Seed}");
        Directory.CreateDirectory(workDirectory);
        var dataPath = Path.Combine(workDirectory, "data.json");
        var data = JsonataBenchmarkData.Generate(settings.Seed, JsonataWorkload.Contacts, JsonataWorkload.Orders, JsonataWorkload.Items);
        await File.WriteAllTextAsync(dataPath, data.ToJsonString());
        data = null;

        Console.WriteLine($"JSONata benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, seed {settings.Seed}, warm-up {settings.Warmup}, " +
                          $"{settings.Iterations} timed iterations (median), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine($"data: {dataPath} ({new FileInfo(dataPath).Length / 1024 / 1024.0:0.0} MB); load average before: {BenchmarkRun.LoadAverage()}");

        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(dataPath));
        var referenceDirectory = ReferenceRun.FindDirectory();
        string? referenceProblem = referenceDirectory is null ? "tests/reference/bench.js not found above the current directory" : null;
        string? referenceVersion = null;
        var referenceCompile = double.NaN;

        // Per workload, the reference (its own node process) and then ours, one after the other, never at the same
        // time: on a shared machine load drifts, and interleaving keeps both sides of a ratio under similar load.
        async Task<WorkloadMeasurement?> Reference(IReadOnlyList<JsonataWorkload> workloads, bool compile)
        {
            if (referenceProblem is not null) return null;
            try
            {
                var run = await ReferenceRun.RunAsync(referenceDirectory!, dataPath, settings, workloads, compile);
                referenceVersion = run.Version;
                if (compile) referenceCompile = run.CompileMicros;
                return run.Workloads.FirstOrDefault();
            }
            catch (InvalidOperationException e)
            {
                referenceProblem = e.Message;
                Console.WriteLine($"!! reference unavailable: {e.Message}");
                return null;
            }
        }

        await Reference([], compile: true);
        var ourCompile = Safe(() => OurRun.CompileMicros(JsonataWorkload.ContactMapping, settings.CompileRepeats), out var compileError);
        var theirs = new List<WorkloadMeasurement?>();
        var ours = new List<WorkloadMeasurement>();
        foreach (var workload in JsonataWorkload.All)
        {
            theirs.Add(await Reference([workload], compile: false));
            ours.Add(OurRun.Measure(workload, document.RootElement.GetProperty(workload.Input), settings));
        }

        // One-shot workloads: parse included on both sides, and ours again over inputs converted before timing.
        var oneShotWorkloads = OneShotWorkload.Generate(settings.Seed);
        var oneShot = new List<(WorkloadMeasurement? Theirs, WorkloadMeasurement Ours, WorkloadMeasurement Cached)>();
        for (var i = 0; i < oneShotWorkloads.Count; i++)
        {
            var workload = oneShotWorkloads[i];
            var textsPath = Path.Combine(workDirectory, $"oneshot-{i}.json");
            await File.WriteAllTextAsync(textsPath, JsonSerializer.Serialize(workload.Documents));
            WorkloadMeasurement? their = null;
            if (referenceProblem is null)
            {
                try
                {
                    var run = await ReferenceRun.RunAsync(referenceDirectory!, dataPath, settings, [], measureCompile: false, [(workload, textsPath)]);
                    their = run.OneShot.FirstOrDefault();
                }
                catch (InvalidOperationException e)
                {
                    referenceProblem = e.Message;
                    Console.WriteLine($"!! reference unavailable: {e.Message}");
                }
            }

            var (our, cached) = OurRun.MeasureOneShot(workload, settings);
            oneShot.Add((their, our, cached));
        }

        Console.WriteLine($"ours: IntegrationHealth.Jsonata; cached workloads over inputs converted once before timing (JsonataInput), result built (timed)");
        Console.WriteLine($"reference: {referenceVersion ?? "unavailable"}, input JSON.parse'd objects (parse not timed), evaluate() awaited per call");
        Console.WriteLine("times are per iteration: median (fastest); throughput and ratio from the medians");
        Console.WriteLine();
        Console.WriteLine($"{"workload",-42} {"records",8} {"ours ms",17} {"ours rec/s",11} {"ref ms",17} {"ref rec/s",11} {"ours/ref",8}  {"≥3×",4}  same result");
        var ranFully = referenceProblem is null && double.IsFinite(ourCompile);
        for (var i = 0; i < ours.Count; i++)
        {
            var workload = JsonataWorkload.All[i];
            var our = ours[i];
            var their = theirs[i];
            var ourRate = workload.Records / (our.MedianMs / 1000);
            var theirRate = their is null ? double.NaN : workload.Records / (their.MedianMs / 1000);
            var speedup = ourRate / theirRate;
            var verdict = double.IsFinite(speedup) ? (speedup >= SpeedupTarget ? "PASS" : "FAIL") : "n/a";
            Console.WriteLine($"{workload.Name,-42} {workload.Records,8:N0} {Times(our),17} {Rate(ourRate),11} {Times(their),17} {Rate(theirRate),11} {Ratio(speedup),8}  {verdict,4}  {Agreement(our, their)}");
            ranFully &= our.Error is null && their is { Error: null };
        }

        Console.WriteLine();
        Console.WriteLine("one shot: ours EvaluateUtf8(bytes) (parse + lazy evaluation + result), reference JSON.parse(text) + evaluate(); cached: ours EvaluateInput over the documents converted before timing");
        Console.WriteLine($"{"workload",-42} {"records",8} {"ours ms",17} {"ours rec/s",11} {"ref ms",17} {"ref rec/s",11} {"ours/ref",8}  {"≥3×",4}  {"cached ms",17}  same result");
        for (var i = 0; i < oneShot.Count; i++)
        {
            var workload = oneShotWorkloads[i];
            var (their, our, cached) = oneShot[i];
            var ourRate = workload.Records / (our.MedianMs / 1000);
            var theirRate = their is null ? double.NaN : workload.Records / (their.MedianMs / 1000);
            var speedup = ourRate / theirRate;
            var verdict = double.IsFinite(speedup) ? (speedup >= SpeedupTarget ? "PASS" : "FAIL") : "n/a";
            var agreement = Agreement(our, their);
            if (cached.ResultJson != our.ResultJson) agreement += " !! cached result differs";
            Console.WriteLine($"{workload.Name,-42} {workload.Records,8:N0} {Times(our),17} {Rate(ourRate),11} {Times(their),17} {Rate(theirRate),11} {Ratio(speedup),8}  {verdict,4}  {Times(cached),17}  {agreement}");
            ranFully &= our.Error is null && cached.Error is null && their is { Error: null };
        }

        Console.WriteLine();
        // What Evaluate(JsonElement) pays per evaluation before doing any work: the constant expression `1` over the
        // already-parsed inputs, read lazily. It must stay near zero whatever the document's size.
        foreach (var probe in JsonataWorkload.All.DistinctBy(w => w.Input).Select(w => w with { Name = $"`1` over {w.Input}", Expression = "1" }))
        {
            var fixedCost = OurRun.MeasureLazy(probe, document.RootElement.GetProperty(probe.Input), settings);
            Console.WriteLine($"ours, fixed cost of Evaluate(JsonElement) for {probe.Name}{(probe.PerRecord ? " (per record)" : "")}: {Ms(fixedCost.MedianMs)} ms per iteration{(fixedCost.Error is { } e ? " — " + e : "")}");
        }

        Console.WriteLine($"load average after: {BenchmarkRun.LoadAverage()} (other work on these 2 cores skews both sides; compare ratios across runs with care)");
        var compileVerdict = double.IsFinite(ourCompile) ? (ourCompile < CompileTargetMicros ? "PASS" : "FAIL") : "n/a";
        Console.WriteLine($"compile (a): ours {Micros(ourCompile)} µs, reference {Micros(referenceCompile)} µs " +
                          $"(median of {settings.CompileRepeats:N0} compiles after as many warm-up compiles); target < {CompileTargetMicros} µs: {compileVerdict}");
        if (compileError is not null) Console.WriteLine($"!! ours failed to compile (a): {compileError}");
        for (var i = 0; i < ours.Count; i++)
        {
            if (ours[i].Error is { } ourError) Console.WriteLine($"!! ours failed on {ours[i].Name}: {ourError}");
            if (theirs[i]?.Error is { } theirError) Console.WriteLine($"!! reference failed on {ours[i].Name}: {theirError}");
        }

        foreach (var (their, our, cached) in oneShot)
        {
            if (our.Error is { } ourError) Console.WriteLine($"!! ours (one shot) failed on {our.Name}: {ourError}");
            if (cached.Error is { } cachedError) Console.WriteLine($"!! ours (cached) failed on {our.Name}: {cachedError}");
            if (their?.Error is { } theirError) Console.WriteLine($"!! reference failed on {our.Name}: {theirError}");
        }

        return ranFully ? 0 : 1;
    }

    /// <summary>"yes", or a loud description of how the results differ.</summary>
    private static string Agreement(WorkloadMeasurement ours, WorkloadMeasurement? reference)
    {
        if (reference is null || ours.Error is not null || reference.Error is not null) return "n/a";
        if (ours.ResultJson is null || reference.ResultJson is null)
        {
            return ours.ResultJson == reference.ResultJson ? "yes (both undefined)" : "!! MISMATCH: one side undefined";
        }

        using var expected = JsonDocument.Parse(reference.ResultJson);
        using var actual = JsonDocument.Parse(ours.ResultJson);
        return JsonComparison.Difference(expected.RootElement, actual.RootElement) is { } difference ? $"!! MISMATCH {difference}" : "yes";
    }

    private static double Safe(Func<double> measure, out string? error)
    {
        try
        {
            error = null;
            return measure();
        }
        catch (Exception e)
        {
            error = $"{e.GetType().Name}: {e.Message}";
            return double.NaN;
        }
    }

    private static string Times(WorkloadMeasurement? m) =>
        m is null || !double.IsFinite(m.MedianMs) ? "—" : $"{Ms(m.MedianMs)} ({Ms(m.MinMs)})";

    private static string Ms(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) : "—";

    private static string Micros(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) : "—";

    private static string Rate(double value) => double.IsFinite(value) ? value.ToString("N0", CultureInfo.InvariantCulture) : "—";

    private static string Ratio(double value) => double.IsFinite(value) ? value.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";
}
