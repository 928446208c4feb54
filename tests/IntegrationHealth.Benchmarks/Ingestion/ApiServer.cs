using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IntegrationHealth.Data;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>
/// The real API (<c>IntegrationHealth.Api.dll</c> from this output folder, so the same build configuration) as a child
/// process on a free loopback port, web role only (no job server competing for the cores), warnings-only logging.
/// An ingest key is issued first with the <c>keys create</c> verb against the same database.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private ApiServer(Process process, StringBuilder output, Uri baseAddress, string key)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        Key = key;
    }

    public Uri BaseAddress { get; }

    public string Key { get; }

    /// <summary>CPU time the API process has used so far (user + system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ApiServer> StartAsync(DatabaseOptions database, string tenant)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "IntegrationHealth.Api.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing; build the benchmarks project (it references the API).");
        }

        var keyOutput = new StringBuilder();
        using (var keys = Launch(dll, database, keyOutput, "keys", "create", "--tenant", tenant, "--scope", "ingest", "--name", "bench"))
        {
            await keys.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            var key = keyOutput.ToString().Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("ih_", StringComparison.Ordinal));
            if (keys.ExitCode != 0 || key is null)
            {
                throw new InvalidOperationException($"'keys create' failed (exit {keys.ExitCode}):\n{keyOutput}");
            }

            var port = FreePort();
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            var output = new StringBuilder();
            var process = Launch(dll, database, output, "serve", "--urls", baseAddress.GetLeftPart(UriPartial.Authority));
            var server = new ApiServer(process, output, baseAddress, key);
            try
            {
                await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
            return server;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the API exited with code {_process.ExitCode}:\n{Output}");
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
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // slow start
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the API was not ready within {timeout}:\n{Output}");
    }

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

    private static Process Launch(string dll, DatabaseOptions database, StringBuilder output, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["Database__Provider"] = database.Provider;
        start.Environment["Database__ConnectionString"] = database.ConnectionString;
        start.Environment["Roles"] = "Web";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_gcServer"] = "1";
        var process = new Process { StartInfo = start };
        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(line);
            }
        }
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
        _process.Dispose();
    }
}
