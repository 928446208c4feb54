using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using IntegrationHealth.Data;

namespace IntegrationHealth.Testing;

/// <summary>How <see cref="ApiProcess"/> runs the API.</summary>
public sealed class ApiProcessOptions
{
    /// <summary>The store the API uses; null gives it a SQLite file of its own in its working directory.</summary>
    public DatabaseOptions? Database { get; init; }

    /// <summary>Extra environment variables of the child (configuration keys as <c>Section__Key</c>); a null value
    /// removes a variable the child would otherwise inherit.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}

/// <summary>What a one-shot run of the API (<see cref="ApiProcess.RunToExitAsync(ApiProcessOptions?, TimeSpan, string[])"/>) did.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Standard output and standard error, interleaved as the lines arrived.</param>
/// <param name="StandardOutput">Standard output alone.</param>
/// <param name="StandardError">Standard error alone.</param>
public sealed record ApiRun(int ExitCode, string Output, string StandardOutput, string StandardError)
{
    /// <summary>The exit code and the interleaved output.</summary>
    public void Deconstruct(out int exitCode, out string output)
    {
        exitCode = ExitCode;
        output = Output;
    }
}

/// <summary>
/// The real built API (<c>IntegrationHealth.Api.dll</c>, see <see cref="LocateApiDll"/>) run as a child process with
/// <c>dotnet</c>: in a temporary working directory of its own (deleted on dispose), listening on a free 127.0.0.1 port
/// (<c>--urls</c> is appended to the arguments), in the Production environment, without the test server variables.
/// Standard output and error are captured. <see cref="StopAsync"/> stops it as an operator would (SIGTERM);
/// disposing kills the whole process tree if it still runs.
/// </summary>
public sealed partial class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly StringBuilder _standardError = new();
    private readonly TaskCompletionSource<string> _adminKey = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ApiProcess(Process process, string workingDirectory, Uri baseAddress)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the API listens: <c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The process's temporary working directory (holding its SQLite file unless a database was given).</summary>
    public string WorkingDirectory { get; }

    /// <summary>Everything the process wrote so far (stdout and stderr interleaved), for failure messages.</summary>
    public string Output => Read(_output);

    /// <summary>What the process wrote so far to standard output.</summary>
    public string StandardOutput => Read(_standardOutput);

    /// <summary>What the process wrote so far to standard error.</summary>
    public string StandardError => Read(_standardError);

    /// <summary>The operating system's id of the process (e.g. to read <c>/proc/&lt;pid&gt;/status</c>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>CPU time the process has used so far (user + system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts <c>dotnet IntegrationHealth.Api.dll</c> with <paramref name="args"/> followed by <c>--urls</c>,
    /// over a SQLite file of its own. Returns at once: see <see cref="WaitUntilReadyAsync(TimeSpan)"/>.</summary>
    public static ApiProcess Start(params string[] args) => Start(new ApiProcessOptions(), args);

