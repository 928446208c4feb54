using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace IntegrationHealth.Demo.Tests;

/// <summary>
/// A small real HTTP server on 127.0.0.1 (<see cref="HttpListener"/>) that records what a client posts and answers
/// like the API's upsert and ingestion endpoints (or fails on demand), to test <see cref="TrafficSimulator"/> alone.
/// </summary>
internal sealed class RecordingServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Func<string, int?> _failWith;

    public RecordingServer(Func<string, int?>? failWith = null)
    {
        _failWith = failWith ?? (_ => null);
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<(string Path, string? Authorization, string? ContentType, JsonDocument Body)> Requests { get; } = new();

    public IEnumerable<JsonElement> Posted(string path) =>
        Requests.Where(r => r.Path == path).SelectMany(r => r.Body.RootElement.EnumerateArray());

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Answer(context));
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = JsonDocument.Parse(await reader.ReadToEndAsync());
        Requests.Enqueue((path, context.Request.Headers["Authorization"], context.Request.ContentType, body));
        var count = body.RootElement.GetArrayLength();
        string answer;
        if (_failWith(path) is { } status)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/problem+json";
            answer = $$"""{"title":"refused","status":{{status}}}""";
        }
        else
        {
            context.Response.ContentType = "application/json";
            answer = path == "/v1/events" ? $$"""{"accepted":{{count}},"duplicates":0}""" : $$"""{"inserted":{{count}},"updated":0}""";
        }
        var bytes = Encoding.UTF8.GetBytes(answer);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
        foreach (var r in Requests)
        {
            r.Body.Dispose();
        }
    }
}
