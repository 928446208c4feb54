using System.Net;
using System.Net.Sockets;
using System.Text;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Api.Tests.Operations;

/// <summary>
/// One shape for every error, whoever makes it (our handlers, model binding, routing, status-code pages, the server's
/// own limits): status, title, detail, type on one URL scheme, traceId, and errors naming the field at fault.
/// <see cref="TestHttp.AssertProblemAsync"/> checks the shape; these cases are the framework's own errors.
/// </summary>
public sealed class ProblemShapeTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    [Theory]
    [InlineData("/v1/accounts?limit=abc", "limit")]
    [InlineData("/v1/accounts?limit=99999999999999", "limit")]
    [InlineData("/v1/connections?limit=1.5", "limit")]
    [InlineData("/v1/accounts?limit=0", "limit")]
    [InlineData("/v1/accounts?cursor=%25%25%25", "cursor")]
    [InlineData("/v1/accounts/acct-1/events?from=yesterday", "from")]
    [InlineData("/v1/accounts/acct-1/events?to=2025-13-45T99:00:00Z", "to")]
    [InlineData("/v1/accounts/acct-1/events?limit=ten", "limit")]
    [InlineData("/v1/accounts/acct-1/events?kind=click", "kind")]
    [InlineData("/v1/accounts/acct-1/events?from=2025-06-02T00:00:00Z&to=2025-06-01T00:00:00Z", "to")]
    public async Task BadQueryParameter_NamesItAsTheField(string path, string field)
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.GetAsync(path);
        var problem = await TestHttp.AssertProblemWithFieldAsync(response, HttpStatusCode.BadRequest, field);
        // Our words, not the framework's: no .NET type names.
        Assert.DoesNotContain("Nullable", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("System.", problem.GetRawText());
    }

    [Theory]
    [InlineData("/v1/accounts")]
    [InlineData("/v1/connections")]
    [InlineData("/v1/support-tickets")]
    [InlineData("/v1/survey-responses")]
    [InlineData("/v1/events")]
    [InlineData("/v1/keys")]
    public async Task WrongContentType_Is415NamingContentType(string path)
    {
        using var client = fixture.Host.Client(path == "/v1/keys" ? await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Admin) : fixture.Key);
        using var response = await client.PostAsync(path, TestHttp.Raw("[]"u8.ToArray(), "text/plain"));
        var problem = await TestHttp.AssertProblemWithFieldAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.Contains("text/plain", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task MalformedJsonOnKeys_Is400NamingTheBody()
    {
        using var client = fixture.Host.Client(await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Admin));
        using var response = await client.PostAsync("/v1/keys", TestHttp.Json("{\"scopes\":[\"read\""));
        await TestHttp.AssertProblemWithFieldAsync(response, HttpStatusCode.BadRequest, "$");
    }

    [Theory]
    [InlineData("GET", "/v1/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/v1/keys/not-a-number", HttpStatusCode.NotFound)]
    [InlineData("PUT", "/v1/events", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", "/v1/accounts", HttpStatusCode.MethodNotAllowed)]
    public async Task RoutingErrors_HaveADetail(string method, string path, HttpStatusCode status)
    {
        using var client = fixture.Host.Client(await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Admin));
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var problem = await TestHttp.AssertProblemAsync(response, status);
        Assert.Contains(path.Split('?')[0], problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("text/html,application/xhtml+xml")]
    [InlineData("image/png")]
    public async Task Unauthorized_ClientAcceptingOnlyOtherTypes_StillGetsAProblemNot500(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await fixture.Host.Client().SendAsync(request);
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LongRequestTarget_Is414WithABody()
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.GetAsync("/v1/accounts?account=" + new string('a', 9000));
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong);
    }

    [Fact]
    public async Task LargeHeaders_Are431WithABody()
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var big = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts");
        big.Headers.Add("X-Big", new string('b', 40_000));
        using var many = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts");
        for (var i = 0; i < 150; i++) many.Headers.Add($"X-Many-{i}", "1");

        using var bigResponse = await client.SendAsync(big);
        using var manyResponse = await client.SendAsync(many);

        await TestHttp.AssertProblemAsync(bigResponse, HttpStatusCode.RequestHeaderFieldsTooLarge);
        await TestHttp.AssertProblemAsync(manyResponse, HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    [Fact]
    public async Task BeyondTheServersOwnLimits_StillTheRightStatus()
    {
        // Past twice our limits Kestrel refuses the request before the application, with no body: still 414/431, not 500.
        using var client = fixture.Host.Client(fixture.Key);
        using var target = await client.GetAsync("/v1/accounts?account=" + new string('a', 20_000));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts");
        request.Headers.Add("X-Big", new string('b', 70_000));
        using var headers = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestUriTooLong, target.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, headers.StatusCode);
    }

    [Fact]
    public async Task MalformedRequestLine_IsRefusedByTheServerNotAnError()
    {
        // A request line no parser accepts: Kestrel's plain 400 (nothing of ours runs), and nothing logged as an error.
        using var socket = new TcpClient();
        await socket.ConnectAsync(fixture.Host.BaseAddress.Host, fixture.Host.BaseAddress.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /v1/accounts/a%00b HTTP/1.1\r\nHost: x\r\n\r\n"));
        var buffer = new byte[512];
        var read = await stream.ReadAsync(buffer);
        Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, read));
        Assert.DoesNotContain(fixture.Host.LogLines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }
}
