using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Benchmarks.Jsonata;

/// <summary>Timings and results of jsonata-js, from one run of <c>tests/reference/bench.js</c> under node.</summary>
internal sealed class ReferenceRun
{
    private ReferenceRun(string version, double compileMicros, IReadOnlyList<WorkloadMeasurement> workloads, IReadOnlyList<WorkloadMeasurement> oneShot)
    {
        Version = version;
        CompileMicros = compileMicros;
        Workloads = workloads;
        OneShot = oneShot;
    }

    /// <summary>"jsonata-js 2.2.2 on node v20…".</summary>
    public string Version { get; }

    public double CompileMicros { get; }

    public IReadOnlyList<WorkloadMeasurement> Workloads { get; }

    /// <summary>One-shot workloads: <c>JSON.parse</c> of each document's text plus <c>evaluate</c>, timed together.</summary>
    public IReadOnlyList<WorkloadMeasurement> OneShot { get; }

    /// <summary><c>tests/reference</c> found above the current directory or the executable, or null.</summary>
    public static string? FindDirectory()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "tests", "reference");
                if (File.Exists(Path.Combine(candidate, "bench.js"))) return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs bench.js over <paramref name="dataPath"/> for <paramref name="workloads"/> (and the compile
    /// measurement when <paramref name="measureCompile"/>). Throws with a readable reason when node or the module is missing.</summary>
    public static async Task<ReferenceRun> RunAsync(string referenceDirectory, string dataPath, BenchmarkSettings settings,
        IReadOnlyList<JsonataWorkload> workloads, bool measureCompile, IReadOnlyList<(OneShotWorkload Workload, string TextsPath)>? oneShot = null)
    {
        if (!File.Exists(Path.Combine(referenceDirectory, "node_modules", "jsonata", "package.json")))
        {
            throw new InvalidOperationException($"jsonata is not installed in {referenceDirectory}/node_modules; run `npm ci --prefix tests/reference`");
        }

        var workDirectory = Path.GetDirectoryName(dataPath)!;
        var specPath = Path.Combine(workDirectory, "bench-spec.json");
        var outPath = Path.Combine(workDirectory, "bench-reference.json");
        var spec = new JsonObject
        {
            ["warmup"] = settings.Warmup,
            ["iterations"] = settings.Iterations,
            ["compileRepeats"] = measureCompile ? settings.CompileRepeats : 0,
            ["dataPath"] = dataPath,
            ["compile"] = JsonataWorkload.ContactMapping,
            ["workloads"] = new JsonArray(workloads.Select(w => (JsonNode)new JsonObject
            {
                ["name"] = w.Name,
                ["expression"] = w.Expression,
                ["input"] = w.Input,
                ["perRecord"] = w.PerRecord,
            }).ToArray()),
            ["oneShot"] = new JsonArray((oneShot ?? []).Select(o => (JsonNode)new JsonObject
            {
                ["name"] = o.Workload.Name,
                ["expression"] = o.Workload.Expression,
                ["textsPath"] = o.TextsPath,
            }).ToArray()),
        };
        await File.WriteAllTextAsync(specPath, spec.ToJsonString());

        var start = new ProcessStartInfo("node") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = referenceDirectory };
        start.ArgumentList.Add(Path.Combine(referenceDirectory, "bench.js"));
        start.ArgumentList.Add(specPath);
        start.ArgumentList.Add(outPath);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"node is not on PATH ({e.Message})", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("node bench.js took longer than 6 minutes");
            }

            if (process.ExitCode != 0) throw new InvalidOperationException($"node bench.js exited with {process.ExitCode}: {await output}{await errors}");
        }

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(outPath));
        var root = document.RootElement;
        static WorkloadMeasurement[] Measurements(JsonElement entries) => entries.EnumerateArray().Select(entry => new WorkloadMeasurement(
            entry.GetProperty("name").GetString()!,
            entry.TryGetProperty("medianMs", out var median) ? median.GetDouble() : double.NaN,
            entry.TryGetProperty("minMs", out var min) ? min.GetDouble() : double.NaN,
            entry.TryGetProperty("result", out var result) && !(entry.TryGetProperty("undefined", out var undefined) && undefined.GetBoolean())
                ? result.GetRawText()
                : null,
            entry.TryGetProperty("error", out var error) ? error.GetString() : null)).ToArray();
        return new ReferenceRun(
            $"jsonata-js {root.GetProperty("jsonata").GetString()} on node {root.GetProperty("node").GetString()}",
            root.TryGetProperty("compileMicros", out var compile) && compile.ValueKind == JsonValueKind.Number ? compile.GetDouble() : double.NaN,
            Measurements(root.GetProperty("workloads")),
            root.TryGetProperty("oneShot", out var oneShotEntries) ? Measurements(oneShotEntries) : []);
    }
}

/// <summary>One side's measurement of one workload: median and fastest wall time per iteration, the result as JSON
/// text (null when undefined), or the error that stopped it.</summary>
internal sealed record WorkloadMeasurement(string Name, double MedianMs, double MinMs, string? ResultJson, string? Error);

/// <summary>Command-line settings of the suite.</summary>
internal sealed record BenchmarkSettings(int Seed, int Warmup, int Iterations, int CompileRepeats)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        var settings = new BenchmarkSettings(Seed: 42, Warmup: 3, Iterations: 7, CompileRepeats: 5_000);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.TryParse(args[i + 1], out var parsed) && parsed > 0
                ? parsed
                : throw new ArgumentException($"{args[i]} needs a positive integer, got '{args[i + 1]}'");
            settings = args[i] switch
            {
                "--seed" => settings with { Seed = value },
                "--warmup" => settings with { Warmup = value },
                "--iterations" => settings with { Iterations = value },
                "--compile-repeats" => settings with { CompileRepeats = value },
                _ => throw new ArgumentException($"unknown option {args[i]} (known: --seed, --warmup, --iterations, --compile-repeats)"),
            };
        }

        if (args.Length % 2 != 0) throw new ArgumentException($"option {args[^1]} needs a value");
        return settings;
    }
}
