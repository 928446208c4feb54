using System.Diagnostics;
using System.Net;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Engine.Telemetry;
using IntegrationHealth.Engine.Unified;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace IntegrationHealth.Engine.Proxy;

/// <summary>How a proxied call ended: the status we answered, and whether the provider answered at all.</summary>
public sealed record ProxyOutcome(int Status, bool UpstreamAnswered);

/// <summary>
/// Raw passthrough to a connection's provider, on YARP's <see cref="IHttpForwarder"/> (bodies streamed both ways,
/// hop-by-hop headers dropped by the forwarder): the path goes under the definition's base URL (after templating and
/// any origin override), so the host is always the provider's; the caller's own credentials and cookies are removed
/// and the connection's credential injected as the definition says; no redirect is followed, and one pointing to
/// another origin is refused; every address is checked at connect time by <see cref="DestinationGuard"/>. The
/// provider's rate-limit headers are added in their IETF form, and each call is one telemetry event named by its
/// endpoint template.
/// </summary>
public sealed class ConnectionProxy : IDisposable
{
    /// <summary>The resource name proxied calls carry in telemetry and in credential lookups.</summary>
    public const string Resource = "proxy";

    /// <summary>Request headers that carry the caller's own credentials or state, never forwarded.</summary>
    private static readonly string[] CallerHeaders =
        ["Authorization", "Proxy-Authorization", "X-Api-Key", "Api-Key", "Cookie", "Cookie2", "Idempotency-Key", "Forwarded",
         "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Real-IP"];

    private readonly IHttpForwarder _forwarder;
    private readonly IAccessTokenSource _tokens;
    private readonly IEngineTelemetry _telemetry;
    private readonly RequestBudget _budget;
    private readonly IOptions<EngineOptions> _engineOptions;
    private readonly ProxyOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ConnectionProxy> _logger;
    private readonly EngineEvents _events;
    private readonly HttpMessageInvoker _client;

