using Xunit;
using System.Diagnostics;

namespace IntegrationHealth.Testing;

/// <summary>
/// Runs the node scripts under <c>tests/&lt;folder&gt;</c> (independent peers the tests compare against: official
/// validators, reference implementations), whose npm packages <c>tests/run.sh</c> installs with <c>npm ci</c>. The rule
/// for a missing node or missing packages is <see cref="TestServers"/>' rule: skipped outside CI, failing on CI.
/// </summary>
public static class NodeScripts
{
    /// <summary>The folder <c>tests/<paramref name="folder"/></c> of the repository holding the test binaries.</summary>
    public static string FolderOf(string folder)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationHealth.sln"))) return Path.Combine(dir.FullName, "tests", folder);
        }
        throw new InvalidOperationException("IntegrationHealth.sln was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Why the scripts of <c>tests/<paramref name="folder"/></c> cannot run here, or null when they can.</summary>
    public static string? Problem(string folder)
    {
        var directory = FolderOf(folder);
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
            return $"tests/{folder}/node_modules is missing: run `npm ci --prefix tests/{folder}` (tests/run.sh does)";
        try
        {
            var (exitCode, _) = Run(folder, TimeSpan.FromSeconds(30), "--version");
            return exitCode == 0 ? null : "node --version failed";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
        {
            return "node is not on PATH (tests/run.sh installs it)";
        }
    }

    /// <summary>Skip reason for tests needing the scripts: null when they can run, and always null on CI (they fail there).</summary>
    public static string? SkipReason(string folder) => TestServers.IsCi ? null : Problem(folder);

    /// <summary>Runs <c>node</c> with <paramref name="arguments"/> in <c>tests/<paramref name="folder"/></c>; returns its exit code and output.</summary>
    /// <exception cref="TimeoutException">It did not finish within <paramref name="timeout"/> (it is killed).</exception>
    public static (int ExitCode, string Output) Run(string folder, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = FolderOf(folder),
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
}

/// <summary>A fact that needs the node scripts of one <c>tests/</c> folder: skipped outside CI when they cannot run.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute(string folder)
    {
        if (NodeScripts.SkipReason(folder) is { } reason) Skip = reason;
    }
}
