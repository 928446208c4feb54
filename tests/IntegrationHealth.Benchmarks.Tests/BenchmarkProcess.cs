using System.Diagnostics;

namespace IntegrationHealth.Benchmarks.Tests;

/// <summary>Runs a benchmark verb as a child process from the benchmarks' own build output, as a person would.</summary>
internal static class BenchmarkProcess
{
    /// <summary>Runs <c>dotnet IntegrationHealth.Benchmarks.dll args…</c>; its exit code and its standard output
    /// followed by its standard error. Killed (and a <see cref="TimeoutException"/> thrown) past <paramref name="timeout"/>.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(IReadOnlyList<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(LocateBenchmarksDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', args)} did not finish within {timeout}:\n{await stdout}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The benchmarks' own build output, <c>tests/IntegrationHealth.Benchmarks/bin/&lt;Configuration&gt;/&lt;tfm&gt;</c>
    /// (built before this project by its project reference).</summary>
    private static string LocateBenchmarksDll()
    {
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        var tests = tfmDir.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(tests, "IntegrationHealth.Benchmarks", "bin", configuration, tfmDir.Name, "IntegrationHealth.Benchmarks.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} not found; build tests/IntegrationHealth.Benchmarks first.");
    }
}
