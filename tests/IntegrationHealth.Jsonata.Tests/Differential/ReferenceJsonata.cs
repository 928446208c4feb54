using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>
/// The reference implementation: jsonata-js at the version pinned in <c>tests/reference/package.json</c>, run under
/// node by <c>tests/reference/run-batch.js</c>. One node process evaluates a whole batch.
/// </summary>
public static class ReferenceJsonata
{
    private static readonly Lazy<string?> Unavailable = new(FindProblem);

    /// <summary><c>tests/reference</c> of this work tree, or null when the tests run outside it.</summary>
    public static string? Directory { get; } = FindReferenceDirectory();

    /// <summary>Why the reference cannot run (node or the npm module missing), or null when it can.</summary>
    public static string? Problem => Unavailable.Value;

    /// <summary>True when a missing reference must fail the tests instead of skipping them (env <c>CI=true</c>).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Evaluates every case with jsonata-js. Payloads are written once and referenced by index, which keeps the batch
    /// file small; the file is left next to the results so a mismatch can be replayed by hand.
    /// </summary>
    public static IReadOnlyList<Outcome> Evaluate(IReadOnlyList<DifferentialCase> cases, IReadOnlyList<Payload> payloads, string workDirectory)
    {
        if (Problem is { } problem) throw new InvalidOperationException(problem);
        System.IO.Directory.CreateDirectory(workDirectory);
        var batchPath = Path.Combine(workDirectory, "jsonata-diff-batch.json");
        var resultsPath = Path.Combine(workDirectory, "jsonata-diff-reference.json");
        var batch = new JsonObject
        {
            ["datasets"] = new JsonArray(payloads.Select(p => (JsonNode)p.Document.DeepClone()).ToArray()),
            ["cases"] = new JsonArray(cases.Select(ToBatchEntry).ToArray()),
        };
        File.WriteAllText(batchPath, batch.ToJsonString());
        File.Delete(resultsPath);

        // Three minutes cover the CI run many times over; sweeps of 100,000 cases get a minute more per 20,000.
        var timeout = TimeSpan.FromMinutes(3 + (cases.Count / 20_000));
        var (exitCode, output) = RunNode(timeout, Path.Combine(Directory!, "run-batch.js"), batchPath, resultsPath);
        if (exitCode != 0) throw new InvalidOperationException($"node run-batch.js exited with {exitCode}: {output}");

        using var results = JsonDocument.Parse(File.ReadAllText(resultsPath));
        var outcomes = results.RootElement.EnumerateArray().Select(Outcome.FromReference).ToArray();
        if (outcomes.Length != cases.Count)
        {
            throw new InvalidOperationException($"run-batch.js returned {outcomes.Length} results for {cases.Count} cases");
        }

        return outcomes;
    }

    private static JsonNode ToBatchEntry(DifferentialCase c)
    {
        var entry = new JsonObject
        {
            ["expr"] = c.Expression,
            ["data"] = c.Input switch { CaseInput.None => -1, CaseInput.JsonNull => -2, _ => c.Payload.Index },
        };
        if (c.Bindings is not null) entry["bindings"] = c.Bindings.DeepClone();
        if (c.UsesHostFunctions) entry["host"] = true;
        return entry;
    }

    /// <summary>Runs node with <paramref name="arguments"/>; returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) RunNode(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        process.WaitForExit();
        return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }

    private static string? FindProblem()
    {
        if (Directory is null) return "tests/reference (run-batch.js) was not found above the test assembly's directory";

        string nodeVersion;
        try
        {
            var (exitCode, output) = RunNode(TimeSpan.FromSeconds(30), "--version");
            if (exitCode != 0) return $"`node --version` failed: {output}";
            nodeVersion = output;
        }
        catch (Win32Exception e)
        {
            return $"node is not on PATH ({e.Message}); install it or run tests/run.sh";
        }

        var pinned = ReadVersion(Path.Combine(Directory, "package.json"), dependency: "jsonata");
        var installed = ReadVersion(Path.Combine(Directory, "node_modules", "jsonata", "package.json"), dependency: null);
        if (installed is null) return $"jsonata is not installed in {Directory}/node_modules (node {nodeVersion}); run `npm ci --prefix tests/reference`";
        if (installed != pinned) return $"tests/reference has jsonata {installed} installed but pins {pinned}; run `npm ci --prefix tests/reference`";
        return null;
    }

    private static string? ReadVersion(string packageJson, string? dependency)
    {
        if (!File.Exists(packageJson)) return null;
        var package = JsonNode.Parse(File.ReadAllText(packageJson));
        var version = dependency is null ? package?["version"] : package?["dependencies"]?[dependency];
        return version?.GetValue<string>();
    }

    private static string? FindReferenceDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "reference");
            if (File.Exists(Path.Combine(candidate, "run-batch.js"))) return candidate;
        }

        return null;
    }
}

/// <summary>A theory that needs the reference JSONata: skipped with the reason when node or the module is missing,
/// unless env <c>CI=true</c>, where it runs and fails with that reason instead.</summary>
public sealed class ReferenceTheoryAttribute : TheoryAttribute
{
    public ReferenceTheoryAttribute()
    {
        if (!ReferenceJsonata.Required && ReferenceJsonata.Problem is { } problem) Skip = $"reference JSONata unavailable: {problem}";
    }
}

/// <summary>A fact that needs the reference JSONata; see <see cref="ReferenceTheoryAttribute"/>.</summary>
public sealed class ReferenceFactAttribute : FactAttribute
{
    public ReferenceFactAttribute()
    {
        if (!ReferenceJsonata.Required && ReferenceJsonata.Problem is { } problem) Skip = $"reference JSONata unavailable: {problem}";
    }
}
