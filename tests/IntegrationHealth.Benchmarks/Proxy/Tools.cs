using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IntegrationHealth.Benchmarks.Proxy;

internal static class Tools
{
    /// <summary>The path of an executable on PATH or in /usr/sbin, or null.</summary>
    public static string? Find(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/local/sbin");
        return dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}

/// <summary>One wrk run's figures.</summary>
internal sealed record WrkResult(double P50Ms, double P99Ms, double RequestsPerSecond, long Errors);

/// <summary>Runs wrk with <c>--latency</c> and reads its percentiles and requests/s.</summary>
internal static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(string wrk, string url, int threads, int connections, TimeSpan duration, IReadOnlyList<string> headers)
    {
        List<string> arguments = ["-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{Math.Max(1, (int)duration.TotalSeconds)}s", "--latency"];
        foreach (var header in headers) arguments.AddRange(["-H", header]);
        arguments.Add(url);
        var start = new ProcessStartInfo(wrk, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        double Percentile(string p) => Millis(Regex.Match(output, $@"^\s+{p}%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value);
        var rps = double.TryParse(Regex.Match(output, @"Requests/sec:\s+(\S+)").Groups[1].Value, CultureInfo.InvariantCulture, out var r) ? r : 0;
        var errors = Regex.Matches(output, @"(?:Non-2xx or 3xx responses|errors): .*?(\d+)").Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return new WrkResult(Percentile("50"), Percentile("99"), rps, errors);
    }

    /// <summary>wrk writes latencies as <c>153.00us</c>, <c>1.20ms</c> or <c>2.01s</c>.</summary>
    private static double Millis(string text)
    {
        var m = Regex.Match(text, @"^([\d.]+)(us|ms|s|m)$");
        if (!m.Success) return double.NaN;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "ms" => value, "s" => value * 1000, _ => value * 60_000 };
    }
}

/// <summary>Debian's nginx as a reverse proxy to the upstream: one worker, keep-alive pool, no access log.</summary>
internal sealed class Nginx : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _prefix;

    private Nginx(Process process, DirectoryInfo prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Port = port;
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <summary>Starts nginx in front of the upstream and waits until it answers <paramref name="probePath"/>.</summary>
    public static async Task<Nginx> StartAsync(string nginx, int upstreamPort, string probePath, string authorization)
    {
        var prefix = Directory.CreateTempSubdirectory("ih-nginx-");
        var port = FreePort();
        var conf = Path.Combine(prefix.FullName, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            worker_processes 1;
            daemon off;
            pid {{prefix.FullName}}/nginx.pid;
            error_log {{prefix.FullName}}/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{prefix.FullName}}/body;
              proxy_temp_path {{prefix.FullName}}/proxy;
              upstream up { server 127.0.0.1:{{upstreamPort}}; keepalive 64; }
              server {
                listen 127.0.0.1:{{port}};
                location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; }
              }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(nginx, ["-p", prefix.FullName, "-c", conf]) { RedirectStandardError = true })!;
        using var probe = new HttpClient();
        probe.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        for (var i = 0; i < 50; i++)
        {
            try
            {
                using var response = await probe.GetAsync($"http://127.0.0.1:{port}{probePath}");
                if (response.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        return new Nginx(process, prefix, port);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        // The whole tree: the master alone would leave its worker holding the port (and our stdout).
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _prefix.Delete(recursive: true);
    }
}
