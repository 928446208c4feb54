using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary><see cref="RequestBudget"/> on a fake clock: the header pause is bounded by Engine:MaxRateLimitWait, an
/// override's new size applies at once, and idle connections are forgotten so the table stays bounded.</summary>
public sealed class RequestBudgetTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RequestBudget _budget;

    public RequestBudgetTests() =>
        _budget = new RequestBudget(Options.Create(new EngineOptions { MaxRateLimitWait = TimeSpan.FromSeconds(5) }), _clock,
            NullLogger<RequestBudget>.Instance);

    private static EngineConnection Connection(string key) =>
        new() { TenantId = 1, AccountId = 1, ProviderId = 1, ConnectionId = 1, CredentialKey = key };

    private static RateLimitDefinition Budget(int? requests = null, int? perSeconds = null, int? minRemaining = null) =>
        new() { Budget = new RequestBudgetDefinition { Requests = requests, PerSeconds = perSeconds, MinRemaining = minRemaining } };

    /// <summary>Acquires for a background call, moving the clock while it waits; returns the time waited.</summary>
    private async Task<TimeSpan> BackgroundAsync(EngineConnection connection, RateLimitDefinition rateLimit)
    {
        var acquire = _budget.AcquireAsync(connection, rateLimit, CallContext.Background, default).AsTask();
        while (!acquire.IsCompleted)
        {
            if (_budget.Waiting > 0) _clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(acquire, Task.Delay(1));
        }
        return await acquire;
    }

    [Fact]
    public async Task AcquireAsync_HeaderPauseLongerThanMaxRateLimitWait_WaitsOnlyThatLong()
    {
        var connection = Connection("a");
        var rateLimit = Budget(minRemaining: 2);
        _budget.Observe(connection, rateLimit, new RateLimitSnapshot(100, 1, TimeSpan.FromHours(1)));

        Assert.Equal(TimeSpan.FromSeconds(5), await BackgroundAsync(connection, rateLimit));
        Assert.Equal(TimeSpan.Zero, await BackgroundAsync(connection, rateLimit)); // the pause was sat out
    }

    [Fact]
    public async Task Observe_RemainingAboveTheThreshold_DoesNotPause()
    {
        var connection = Connection("a");
        var rateLimit = Budget(minRemaining: 2);
        _budget.Observe(connection, rateLimit, new RateLimitSnapshot(100, 3, TimeSpan.FromSeconds(30)));

        Assert.Equal(TimeSpan.Zero, await BackgroundAsync(connection, rateLimit));
    }

    [Fact]
    public async Task AcquireAsync_BudgetShrunkByAnOverride_AppliesAtOnce()
    {
        var connection = Connection("a");
        for (var i = 0; i < 3; i++) Assert.Equal(TimeSpan.Zero, await BackgroundAsync(connection, Budget(10, 60)));

        Assert.Equal(TimeSpan.FromSeconds(60), await BackgroundAsync(connection, Budget(3, 60)));
    }

    [Fact]
    public async Task AcquireAsync_OtherConnection_HasItsOwnBudget()
    {
        Assert.Equal(TimeSpan.Zero, await BackgroundAsync(Connection("a"), Budget(1, 60)));

        Assert.Equal(TimeSpan.Zero, await BackgroundAsync(Connection("b"), Budget(1, 60)));
        Assert.Equal(TimeSpan.FromSeconds(60), await BackgroundAsync(Connection("a"), Budget(1, 60)));
    }

    [Fact]
    public async Task Tracked_IdleConnections_AreForgottenOnceManyAreTracked()
    {
        var rateLimit = Budget(5, 1);
        for (var i = 0; i < RequestBudget.SweepAbove; i++)
            await _budget.AcquireAsync(Connection($"old-{i}"), rateLimit, CallContext.Interactive, default);
        Assert.Equal(RequestBudget.SweepAbove, _budget.Tracked);
        _clock.Advance(TimeSpan.FromSeconds(2)); // every window is empty now

        await _budget.AcquireAsync(Connection("new"), rateLimit, CallContext.Interactive, default);

        Assert.Equal(1, _budget.Tracked);
    }
}
