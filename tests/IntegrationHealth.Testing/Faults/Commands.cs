using System.Diagnostics;

namespace IntegrationHealth.Testing.Faults;

/// <summary>Runs the system commands the fault helpers need (pg_ctl, mount), as root or as another user.</summary>
internal static class Commands
{
    /// <summary>True when this process runs as root (the tools that need a user of their own go through runuser).</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    /// <summary>Runs <paramref name="file"/> (as <paramref name="user"/> through <c>runuser</c> when given and we are root);
    /// returns the exit code and the interleaved output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, string? user = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(user is not null && IsRoot ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is not null && IsRoot)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(user);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(file);
        }

        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time.");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>Like <see cref="RunAsync"/>, failing with the output when the exit code is not 0.</summary>
    public static async Task<string> RunCheckedAsync(string file, IEnumerable<string> args, string? user = null, TimeSpan? timeout = null)
    {
        var (code, output) = await RunAsync(file, args, user, timeout);
        return code == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {code}:\n{output}");
    }
}
