using System.Text.Json;

namespace IntegrationHealth.Demo.Tests;

public sealed class TrafficSimulatorTests
{
    private static readonly HashSet<string> EventFields =
    [
        "id", "kind", "occurredAt", "account", "provider", "connection", "resource", "method", "status", "latencyMs", "outcome",
        "errorClass", "records", "rateLimitRemaining", "rateLimitLimit", "userId",
    ];

    private static SimulationOptions Options(Uri target) => new()
    {
        Target = target,
        ApiKey = "ih_test_key",
        Rate = 2_000,
        Duration = TimeSpan.FromSeconds(1),
        BatchSize = 250,
        Accounts = 6,
        Workers = 3,
    };

    [Fact]
    public async Task RunAsync_HealthyServer_UpsertsSimAccountsThenPostsAllEventsInWireFormat()
    {
        await using var server = new RecordingServer();

        var report = await TrafficSimulator.RunAsync(Options(server.BaseAddress));

        var accounts = server.Posted("/v1/accounts").ToList();
        Assert.Equal(6, accounts.Count);
        Assert.All(accounts, a => Assert.StartsWith("sim-", a.GetProperty("externalId").GetString()));
        var connections = server.Posted("/v1/connections").ToList();
        Assert.InRange(connections.Count, 6, 36);
        Assert.All(connections, c => Assert.StartsWith("sim-conn-", c.GetProperty("externalId").GetString()));
        var accountIds = accounts.Select(a => a.GetProperty("externalId").GetString()).ToHashSet();
        var connectionIds = connections.Select(c => c.GetProperty("externalId").GetString()).ToHashSet();

        var events = server.Posted("/v1/events").ToList();
        // At most rate × duration; fewer only if this machine is so loaded that batches fall behind the run's end.
        Assert.InRange(events.Count, 250, 2_000);
        Assert.Equal(events.Count, report.EventsSent);
        Assert.Equal(events.Count, report.Accepted);
        Assert.Equal(0, report.FailedRequests);
        Assert.Null(report.FirstError);
        Assert.Equal(events.Count, events.Select(e => e.GetProperty("id").GetGuid()).Distinct().Count());
        var now = DateTimeOffset.UtcNow;
        Assert.All(events, e =>
        {
            Assert.All(e.EnumerateObject(), p => Assert.Contains(p.Name, EventFields));
            Assert.Contains(e.GetProperty("account").GetString(), accountIds);
            Assert.Contains(e.GetProperty("connection").GetString(), connectionIds);
            var at = e.GetProperty("occurredAt").GetDateTimeOffset();
            Assert.True(at <= now && at > now.AddMinutes(-1), $"occurredAt {at:O} is not 'now'");
            // Time-ordered UUIDv7 ids (what the API recommends): version 7, the 48-bit prefix the event's Unix ms.
            var id = e.GetProperty("id").GetGuid().ToString("N");
            Assert.Equal('7', id[12]);
            Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(id[..12], 16));
        });
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("Bearer ih_test_key", r.Authorization);
            Assert.StartsWith("application/json", r.ContentType);
        });
        Assert.All(server.Requests.Where(r => r.Path == "/v1/events"), r => Assert.InRange(r.Body.RootElement.GetArrayLength(), 1, 250));
    }

    [Fact]
    public async Task RunAsync_SameSeedTwice_SameAccountsButFreshEventIds()
    {
        await using var server = new RecordingServer();
        await TrafficSimulator.RunAsync(Options(server.BaseAddress) with { Rate = 500 });
        var firstIds = server.Posted("/v1/events").Select(e => e.GetProperty("id").GetGuid()).ToHashSet();
        var firstAccounts = server.Posted("/v1/accounts").Select(a => a.GetRawText()).ToList();
        while (server.Requests.TryDequeue(out _))
        {
        }

        await TrafficSimulator.RunAsync(Options(server.BaseAddress) with { Rate = 500 });

        Assert.Equal(firstAccounts, server.Posted("/v1/accounts").Select(a => a.GetRawText()));
        Assert.DoesNotContain(server.Posted("/v1/events"), e => firstIds.Contains(e.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task RunAsync_EventsRefused_CountsFailuresAndKeepsFirstError()
    {
        await using var server = new RecordingServer(path => path == "/v1/events" ? 503 : null);

        var report = await TrafficSimulator.RunAsync(Options(server.BaseAddress) with { Rate = 1_000 });

        Assert.Equal(0, report.Accepted);
        Assert.True(report.FailedRequests >= 1);
        Assert.Equal(server.Requests.Count(r => r.Path == "/v1/events"), report.FailedRequests);
        Assert.Contains("503", report.FirstError);
    }

    [Fact]
    public async Task RunAsync_AccountUpsertRefused_ClearInvalidOperationException()
    {
        await using var server = new RecordingServer(path => path == "/v1/accounts" ? 401 : null);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TrafficSimulator.RunAsync(Options(server.BaseAddress)));

        Assert.Contains("401", ex.Message);
        Assert.Contains("/v1/accounts", ex.Message);
        Assert.Empty(server.Posted("/v1/events"));
    }

    [Fact]
    public async Task RunAsync_NothingListening_ClearInvalidOperationException()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => TrafficSimulator.RunAsync(Options(new Uri($"http://127.0.0.1:{port}/"))));

        Assert.Contains($"127.0.0.1:{port}", ex.Message);
    }

    [Fact]
    public async Task RunAsync_RateBelowBatchSize_BatchesOfAboutOneSecond()
    {
        await using var server = new RecordingServer();

        await TrafficSimulator.RunAsync(Options(server.BaseAddress) with { Rate = 40, BatchSize = 1_000, Duration = TimeSpan.FromSeconds(2) });

        var batches = server.Requests.Where(r => r.Path == "/v1/events").Select(r => r.Body.RootElement.GetArrayLength()).ToList();
        Assert.NotEmpty(batches);
        Assert.All(batches, n => Assert.InRange(n, 1, 40));
        Assert.True(batches.Sum() <= 80);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsAndReturnsPartialReport()
    {
        await using var server = new RecordingServer();
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Stage == "simulate" && p.Done > 0)
            {
                cts.Cancel();
            }
        });

        var report = await TrafficSimulator.RunAsync(
            Options(server.BaseAddress) with { Rate = 500, Duration = TimeSpan.FromMinutes(10), ProgressInterval = TimeSpan.FromMilliseconds(50) },
            progress, cts.Token);

        Assert.True(cts.IsCancellationRequested);
        Assert.True(report.EventsSent < 500 * 600, "the run should have stopped long before its 10 minutes");
    }

    [Fact]
    public async Task RunAsync_BadOptions_ArgumentException()
    {
        var good = Options(new Uri("http://127.0.0.1:9/"));
        await Assert.ThrowsAsync<ArgumentException>(() => TrafficSimulator.RunAsync(good with { Rate = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => TrafficSimulator.RunAsync(good with { BatchSize = 20_000 }));
        await Assert.ThrowsAsync<ArgumentException>(() => TrafficSimulator.RunAsync(good with { ApiKey = "" }));
        await Assert.ThrowsAsync<ArgumentException>(() => TrafficSimulator.RunAsync(good with { Target = new Uri("ftp://127.0.0.1/") }));
    }

    private sealed class SyncProgress(Action<DemoProgress> onReport) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => onReport(value);
    }
}
