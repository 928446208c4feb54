using System.Net;
using System.Text.Json.Nodes;
using Hangfire;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Testing.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Api.Tests.Faults;

/// <summary>A PostgreSQL cluster of the class's own, which its tests stop, start and restart (one test after another,
/// as xUnit runs a class), leaving the shared test server alone.</summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    private PostgresCluster? _cluster;

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException(PostgresCluster.SkipReason ?? "The cluster did not start.");

    public async Task InitializeAsync()
    {
        if (PostgresCluster.SkipReason is null) _cluster = await PostgresCluster.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

/// <summary>
/// Storage faults on a real PostgreSQL that stops, restarts, is down when the service starts, or whose disk fills:
/// each answered as a retryable fault (503 or 507 with Retry-After), never a bare 500, and no acknowledged event lost.
/// </summary>
public sealed class PostgresFaultTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    private PostgresCluster Cluster => fixture.Cluster;

    [PostgresClusterFact]
    public async Task PostEvents_PostgresStopped_Answers503WithRetryAfterAndTheRepeatedBatchIsStoredOnceItIsBack()
    {
        await using var host = await StartHostAsync();
        var key = await SeedAsync(host);
        using var client = host.Client(key);
        await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/events", TestHttp.Json(Batch(5))));
        var refusedBatch = Batch(5);

        await Cluster.StopAsync();
        try
        {
            using var refused = await client.PostAsync("/v1/events", TestHttp.Json(refusedBatch));
            var problem = await TestHttp.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
            Assert.Contains("PostgreSQL", problem.GetProperty("detail").GetString());
            Assert.Contains("safe", problem.GetProperty("detail").GetString());

            using var notReady = await host.Client().GetAsync("/readyz");
            var readiness = await TestHttp.AssertProblemAsync(notReady, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("store (the database is unavailable", readiness.GetProperty("detail").GetString());
        }
        finally
        {
            await Cluster.StartAsync();
        }

        using var stored = await client.PostAsync("/v1/events", TestHttp.Json(refusedBatch));
        Assert.Equal("{\"accepted\":5,\"duplicates\":0}", await stored.Content.ReadAsStringAsync());
        Assert.Equal(10, await host.CountEventsAsync());
    }

    [PostgresClusterFact]
    public async Task Writes_RightAfterAPostgresRestart_AreStoredNotRefused()
    {
        await using var host = await StartHostAsync();
        var key = await SeedAsync(host);
        using var client = host.Client(key);
        // Concurrent batches, so the telemetry writer's pool holds several connections for the restart to break.
        foreach (var response in await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.PostAsync("/v1/events", TestHttp.Json(Batch(50))))))
            await TestHttp.EnsureSuccessAsync(response);

        await Cluster.RestartAsync();

        // The first use of each pool of dead connections (the key lookup or the upsert on EF Core's, the batch on the
        // telemetry writer's) fails once, 57P01 or a broken stream; retried inside the request, it is not refused.
        using var upsert = await client.PostAsync("/v1/accounts", TestHttp.Json(new JsonArray(new JsonObject
        {
            ["externalId"] = "acct-after-restart", ["name"] = "After the restart",
        })));
        await TestHttp.EnsureSuccessAsync(upsert);
        using var events = await client.PostAsync("/v1/events", TestHttp.Json(Batch(50)));
        Assert.Equal("{\"accepted\":50,\"duplicates\":0}", await events.Content.ReadAsStringAsync());
        Assert.Equal(250, await host.CountEventsAsync());
        Assert.Contains(host.LogLines, line => line.Contains("[2301]", StringComparison.Ordinal));
    }

    [PostgresClusterFact]
    public async Task Start_PostgresDown_ListensAtOnceAndServesWithJobsOnceItComes()
    {
        var database = await TestDatabase.PostgresAsync("ih_api_faults", adminConnectionString: Cluster.AdminConnectionString);
        await Cluster.StopAsync();
        ApiTestHost host;
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            host = await ApiTestHost.StartAsync(database, new Dictionary<string, string?>
            {
                ["Database:Resilience:StartupRetryMaxDelay"] = "00:00:00.500",
                ["Hangfire:WorkerCount"] = "1",
            });
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"the start took {started.Elapsed}");

            Assert.Equal("{\"status\":\"ok\"}", await host.Client().GetStringAsync("/healthz"));
            using var notReady = await host.Client().GetAsync("/readyz");
            var readiness = await TestHttp.AssertProblemAsync(notReady, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("store (waiting for the database", readiness.GetProperty("detail").GetString());
            Assert.Contains("connection refused", readiness.GetProperty("detail").GetString());
            // Before authentication, which would need the store: any request but the probes is a 503, not a 500 or 401.
            using var early = await host.Client("ih_" + new string('x', 43)).PostAsync("/v1/events", TestHttp.Json(Batch(1)));
            await TestHttp.AssertProblemAsync(early, HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(early.Headers.RetryAfter);
        }
        finally
        {
            await Cluster.StartAsync();
        }

        await using (host)
        {
            await WaitUntilAsync(async () => (await host.Client().GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "/readyz to answer 200");
            var key = await SeedAsync(host);
            using var stored = await host.Client(key).PostAsync("/v1/events", TestHttp.Json(Batch(3)));
            Assert.Equal("{\"accepted\":3,\"duplicates\":0}", await stored.Content.ReadAsStringAsync());
            // The job server started late, on the store that came: it registered itself in Hangfire's tables.
            var storage = host.Services.GetRequiredService<JobStorage>();
            await WaitUntilAsync(() => Task.FromResult(storage.GetMonitoringApi().Servers().Count > 0), "a Hangfire server to register");
        }
    }

    [PostgresClusterAndSmallFilesystemFact]
    public async Task PostEvents_DiskFull_Answers507AndNotReadyThenTheRepeatedBatchIsStoredOnceSpaceIsFreed()
    {
        using var disk = await SmallFilesystem.MountAsync(4 * 1024 * 1024, owner: "postgres");
        var tablespace = "ih_small_" + Guid.NewGuid().ToString("N")[..8];
        await Cluster.ExecuteAsync($"CREATE TABLESPACE {tablespace} LOCATION '{disk.Path}'");
        try
        {
            await using var host = await StartHostAsync();
            var key = await SeedAsync(host);
            // The telemetry tables on the small disk; the rest of the database stays where it is. Both are partitioned
            // by day: SET TABLESPACE on the parent only places future partitions, so every existing one is moved too.
            await Cluster.ExecuteAsync($"""
                DO $$ DECLARE r record; BEGIN
                  FOR r IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                           JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname IN ('telemetry_events', 'telemetry_dedup') LOOP
                    EXECUTE format('ALTER TABLE %I SET TABLESPACE {tablespace}', r.relname);
                  END LOOP;
                END $$;
                ALTER TABLE telemetry_events SET TABLESPACE {tablespace};
                ALTER TABLE telemetry_dedup SET TABLESPACE {tablespace};
                """, ((PostgresTestDatabase)host.Database).Name);
            using var client = host.Client(key);
            await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/events", TestHttp.Json(Batch(5))));
            var refusedBatch = Batch(300);

            disk.Fill();
            using var refused = await client.PostAsync("/v1/events", TestHttp.Json(refusedBatch));
            var problem = await TestHttp.AssertProblemAsync(refused, HttpStatusCode.InsufficientStorage);
            Assert.Contains("53100", problem.GetProperty("detail").GetString());
            Assert.NotNull(refused.Headers.RetryAfter);
            using var notReady = await host.Client().GetAsync("/readyz");
            var readiness = await TestHttp.AssertProblemAsync(notReady, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("store-writes (a request failed", readiness.GetProperty("detail").GetString());

            disk.Free();
            using var stored = await client.PostAsync("/v1/events", TestHttp.Json(refusedBatch));
            Assert.Equal("{\"accepted\":300,\"duplicates\":0}", await stored.Content.ReadAsStringAsync());
            Assert.Equal(305, await host.CountEventsAsync());
            Assert.Equal("{\"status\":\"ready\"}", await host.Client().GetStringAsync("/readyz"));
        }
        finally
        {
            // The host's database is dropped by now, which empties the tablespace.
            await Cluster.ExecuteAsync($"DROP TABLESPACE IF EXISTS {tablespace}");
        }
    }

    private async Task<ApiTestHost> StartHostAsync(Dictionary<string, string?>? settings = null) =>
        await ApiTestHost.StartAsync(await TestDatabase.PostgresAsync("ih_api_faults", adminConnectionString: Cluster.AdminConnectionString),
            settings ?? []);

    private static async Task<string> SeedAsync(ApiTestHost host)
    {
        var key = await host.CreateKeyAsync("acme", ApiKeyScopes.Ingest | ApiKeyScopes.Read);
        await host.SeedAsync(key, ("acct-1", [("conn-1", "salesforce")]));
        return key;
    }

    /// <summary>A batch serialised once, so sending it again repeats the same event ids.</summary>
    private static string Batch(int events) => TestEvents.Array([.. Enumerable.Range(0, events).Select(_ => TestEvents.Valid())]).ToJsonString();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
