using System.Net;
using System.Text.Json;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Proxy;

namespace IntegrationHealth.Engine.Tests.Proxy;

/// <summary>
/// Server-side request forgery: the proxy judges the address it is about to connect to, so every spelling of loopback,
/// link-local, private and unspecified addresses is refused by default, however the definition or connection wrote
/// the host. The upstream listens on 127.0.0.1, so a refused call provably never reached it.
/// </summary>
public sealed class DestinationGuardTests : IAsyncLifetime
{
    private readonly EchoDouble _upstream = new();

    public Task InitializeAsync() => _upstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private int Port => _upstream.Origin.Port;

    public static TheoryData<string> LoopbackSpellings => new()
    {
        "127.0.0.1", "127.1", "0x7f000001", "2130706433", "0177.0.0.1", "127.0.0.2", "[::1]", "[::ffff:127.0.0.1]", "[0:0:0:0:0:ffff:7f00:1]", "localhost", "0.0.0.0",
    };

    [Theory]
    [MemberData(nameof(LoopbackSpellings))]
    public async Task Forward_LoopbackInAnySpelling_IsRefusedByDefault(string host)
    {
        await using var proxy = await ProxyHost.StartAsync();
        await proxy.ConnectAsync(ProxyDefinitions.Bearer($"http://{host}:{Port}/base"), ConnectionCredentials.Of(("token", "t")));
        using var client = proxy.Client();

        using var response = await client.GetAsync("/p/echo/x");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("may not connect to", problem.GetProperty("detail").GetString());
        Assert.Empty(_upstream.Requests);
        Assert.DoesNotContain("Bearer t", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("127.1")]
    [InlineData("0x7f000001")]
    [InlineData("2130706433")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task Forward_LoopbackAllowedBySetting_ReachesTheUpstream(string host)
    {
        await using var proxy = await ProxyHost.StartAsync(new Dictionary<string, string?> { ["Engine:Proxy:AllowedNetworks:0"] = "127.0.0.1/32" });
        await proxy.ConnectAsync(ProxyDefinitions.Bearer($"http://{host}:{Port}/base"), ConnectionCredentials.Of(("token", "t")));
        using var client = proxy.Client();

        using var response = await client.GetAsync("/p/echo/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_upstream.Requests);
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("[fe80::1]")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("[fd00::1]")]
    public async Task Forward_LinkLocalAndPrivate_AreRefusedEvenWithLoopbackAllowed(string host)
    {
        await using var proxy = await ProxyHost.StartAsync(new Dictionary<string, string?> { ["Engine:Proxy:AllowedNetworks:0"] = "127.0.0.1/32" });
        await proxy.ConnectAsync(ProxyDefinitions.Bearer($"http://{host}/latest/meta-data"), ConnectionCredentials.Of(("token", "t")));
        using var client = proxy.Client();

        using var response = await client.GetAsync("/p/iam/security-credentials");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("may not connect to", await response.Content.ReadAsStringAsync());
        var e = Assert.Single(await proxy.TelemetryAsync());
        Assert.Null(e.HttpStatus);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.255.255.254", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("fe80::abcd", false)]
    [InlineData("fc00::1", false)]
    [InlineData("10.255.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("64:ff9b::7f00:1", false)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c", true)]
    public void IsAllowed_ByDefault_RefusesInternalAddresses(string address, bool allowed)
    {
        var guard = new DestinationGuard([]);

        Assert.Equal(allowed, guard.IsAllowed(IPAddress.Parse(address)));
    }

    [Fact]
    public void IsAllowed_AllowedNetwork_OpensOnlyThatNetwork()
    {
        var guard = new DestinationGuard([IPNetwork.Parse("10.20.0.0/16")]);

        Assert.True(guard.IsAllowed(IPAddress.Parse("10.20.3.4")));
        Assert.True(guard.IsAllowed(IPAddress.Parse("::ffff:10.20.3.4")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("10.21.0.1")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("127.0.0.1")));
    }
}
