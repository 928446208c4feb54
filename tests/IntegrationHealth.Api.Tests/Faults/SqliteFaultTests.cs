using System.Net;
using IntegrationHealth.Api.Hosting;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Sqlite;
using IntegrationHealth.Testing.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Api.Tests.Faults;

/// <summary>SQLite's faults: a full disk answered 507 and reflected by readiness; the WAL left empty by a clean stop.</summary>
public sealed class SqliteFaultTests
{
    [SmallFilesystemFact]
    public async Task PostEvents_DiskFull_Answers507AndNotReadyThenTheRepeatedBatchIsStoredOnceSpaceIsFreed()
    {
        using var disk = await SmallFilesystem.MountAsync(8 * 1024 * 1024);
        var file = Path.Combine(disk.Path, "api.db");
        await using var host = await ApiTestHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={file}",
            ["Database:Resilience:MinFreeDiskBytes"] = "262144",
        });
        var key = await host.CreateKeyAsync("acme", ApiKeyScopes.Ingest | ApiKeyScopes.Read);
        await host.SeedAsync(key, ("acct-1", [("conn-1", "salesforce")]));
        using var client = host.Client(key);
        await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/events", TestHttp.Json(Batch(5))));
        var refusedBatch = Batch(500);

        // An empty WAL first: SQLite reuses the space of an old one, where a small commit would still fit.
        Assert.True(SqliteDatabase.CheckpointTruncate($"Data Source={file}", TimeSpan.FromSeconds(5)));
        disk.Fill();
        using var notReadyBeforeAnyFailure = await host.Client().GetAsync("/readyz");
        var lowSpace = await TestHttp.AssertProblemAsync(notReadyBeforeAnyFailure, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("store-writes (0 MB free", lowSpace.GetProperty("detail").GetString());

        using var refused = await client.PostAsync("/v1/events", TestHttp.Json(refusedBatch));
        var problem = await TestHttp.AssertProblemAsync(refused, HttpStatusCode.InsufficientStorage);
        Assert.Contains("SQLite error 13", problem.GetProperty("detail").GetString());
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(5, await host.CountEventsAsync());

        disk.Free();
        // Space again, but the last write failed and none has succeeded since: not ready yet.
        using var notReadyAfterFailure = await host.Client().GetAsync("/readyz");
        var recentFailure = await TestHttp.AssertProblemAsync(notReadyAfterFailure, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("store-writes (a request failed", recentFailure.GetProperty("detail").GetString());

        using var stored = await client.PostAsync("/v1/events", TestHttp.Json(refusedBatch));
        Assert.Equal("{\"accepted\":500,\"duplicates\":0}", await stored.Content.ReadAsStringAsync());
        Assert.Equal(505, await host.CountEventsAsync());
        Assert.Equal("{\"status\":\"ready\"}", await host.Client().GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task Stop_AfterIngestion_CheckpointsAndEmptiesTheWal()
    {
        await using var database = TestDatabase.Sqlite("ih-wal-stop");
        var app = ApiHost.BuildWeb([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "sqlite", ["Database:ConnectionString"] = database.ConnectionString, ["Roles"] = "Web",
            });
        });
        await using (app)
        {
            await app.StartAsync();
            var host = new Uri(app.Urls.First());
            var key = await CreateKeyAsync(app);
            using var client = new HttpClient { BaseAddress = host };
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/accounts", TestHttp.Json("[{\"externalId\":\"acct-1\",\"name\":\"One\"}]")));
            for (var b = 0; b < 4; b++)
                await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/events", TestHttp.Json(Batch(500))));
            var wal = new FileInfo(database.FilePath + "-wal");
            Assert.True(wal.Exists && wal.Length > 0, "the writes went through the WAL");

            await app.StopAsync();

            // Still in the process, with its pooled connections open (a process that exits does not close them):
            // the stop itself emptied the WAL.
            wal.Refresh();
            Assert.True(!wal.Exists || wal.Length == 0, $"the WAL holds {wal.Length} bytes after a clean stop");
        }
    }

    private static async Task<string> CreateKeyAsync(WebApplication app)
    {
        var issuer = app.Services.GetRequiredService<IntegrationHealth.Web.Authentication.ApiKeyIssuer>();
        var tenant = await issuer.EnsureTenantAsync("acme");
        return (await issuer.CreateAsync(tenant.Id, ApiKeyScopes.Ingest | ApiKeyScopes.Read, "wal test")).Key;
    }

    private static string Batch(int events) => TestEvents.Array([.. Enumerable.Range(0, events).Select(_ => TestEvents.Valid())]).ToJsonString();
}
