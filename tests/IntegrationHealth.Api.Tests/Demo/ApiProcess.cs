using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace IntegrationHealth.Api.Tests.Demo;

/// <summary>
/// The real built API (<c>IntegrationHealth.Api.dll</c>) run as a child process with <c>dotnet</c>, in a temporary
/// working directory with its own SQLite database, listening on a free loopback port. Disposing kills the whole
/// process tree and deletes the directory.
/// </summary>
internal sealed partial class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _adminKey = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ApiProcess(Process process, string workingDirectory, Uri baseAddress)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string WorkingDirectory { get; }

    /// <summary>Everything the process wrote so far (stdout and stderr interleaved), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet IntegrationHealth.Api.dll</c> with <paramref name="verbArgs"/> followed by <c>--urls</c>.</summary>
    public static ApiProcess Start(params string[] verbArgs)
    {
        var dll = LocateApiDll();
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var workingDirectory = Path.Combine(Path.GetTempPath(), "ih-demo-e2e-" + Path.GetRandomFileName());
        Directory.CreateDirectory(workingDirectory);

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in verbArgs)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.GetLeftPart(UriPartial.Authority));
        start.Environment["Database__Provider"] = "sqlite";
        start.Environment["Database__ConnectionString"] = $"Data Source={Path.Combine(workingDirectory, "demo.db")}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The test host's own settings must not leak into the child.
        start.Environment.Remove("INTEGRATIONHEALTH_TEST_PG");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var api = new ApiProcess(process, workingDirectory, baseAddress);
        process.OutputDataReceived += (_, e) => api.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => api.OnLine(e.Data);
        process.Exited += (_, _) => api._adminKey.TrySetException(
            new InvalidOperationException($"The API exited with code {SafeExitCode(process)} before printing an admin key."));
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start 'dotnet'.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return api;
    }

    /// <summary>Runs <c>dotnet IntegrationHealth.Api.dll</c> with <paramref name="args"/> to completion (a one-shot verb such
    /// as <c>simulate</c>); returns its exit code and output. Killed if it outlives <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(LocateApiDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within {timeout}. Output:\n{output}");
        }
        process.WaitForExit(); // drains the redirected output
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>The admin key the <c>demo</c> verb prints (an <c>ih_</c> token on a line mentioning "key").</summary>
    public async Task<string> AdminKeyAsync(TimeSpan timeout)
    {
        try
        {
            return await _adminKey.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No admin key printed within {timeout}. Output so far:\n{Output}");
        }
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200, failing early if the process dies.</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with code {_process.ExitCode}. Output:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "readyz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"/readyz did not answer 200 within {timeout}. Output:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or could not be waited for; nothing more a test can do.
        }
        _process.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (line.Contains("key", StringComparison.OrdinalIgnoreCase) && KeyPattern().Match(line) is { Success: true } match)
        {
            _adminKey.TrySetResult(match.Value);
        }
    }

    [GeneratedRegex(@"\bih_[A-Za-z0-9_\-]+")]
    private static partial Regex KeyPattern();

    private static int SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The API's build output: copied next to the tests (project reference), else the API project's bin.</summary>
    private static string LocateApiDll()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "IntegrationHealth.Api.dll");
        if (File.Exists(local) && File.Exists(Path.ChangeExtension(local, ".runtimeconfig.json")))
        {
            return local;
        }
        // bin/<Configuration>/<tfm>/ of this test project -> the same under src/IntegrationHealth.Api.
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        var root = tfmDir.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var sibling = Path.Combine(root, "src", "IntegrationHealth.Api", "bin", configuration, tfmDir.Name, "IntegrationHealth.Api.dll");
        if (File.Exists(sibling))
        {
            return sibling;
        }
        throw new FileNotFoundException($"IntegrationHealth.Api.dll not found next to the tests ({local}) nor at {sibling}; build the API first.");
    }
}
