using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IntegrationHealth.ProviderDoubles;

/// <summary>A fault the next request to a double meets instead of its normal answer.</summary>
public sealed record Fault(int Status, string Body, IReadOnlyDictionary<string, string> Headers, string ContentType = "application/json")
{
    public static Fault Of(int status, string body = "{}", params (string Name, string Value)[] headers) =>
        new(status, body, headers.ToDictionary(h => h.Name, h => h.Value));

    /// <summary>A 200 whose body is cut off mid-JSON.</summary>
    public static Fault MalformedJson() => new(200, "{\"results\": [{\"id\": \"1\", \"prop", new Dictionary<string, string>());
}

/// <summary>
/// A request limit a double enforces, as providers do: at most <paramref name="Requests"/> in each fixed window of
/// <paramref name="Window"/> (aligned to the Unix epoch, read on <paramref name="Clock"/>, so a test's fake clock drives
/// it), answering 429 past it. Every answer carries <c>X-RateLimit-Limit</c>, <c>X-RateLimit-Remaining</c> and
/// <c>X-RateLimit-Reset</c>: the window's end in whole seconds, as a delay (<c>delta_seconds</c>) or, with
/// <paramref name="EpochReset"/>, as Unix seconds (<c>epoch_seconds</c>).
/// </summary>
public sealed record RequestLimit(int Requests, TimeSpan Window, TimeProvider Clock, bool EpochReset = false);

/// <summary>
/// A provider double: a real Kestrel server on 127.0.0.1 (a free port) speaking one provider's conventions, with fault
/// injection (queued faults answer the next requests; modes such as a repeating cursor or a silently capped page size
/// are set by each double) and a log of the requests it received.
/// </summary>
public abstract class ProviderDouble : IAsyncDisposable
{
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly Lock _windowLock = new();
    private long _window = long.MinValue;
    private int _inWindow;
    private int _limited;
    private WebApplication? _app;

    /// <summary>The request limit enforced (null: none).</summary>
    public RequestLimit? Limit { get; set; }

    /// <summary>Requests answered 429 by <see cref="Limit"/>.</summary>
    public int LimitedRequests => Volatile.Read(ref _limited);

    /// <summary>The double's origin, e.g. <c>http://127.0.0.1:41234</c> (an engine origin override points here).</summary>
    public Uri Origin { get; private set; } = null!;

    /// <summary>The requests received, in arrival order: method, path and query, and headers. Only the most recent
    /// <see cref="RequestLogLimit"/> are kept.</summary>
    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>How many received requests <see cref="Requests"/> keeps (oldest dropped first; 0 keeps none). 10,000 by
    /// default: enough for any test's assertions, bounded for the demo's doubles, which serve live traffic for as long as
    /// the demo runs, and for benchmarks, which send millions.</summary>
    public int RequestLogLimit { get; set; } = 10_000;

    /// <summary>Silently serve at most this many records per page, whatever the request asks (0: the provider's own cap).</summary>
    public int PageSizeCap { get; set; }

    /// <summary>Answer every page with the same next cursor or link, so a naive client would loop forever.</summary>
    public bool RepeatCursor { get; set; }

    /// <summary>
    /// Asked on every request no queued fault answers: a fault to answer it with instead, or null for the normal answer.
    /// The demo sets one that answers a small share of calls with <see cref="RateLimitedFault"/> or a 500.
    /// </summary>
    public Func<HttpRequest, Fault?>? FaultPicker { get; set; }

    /// <summary>The provider's own "too many requests" answer (status, body and rate-limit headers as it sends them).</summary>
    public virtual Fault RateLimitedFault() =>
        Fault.Of(429, """{"error":"rate_limited","message":"Too many requests"}""", ("Retry-After", "2"));

    /// <summary>The provider's own answer to an internal error.</summary>
    public virtual Fault ServerErrorFault() => Fault.Of(500, """{"error":"internal_error"}""");

    public void Enqueue(params Fault[] faults)
    {
        foreach (var fault in faults) _faults.Enqueue(fault);
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (RequestLogLimit > 0)
            {
                Requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                    context.Request.Headers.Authorization.ToString(), context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
                while (Requests.Count > RequestLogLimit && Requests.TryDequeue(out _))
                {
                }
            }
            if (Limit is { } limit && !Admit(limit, context.Response))
            {
                Interlocked.Increment(ref _limited);
                context.Response.StatusCode = 429;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"error":"rate_limited"}""");
                return;
            }
            var fault = _faults.TryDequeue(out var queued) ? queued : FaultPicker?.Invoke(context.Request);
            if (fault is not null)
            {
                context.Response.StatusCode = fault.Status;
                context.Response.ContentType = fault.ContentType;
                foreach (var (name, value) in fault.Headers) context.Response.Headers[name] = value;
                await context.Response.WriteAsync(fault.Body);
                return;
            }
            await next(context);
        });
        Map(app);
        await app.StartAsync();
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Origin = new Uri(address);
    }

    /// <summary>Counts the request in its window and writes the limit headers; false past the limit.</summary>
    private bool Admit(RequestLimit limit, HttpResponse response)
    {
        var now = limit.Clock.GetUtcNow();
        var window = now.ToUnixTimeMilliseconds() / (long)limit.Window.TotalMilliseconds;
        int count;
        lock (_windowLock)
        {
            if (window != _window) (_window, _inWindow) = (window, 0);
            count = ++_inWindow;
        }
        var end = DateTimeOffset.FromUnixTimeMilliseconds((window + 1) * (long)limit.Window.TotalMilliseconds);
        var reset = limit.EpochReset ? end.ToUnixTimeSeconds() : (long)Math.Ceiling((end - now).TotalSeconds);
        response.Headers["X-RateLimit-Limit"] = limit.Requests.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = Math.Max(0, limit.Requests - count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (count <= limit.Requests) return true;
        response.Headers.RetryAfter = Math.Ceiling((end - now).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return false;
    }

    /// <summary>Whether <paramref name="request"/> is for a token endpoint (its path names "token"), which the fault
    /// pickers (<see cref="RandomFaults"/>, <see cref="OutageWindow"/>) spare: their faults are of the API, not of the
    /// credentials.</summary>
    public static bool IsTokenRequest(HttpRequest request) =>
        request.Path.Value is { } path && path.Contains("token", StringComparison.OrdinalIgnoreCase);

    /// <summary>Maps the provider's endpoints.</summary>
    protected abstract void Map(WebApplication app);

    /// <summary>The page size to serve: what was asked, capped by the provider's maximum and by <see cref="PageSizeCap"/>.</summary>
    protected int Served(int asked, int providerMax)
    {
        var size = Math.Min(asked, providerMax);
        return PageSizeCap > 0 ? Math.Min(size, PageSizeCap) : size;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>A request a double received.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, string Authorization, IReadOnlyDictionary<string, string> Headers);
