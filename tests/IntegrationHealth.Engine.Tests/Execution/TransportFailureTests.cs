using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Engine.Tests.Definitions;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>No response at all: timeouts and refused connections are classified, reported, and retried only in the background.</summary>
public sealed class TransportFailureTests : IAsyncLifetime
{
    private readonly ConventionsDouble _double = new();

    public Task InitializeAsync() => _double.StartAsync();

    public async Task DisposeAsync() => await _double.DisposeAsync();

    private static Engine.Definitions.LoadedProvider Provider(string path) => TestDefinitions.Loader.Load($$"""
        {
          "key": "conventions", "name": "Conventions", "base_url": "https://api.conventions.test",
          "auth": { "kind": "bearer" },
          "resources": { "items": { "operations": { "list": { "method": "GET", "path": "{{path}}", "records": "$" } } } }
        }
        """);

    [Theory]
    [InlineData(CallContext.Interactive, 1)]
    [InlineData(CallContext.Background, 3)] // first attempt and two retries
    public async Task ListAsync_UpstreamTooSlow_IsATimeout(CallContext context, int attempts)
    {
        await using var engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["conventions"] = _double },
            new Dictionary<string, string?> { ["Engine:RequestTimeout"] = "00:00:00.300", ["Engine:BackgroundRetries"] = "2" });
        var connection = await engine.ConnectAsync(ConnectionCredentials.Of(("token", "t")));

        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () =>
            await engine.Executor.ListAsync(Provider("/items/slow"), connection, "items", new ListRequest { Context = context }).FirstAsync());

        Assert.Equal((ResponseAction.Retry, ErrorClass.Timeout), (error.Classification.Action, error.Classification.ErrorClass));
        Assert.Null(error.Status);
        var events = await engine.TelemetryAsync();
        Assert.Equal(attempts, events.Count);
        Assert.All(events, e => Assert.Equal((ErrorClass.Timeout, (short?)null, TelemetryOutcome.Failure), (e.ErrorClass, e.HttpStatus, e.Outcome)));
    }

    [Fact]
    public async Task ListAsync_ConnectionRefused_IsANetworkFailure()
    {
        var closed = new ConventionsDouble();
        await closed.StartAsync();
        var origin = closed.Origin.GetLeftPart(UriPartial.Authority);
        await closed.DisposeAsync(); // nothing listens there any more
        await using var engine = EngineHarness.Create(settings: new Dictionary<string, string?> { ["Engine:OriginOverrides:conventions"] = origin });
        var connection = await engine.ConnectAsync(ConnectionCredentials.Of(("token", "t")));

        var error = await Assert.ThrowsAsync<UpstreamCallException>(async () =>
            await engine.Executor.ListAsync(Provider("/items/next-url"), connection, "items").FirstAsync());

        Assert.Equal(ErrorClass.Network, error.Classification.ErrorClass);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(ErrorClass.Network, Assert.Single(await engine.TelemetryAsync()).ErrorClass);
    }
}
