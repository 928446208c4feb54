using System.Net;
using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;

namespace IntegrationHealth.Engine.Tests.Proxy;

/// <summary>The proxy is a request path: it never waits for the connection's request budget, but its calls count in it.</summary>
public sealed class ProxyBudgetTests : IAsyncLifetime
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

    [Fact]
    public async Task Forward_BudgetSpent_IsNotDelayed_AndTheCallsCount()
    {
        var definition = JsonNode.Parse(ProxyDefinitions.Bearer($"http://127.0.0.1:{_upstream.Origin.Port}/base"))!.AsObject();
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
