using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;

namespace IntegrationHealth.Engine.Tests.Proxy;

/// <summary>The proxy against a real upstream on 127.0.0.1 (allowed explicitly, as loopback is refused by default).</summary>
public sealed class ProxyTests : IAsyncLifetime
{
    private readonly EchoDouble _upstream = new();
    private ProxyHost _proxy = null!;

    public async Task InitializeAsync()
    {
        await _upstream.StartAsync();
        _proxy = await ProxyHost.StartAsync(new Dictionary<string, string?> { ["Engine:Proxy:AllowedNetworks:0"] = "127.0.0.1/32" });
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private string Base => $"http://127.0.0.1:{_upstream.Origin.Port}/base";

    private Task ConnectBearerAsync() => _proxy.ConnectAsync(ProxyDefinitions.Bearer(Base), ConnectionCredentials.Of(("token", "connection-token")));

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Forward_CallerCredentialsAndHopByHopHeaders_AreStrippedAndTheConnectionsTokenInjected()
    {
        await ConnectBearerAsync();
        using var client = _proxy.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p/echo/a%2Fb/c?x=1&y=two");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "callers-own-key");
        request.Headers.Add("X-Api-Key", "callers-api-key");
        request.Headers.Add("Cookie", "session=caller");
        request.Headers.Add("Proxy-Authorization", "Basic abc");
        request.Headers.Add("X-Custom", "kept");
        request.Headers.Add("X-Hop", "listed-in-connection");
        request.Headers.Connection.Add("X-Hop");
        request.Headers.Add("Keep-Alive", "timeout=5");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await JsonAsync(response);
        var headers = echo.GetProperty("headers");
        Assert.Equal("Bearer connection-token", headers.GetProperty("authorization").GetString());
        Assert.Equal("kept", headers.GetProperty("x-custom").GetString());
        foreach (var gone in new[] { "x-api-key", "cookie", "proxy-authorization", "x-hop", "keep-alive", "te" })
            Assert.False(headers.TryGetProperty(gone, out _), $"{gone} was forwarded");
        Assert.Equal($"127.0.0.1:{_upstream.Origin.Port}", headers.GetProperty("host").GetString());
        Assert.Equal("?x=1&y=two", echo.GetProperty("query").GetString());
        // The encoded slash stays one segment upstream (the raw path goes as the caller encoded it).
        Assert.Equal("/base/echo/a%2Fb/c", _upstream.Requests.Single().PathAndQuery.Split('?')[0]);
        Assert.Equal("echo", response.Headers.GetValues("X-Upstream").Single());
        Assert.False(response.Headers.Contains("Set-Cookie"), "the provider's cookie reached the caller");
    }

    [Fact]
    public async Task Forward_ApiKeyInHeader_ReplacesTheCallersHeaderOfThatName()
    {
        await _proxy.ConnectAsync(ProxyDefinitions.ApiKeyInHeader(Base), ConnectionCredentials.Of(("api_key", "connection-key")));
        using var client = _proxy.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p/echo/x");
        request.Headers.Add("X-Api-Key", "callers-key");

        using var response = await client.SendAsync(request);

        var headers = (await JsonAsync(response)).GetProperty("headers");
        Assert.Equal("connection-key", headers.GetProperty("x-api-key").GetString());
        Assert.False(headers.TryGetProperty("authorization", out _));
    }

    [Fact]
    public async Task Forward_ApiKeyInQuery_OverridesTheCallersParameterOfThatName()
    {
        await _proxy.ConnectAsync(ProxyDefinitions.ApiKeyInQuery(Base), ConnectionCredentials.Of(("api_key", "connection-key")));
        using var client = _proxy.Client();

        using var response = await client.GetAsync("/p/echo/x?api_token=callers&keep=1");

        var query = (await JsonAsync(response)).GetProperty("query").GetString();
        Assert.Equal("?keep=1&api_token=connection-key", query);
    }

    [Theory]
    [InlineData("/p/echo/%2E%2E/%2E%2E/secret")]
    [InlineData("/p/echo/a/%2e%2e/x")]
    [InlineData("/p/echo/%2e/x")]
    [InlineData("/p/echo/a%5Cb")]
    [InlineData("/p/echo/a\\b")]
    public async Task Forward_DotSegmentsOrBackslashes_AreRefusedAndNothingIsSent(string path)
    {
        await ConnectBearerAsync();

        // Sent as raw bytes: HttpClient would resolve the dot segments itself before sending.
        var status = await RawGetStatusAsync(path);

        // 400 from the proxy's own check, or 404 where the server's dot-segment removal took the path off the route.
        Assert.True(status is 400 or 404, $"status {status}");
        Assert.Empty(_upstream.Requests);
    }

    private async Task<int> RawGetStatusAsync(string target)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _proxy.Origin.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream);
        var line = await reader.ReadLineAsync();
        return int.Parse(line!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Forward_PathNamingAnotherHost_StillGoesToTheProvidersHost()
    {
        await ConnectBearerAsync();
        using var client = _proxy.Client();

        using var response = await client.GetAsync("/p/echo/http:%2F%2Fevil.example%2Fx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/base/echo/http:%2F%2Fevil.example%2Fx", Assert.Single(_upstream.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Forward_RedirectToAnotherOrigin_IsNotFollowedAndNotHandedOn()
    {
        await ConnectBearerAsync();
        using var client = _proxy.Client();

        using var response = await client.GetAsync("/p/redirect-away");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("redirect", (await JsonAsync(response)).GetProperty("detail").GetString());
        Assert.Single(_upstream.Requests); // nothing followed
    }

    [Fact]
    public async Task Forward_RedirectWithinTheProvider_IsPassedThroughNotFollowed()
    {
        await ConnectBearerAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _proxy.Origin };

        using var response = await client.GetAsync("/p/redirect-home");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/base/echo/home", response.Headers.Location?.OriginalString);
        Assert.Single(_upstream.Requests);
    }

    [Fact]
    public async Task Forward_Upstream429_PassesThroughOnceWithRetryAfterAndIetfRateLimitHeaders()
    {
        await ConnectBearerAsync();
        using var client = _proxy.Client();

        using var response = await client.GetAsync("/p/limited");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal("100", response.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("0", response.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal("30", response.Headers.GetValues("RateLimit-Reset").Single());
        Assert.Equal("slow down", (await JsonAsync(response)).GetProperty("message").GetString());
        Assert.Single(_upstream.Requests); // no hidden retry
        var e = Assert.Single(await _proxy.TelemetryAsync());
        Assert.Equal(ErrorClass.RateLimited, e.ErrorClass);
        Assert.Equal((short)429, e.HttpStatus);
    }

    [Fact]
    public async Task Forward_Success_AddsRateLimitHeadersAndRecordsATemplatedTelemetryEvent()
    {
        await ConnectBearerAsync();
        using var client = _proxy.Client();

        using (var response = await client.GetAsync("/p/counted?secret=s3cr3t"))
        {
            Assert.Equal("42", response.Headers.GetValues("RateLimit-Remaining").Single());
            Assert.Equal("12", response.Headers.GetValues("RateLimit-Reset").Single());
        }
        using (await client.GetAsync("/p/items/123456")) { }
        using (await client.GetAsync("/p/echo/4f9c2a1e-5b6d-4c3e-9a8b-7c6d5e4f3a2b/notes/88")) { }

        var events = await _proxy.TelemetryAsync();
        Assert.Equal(3, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal(TelemetryKind.Request, e.Kind);
            Assert.Equal("proxy", e.Resource);
            Assert.Equal(HttpMethodCode.Get, e.Method);
            Assert.Equal(4, e.ConnectionId);
        });
        Assert.Equal(["/counted", "/items/{id}", "/echo/{id}/notes/{id}"], events.Select(_proxy.EndpointOf));
        Assert.Equal(42, events[0].RateLimitRemaining);
        Assert.Equal(100, events[0].RateLimitLimit);
        Assert.Equal((short)200, events[0].HttpStatus);
        Assert.Equal((short)404, events[1].HttpStatus);
        Assert.Equal(ErrorClass.Client4xx, events[1].ErrorClass);
    }

    [Fact]
    public async Task Forward_GatedDownload_ReachesTheCallerBeforeTheUpstreamHasSentIt()
    {
        await ConnectBearerAsync();
        using var client = _proxy.Client();

        // The upstream sends one chunk and then waits for us: only a streaming proxy lets us see that chunk.
        using var response = await client.GetAsync("/p/download?bytes=1048576&gated=1", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[EchoDouble.Chunk];
        var first = 0;
        while (first < buffer.Length)
        {
            var n = await body.ReadAsync(buffer.AsMemory(first)).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.NotEqual(0, n);
            first += n;
        }
        _upstream.Gate.SetResult();
        long rest = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0) rest += read;

        Assert.Equal(1048576, first + rest);
    }

    [Fact]
    public async Task Forward_GatedUpload_ReachesTheUpstreamBeforeTheCallerHasSentIt()
    {
        await ConnectBearerAsync();
        using var client = _proxy.Client();
        var upstream = _upstream;
        var content = new PushContent(async stream =>
        {
            await stream.WriteAsync(new byte[EchoDouble.Chunk]);
            await stream.FlushAsync();
            // Only a streaming proxy delivers the first chunk while the rest is still unsent.
            await upstream.FirstUploadChunk.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await stream.WriteAsync(new byte[EchoDouble.Chunk]);
        });

        using var response = await client.PostAsync("/p/upload", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2 * EchoDouble.Chunk, (await JsonAsync(response)).GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task Forward_PostWithBody_IsForwardedWithItsContentType()
    {
        await ConnectBearerAsync();
        using var client = _proxy.Client();

        using var response = await client.PostAsync("/p/items", new StringContent("{\"name\":\"x\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("{\"name\":\"x\"}", (await JsonAsync(response)).GetProperty("received").GetString());
        Assert.Equal("/base/items/77", response.Headers.Location?.OriginalString);
    }

    /// <summary>A request body written by a callback, chunk by chunk, without a known length.</summary>
    private sealed class PushContent(Func<Stream, Task> write) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => write(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    internal static byte[] Hash(byte[] data) => SHA256.HashData(data);

    /// <summary>The proxy is a request path: it never waits for the connection's request budget, but its calls count in it.</summary>
    [Fact]
    public async Task Forward_BudgetSpent_IsNotDelayed_AndTheCallsCount()
    {
        var definition = JsonNode.Parse(ProxyDefinitions.Bearer(Base))!.AsObject();
        definition["rate_limit"]!["budget"] = new JsonObject { ["requests"] = 1, ["per_seconds"] = 3600 };
        var connection = await _proxy.ConnectAsync(definition.ToJsonString(), ConnectionCredentials.Of(("token", "connection-token")));
        using var client = _proxy.Client();

        // A budget of one call an hour: three proxied calls all go (a wait would outlast the client's timeout).
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/p/echo/x");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(3, _upstream.Requests.Count);

        // They spent it: a background call of the connection now waits (for the hour; given up on here).
        var budget = _proxy.Services.GetRequiredService<RequestBudget>();
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await budget.AcquireAsync(connection.Engine, connection.Provider.Definition.RateLimit, CallContext.Background, giveUp.Token));
    }
}