    /// <summary>Starts <c>dotnet IntegrationHealth.Api.dll</c> with <paramref name="args"/> followed by <c>--urls</c>.
    /// Returns at once: see <see cref="WaitUntilReadyAsync(TimeSpan)"/>.</summary>
    public static ApiProcess Start(ApiProcessOptions options, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(args);
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var workingDirectory = CreateWorkingDirectory();
        try
        {
            var start = StartInfo(options, workingDirectory, [.. args, "--urls", baseAddress.GetLeftPart(UriPartial.Authority)]);
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            var api = new ApiProcess(process, workingDirectory, baseAddress);
            process.OutputDataReceived += (_, e) => api.OnLine(e.Data, api._standardOutput);
            process.ErrorDataReceived += (_, e) => api.OnLine(e.Data, api._standardError);
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
        catch
        {
            DeleteDirectory(workingDirectory);
            throw;
        }
    }

    /// <summary>Starts the API (see <see cref="Start(ApiProcessOptions, string[])"/>) and waits until it answers
    /// <c>/readyz</c>; on failure the process is killed and the error carries its output.</summary>
    public static async Task<ApiProcess> StartReadyAsync(ApiProcessOptions options, TimeSpan timeout, params string[] args)
    {
        var api = Start(options, args);
        try
        {
            await api.WaitUntilReadyAsync(timeout);
            return api;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>dotnet IntegrationHealth.Api.dll</c> with <paramref name="args"/> to completion (a one-shot verb
    /// such as <c>simulate</c>) over a SQLite file of its own; killed if it outlives <paramref name="timeout"/>.</summary>
    public static Task<ApiRun> RunToExitAsync(TimeSpan timeout, params string[] args) => RunToExitAsync(null, timeout, args);

    /// <summary>Runs <c>dotnet IntegrationHealth.Api.dll</c> with <paramref name="args"/> to completion (a one-shot verb
    /// such as <c>simulate</c> or <c>keys create</c>), in a temporary working directory; killed if it outlives
    /// <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">It did not finish in time (the message holds its output).</exception>
    public static async Task<ApiRun> RunToExitAsync(ApiProcessOptions? options, TimeSpan timeout, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var workingDirectory = CreateWorkingDirectory();
        try
        {
            using var process = new Process { StartInfo = StartInfo(options ?? new ApiProcessOptions(), workingDirectory, args) };
            var gate = new Lock();
            StringBuilder output = new(), standardOutput = new(), standardError = new();
            void Append(string? line, StringBuilder stream)
            {
                if (line is null)
                {
                    return;
                }

                lock (gate)
                {
                    output.AppendLine(line);
                    stream.AppendLine(line);
                }
            }

            process.OutputDataReceived += (_, e) => Append(e.Data, standardOutput);
            process.ErrorDataReceived += (_, e) => Append(e.Data, standardError);
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
                lock (gate)
                {
                    throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within {timeout}. Output:\n{output}");
                }
            }

            process.WaitForExit(); // drains the redirected output
            lock (gate)
            {
                return new ApiRun(process.ExitCode, output.ToString(), standardOutput.ToString(), standardError.ToString());
            }
        }
        finally
        {
            DeleteDirectory(workingDirectory);
        }
    }

    /// <summary>Issues an API key with the <c>keys create</c> verb against <paramref name="options"/>' database (the
    /// tenant is created if missing) and returns the secret.</summary>
    /// <param name="options">The database (and environment) the API will later be started with.</param>
    /// <param name="tenant">Tenant key.</param>
    /// <param name="scopes">Comma-separated scopes, e.g. <c>ingest</c> or <c>ingest,read</c>.</param>
    /// <param name="name">The key's name.</param>
    /// <param name="timeout">How long the verb may take.</param>
    /// <exception cref="InvalidOperationException">The verb failed or printed no key.</exception>
    public static async Task<string> CreateKeyAsync(ApiProcessOptions options, string tenant, string scopes, string name, TimeSpan timeout)
    {
        var run = await RunToExitAsync(options, timeout, "keys", "create", "--tenant", tenant, "--scope", scopes, "--name", name);
        var key = run.StandardOutput.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("ih_", StringComparison.Ordinal));
        return run.ExitCode == 0 && key is not null
            ? key
            : throw new InvalidOperationException($"'keys create' failed (exit {run.ExitCode}):\n{run.Output}");
    }

    /// <summary>The admin key the <c>demo</c> verb prints (an <c>ih_</c> token on a line mentioning "key").</summary>
    /// <exception cref="TimeoutException">None was printed in time.</exception>
    /// <exception cref="InvalidOperationException">The process exited first.</exception>
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

    /// <summary>Polls <c>/readyz</c> with a client of its own until it answers 200, failing early if the process dies.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitUntilReadyAsync(http, timeout);
    }

    /// <summary>Polls <c>/readyz</c> with <paramref name="http"/> until it answers 200, failing early if the process dies.</summary>
    /// <exception cref="InvalidOperationException">The process exited.</exception>
    /// <exception cref="TimeoutException">It was not ready in time.</exception>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with code {SafeExitCode(_process)}. Output:\n{Output}");
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
            catch (TaskCanceledException)
            {
                // The client's own timeout: a slow start on busy cores.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"/readyz did not answer 200 within {timeout}. Output:\n{Output}");
    }

    /// <summary>Stops the process as an operator would: SIGTERM (a graceful host shutdown), then a kill of the whole
    /// tree if it has not exited within <paramref name="timeout"/>. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            if (OperatingSystem.IsWindows() || SendSignal(_process.Id, SigTerm) != 0)
            {
                // No SIGTERM on Windows, and it fails on a process that exited meanwhile: killing is all that is left.
                Kill();
            }

            try
            {
                await _process.WaitForExitAsync().WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                Kill();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Kills the process tree if it still runs and deletes the working directory.</summary>
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
        DeleteDirectory(WorkingDirectory);
    }

    /// <summary>The API's build output: copied next to the running tests (a project reference to the API), else the API
    /// project's own <c>bin/&lt;Configuration&gt;/&lt;tfm&gt;</c> beside this repository's <c>tests</c> folder.</summary>
    /// <exception cref="FileNotFoundException">Neither exists: build the API first.</exception>
    public static string LocateApiDll()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "IntegrationHealth.Api.dll");
        if (File.Exists(local) && File.Exists(Path.ChangeExtension(local, ".runtimeconfig.json")))
        {
            return local;
        }

        // bin/<Configuration>/<tfm>/ of the test project -> the same under src/IntegrationHealth.Api.
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

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo StartInfo(ApiProcessOptions options, string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The child must not read (or wait on) the test runner's own standard input.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(LocateApiDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var database = options.Database;
        start.Environment["Database__Provider"] = database?.Provider ?? "sqlite";
        start.Environment["Database__ConnectionString"] = database?.ConnectionString
                                                          ?? $"Data Source={Path.Combine(workingDirectory, "api.db")}";
        start.Environment["Database__PostgresWriteMode"] = (database?.PostgresWriteMode ?? PostgresWriteMode.Copy).ToString().ToLowerInvariant();
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The test host's own settings must not leak into the child.
        start.Environment.Remove(TestServers.PostgresVariable);
        foreach (var (name, value) in options.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    private static string CreateWorkingDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ih-api-process-" + Path.GetRandomFileName());
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private string Read(StringBuilder stream)
    {
        lock (_gate)
        {
            return stream.ToString();
        }
    }

    private void OnLine(string? line, StringBuilder stream)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
            stream.AppendLine(line);
        }

        if (line.Contains("key", StringComparison.OrdinalIgnoreCase) && KeyPattern().Match(line) is { Success: true } match)
        {
            _adminKey.TrySetResult(match.Value);
        }
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
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

    private const int SigTerm = 15;

    // .NET can only SIGKILL a process; the graceful stop needs the plain POSIX kill(2).
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