    public ConnectionProxy(IHttpForwarder forwarder, IAccessTokenSource tokens, IEngineTelemetry telemetry, RequestBudget budget,
        IOptions<EngineOptions> engineOptions, IOptions<ProxyOptions> options, TimeProvider time, ILogger<ConnectionProxy> logger)
    {
        _forwarder = forwarder;
        _tokens = tokens;
        _telemetry = telemetry;
        _budget = budget;
        _engineOptions = engineOptions;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _events = new EngineEvents(time);
        Guard = new DestinationGuard(_options.ParsedAllowedNetworks());
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectCallback = Guard.ConnectAsync,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = _options.MaxConnectionsPerServer,
            ActivityHeadersPropagator = null,
            EnableMultipleHttp2Connections = true,
        }, disposeHandler: true);
    }

    /// <summary>The address rules this proxy connects under.</summary>
    public DestinationGuard Guard { get; }

    /// <summary>
    /// Forwards the request in <paramref name="context"/> to <paramref name="rawPath"/> (relative to the provider's base
    /// URL, percent-encoded as the caller sent it, without the leading '/') for <paramref name="connection"/>, writing the
    /// provider's answer (or our problem) to the response.
    /// </summary>
    public async Task<ProxyOutcome> ForwardAsync(HttpContext context, ResolvedConnection connection, string rawPath)
    {
        var provider = connection.Provider;
        var engine = connection.Engine;
        if (!TryRelativePath(rawPath, out var relative, out var decoded, out var pathProblem)) return await ProblemAsync(context, 400, pathProblem, "path");

        Uri baseUri;
        ConnectionCredentials credentials;
        try
        {
            baseUri = UpstreamRequestBuilder.BaseUri(provider, engine, Resource, _engineOptions.Value);
            credentials = await _tokens.GetAsync(provider, engine, Resource, forceRefresh: false, context.RequestAborted);
        }
        catch (EngineCallException e)
        {
            var problem = UpstreamProblems.For(e);
            if (e is UpstreamCallException u) RateLimitHeaders.Write(context.Response.Headers, u.RateLimit, problem.Status ?? 502, u.Classification.Wait);
            await TypedResults.Problem(problem).ExecuteAsync(context);
            return new ProxyOutcome(problem.Status ?? 502, false);
        }

        var target = Target(baseUri, relative, context.Request.QueryString);
        var template = ProxyEndpointTemplate.Of(provider, decoded);
        var transformer = new Transformer(provider, engine, credentials, target, baseUri, _time);
        // The request path never waits for the budget, but counts in it (and its headers pace background calls).
        await _budget.AcquireAsync(engine, provider.Definition.RateLimit, CallContext.Interactive, context.RequestAborted);
        var started = Stopwatch.GetTimestamp();
        var error = await _forwarder.SendAsync(context, target.GetLeftPart(UriPartial.Authority), _client,
            new ForwarderRequestConfig { ActivityTimeout = _options.ActivityTimeout, AllowResponseBuffering = false }, transformer);
        var latency = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        int? status = transformer.UpstreamStatus;
        ErrorClass errorClass;
        if (error == ForwarderError.None || transformer.UpstreamStatus is not null)
        {
            errorClass = ClassOf(transformer.UpstreamStatus ?? context.Response.StatusCode);
            if (transformer.RefusedRedirect) errorClass = ErrorClass.Other;
        }
        else
        {
            var exception = context.GetForwarderErrorFeature()?.Exception;
            var refused = Find<DestinationRefusedException>(exception);
            errorClass = refused is not null ? ErrorClass.Other
                : error is ForwarderError.RequestTimedOut ? ErrorClass.Timeout
                : error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled ? ErrorClass.Other
                : ErrorClass.Network;
            EngineLog.ProxyFailed(_logger, engine.ConnectionId, provider.Key, template, error.ToString(), refused is not null);
            if (!context.Response.HasStarted)
            {
                context.Response.Headers.Clear();
                var (code, detail) = refused is not null
                    ? (502, $"The provider's host resolves to an address the proxy may not connect to ({AddressKind(refused.Address)}); see Engine:Proxy:AllowedNetworks.")
                    : error is ForwarderError.RequestTimedOut
                        ? (504, "The provider did not answer in time.")
                        : error is ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled or ForwarderError.RequestCanceled
                            ? (400, "The request body could not be read to the end.")
                            : (502, "The provider could not be reached.");
                await ProblemAsync(context, code, detail);
            }
        }
        _budget.Observe(engine, provider.Definition.RateLimit, transformer.RateLimit);
        _telemetry.Record(_events.Request(engine, Resource, new HttpMethod(context.Request.Method), status, latency, errorClass, transformer.RateLimit), template);
        return new ProxyOutcome(context.Response.StatusCode, transformer.UpstreamStatus is not null);
    }

    /// <summary>
    /// Checks the caller's path (raw, percent-encoded as sent): no segment may decode to '.' or '..', hold a backslash
    /// (some servers read it as '/') or a control character. The raw text then goes upstream as it is, so an encoded
    /// slash stays encoded.
    /// </summary>
    internal static bool TryRelativePath(string rawPath, out string relative, out string decoded, out string problem)
    {
        relative = decoded = problem = "";
        var segments = rawPath.Split('/');
        var plain = new List<string>(segments.Length);
        foreach (var segment in segments)
        {
            string text;
            try
            {
                text = Uri.UnescapeDataString(segment);
            }
            catch (UriFormatException)
            {
                text = segment;
            }
            if (text is "." or ".." || text.Contains('\\') || text.Any(char.IsControl) || segment.Any(c => c > '~' || c <= ' '))
            {
                problem = "The proxied path may not contain '.' or '..' segments, backslashes, spaces, control or non-ASCII characters (percent-encode them).";
                return false;
            }
            plain.Add(text);
        }
        relative = "/" + rawPath;
        decoded = "/" + string.Join('/', plain);
        return true;
    }

    /// <summary>The base URL's path joined with the caller's, the base URL's query followed by the caller's.</summary>
    internal static Uri Target(Uri baseUri, string relative, QueryString query)
    {
        var basePath = baseUri.AbsolutePath.TrimEnd('/');
        var baseQuery = baseUri.Query.TrimStart('?');
        var callerQuery = query.HasValue ? query.Value![1..] : "";
        var combined = string.Join('&', new[] { baseQuery, callerQuery }.Where(q => q.Length > 0));
        var uri = new UriBuilder(baseUri) { Path = "", Query = "" }.Uri.GetLeftPart(UriPartial.Authority)
            + basePath + relative + (combined.Length > 0 ? "?" + combined : "");
        var target = new Uri(uri, UriKind.Absolute);
        // Built from the base URL, so the authority is the provider's; checked anyway, as the one rule that matters here.
        if (!SameOrigin(target, baseUri)) throw new InvalidOperationException("A proxied URL left the provider's origin.");
        return target;
    }

    internal static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static ErrorClass ClassOf(int status) => status switch
    {
        429 => ErrorClass.RateLimited,
        >= 500 => ErrorClass.Server5xx,
        >= 400 => ErrorClass.Client4xx,
        _ => ErrorClass.None,
    };

    private static string AddressKind(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return "loopback";
        if (address.IsIPv6LinkLocal || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.GetAddressBytes() is [169, 254, ..]))
            return "link-local";
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return "unspecified";
        return "private or reserved";
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }

    private static async Task<ProxyOutcome> ProblemAsync(HttpContext context, int status, string detail, string? field = null)
    {
        await TypedResults.Problem(Web.Http.Problems.Create(status, detail, field: field)).ExecuteAsync(context);
        return new ProxyOutcome(status, false);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>One call's request and response edits.</summary>
    private sealed class Transformer(LoadedProvider provider, EngineConnection connection, ConnectionCredentials credentials, Uri target, Uri baseUri, TimeProvider time)
        : HttpTransformer
    {
        public int? UpstreamStatus { get; private set; }
        public RateLimitSnapshot RateLimit { get; private set; } = RateLimitSnapshot.None;
        public bool RefusedRedirect { get; private set; }

        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
            CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.RequestUri = target;
            proxyRequest.Headers.Host = null; // the provider's own host, from the URI
            // Headers the caller's Connection header lists are hop-by-hop too (RFC 9110 7.6.1).
            foreach (var value in httpContext.Request.Headers.Connection)
                foreach (var token in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    RemoveHeader(proxyRequest, token);
            foreach (var name in CallerHeaders) RemoveHeader(proxyRequest, name);
            // The header the definition injects its credential into is the connection's, whatever the caller sent.
            if ((provider.Definition.Auth.Inject ?? AuthKinds.DefaultInjection(provider.Definition.Auth.Kind))?.Header is { } injected)
                proxyRequest.Headers.Remove(injected);
            foreach (var (name, template) in provider.Definition.Headers)
            {
                proxyRequest.Headers.Remove(name);
                proxyRequest.Headers.TryAddWithoutValidation(name, PlaceholderTemplate.Parse(template).Render(n => UpstreamRequestBuilder.ConnectionValue(provider, connection, Resource, n)));
            }
            CredentialInjector.Apply(proxyRequest, provider, Resource, credentials);
        }

        /// <summary>Removes a header from the request or its content, whichever holds it (each refuses the other's names).</summary>
        private static void RemoveHeader(HttpRequestMessage request, string name)
        {
            try
            {
                request.Headers.Remove(name);
            }
            catch (InvalidOperationException)
            {
                // A content header name (or not a valid name at all).
            }
            try
            {
                request.Content?.Headers.Remove(name);
            }
            catch (InvalidOperationException)
            {
                // A request header name.
            }
        }

        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
            CancellationToken cancellationToken)
        {
            if (proxyResponse is null) return await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
            var status = (int)proxyResponse.StatusCode;
            UpstreamStatus = status;
            RateLimit = RateLimitReader.Read(provider.Definition.RateLimit, proxyResponse.Headers, time.GetUtcNow());

            if (status is >= 300 and < 400 && proxyResponse.Headers.Location is { } location
                && (!Uri.TryCreate(target, location, out var to) || !SameOrigin(to, baseUri)))
            {
                // Not followed by us; not handed on either, so a client following it never learns a path we would refuse.
                RefusedRedirect = true;
                httpContext.Response.StatusCode = 502;
                await TypedResults.Problem(Web.Http.Problems.Create(502,
                    $"The provider answered {status} with a redirect to another origin; the proxy follows no redirect and hands on none that leaves the provider's host.",
                    "The provider redirected elsewhere.")).ExecuteAsync(httpContext);
                return false;
            }

            await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
            var headers = httpContext.Response.Headers;
            headers.Remove("Set-Cookie"); // the provider's cookies are not the caller's to keep
            RateLimitHeaders.Write(headers, RateLimit, status);
            return true;
        }
    }
}
