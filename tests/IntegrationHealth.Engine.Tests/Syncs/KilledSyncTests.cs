using System.Diagnostics;
using System.Text.Json.Nodes;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.ProviderDoubles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Engine.Tests.Syncs;

/// <summary>
/// A sync killed mid-way resumes from its checkpoint (issue 14, item 11): a child OS process (this assembly,
/// <see cref="SyncWorkerProgram"/>) syncs a 10-page resource; the double holds page 4 back, and the test kills the process
/// while it waits for it. Pages 1–3 are committed with the checkpoint; once the dead run's lease has run out, the
/// orphan is failed and a new run in this process resumes at page 4, never reading pages 1–3 again, and the record cache
/// holds every record exactly once. On a SQLite file and on PostgreSQL.
/// </summary>
public sealed class KilledSyncTests
{
    private const int BlockedPage = 4;

    [Fact]
    public Task SyncKilledMidPage_OnSqlite_ResumesFromTheCheckpoint_EveryRecordOnce() =>
        RunAsync(async () => await TestDatabase.MigratedSqliteAsync("ih-killedsync"));

    [PostgresFact]
    public Task SyncKilledMidPage_OnPostgres_ResumesFromTheCheckpoint_EveryRecordOnce() =>
        RunAsync(async () => await TestDatabase.MigratedPostgresAsync("ih_killedsync"));

    /// <summary>The double's definition with no credential to keep (the child process has no share of this process's
    /// in-memory vault): its token goes as a fixed header.</summary>
    private static string Definition()
    {
        var definition = JsonNode.Parse(PagedRecordsDouble.Definition())!.AsObject();
        definition["auth"] = new JsonObject { ["kind"] = "none" };
        definition["headers"] = new JsonObject { ["Authorization"] = $"Bearer {PagedRecordsDouble.Token}" };
        return definition.ToJsonString();
    }

    private static async Task RunAsync(Func<Task<TestDatabase>> create)
    {
        await using var database = await create();
        await using var provider = new PagedRecordsDouble(95) { BlockFromPage = BlockedPage };
        await provider.StartAsync();
        var doubles = new Dictionary<string, ProviderDouble> { ["peopleapi"] = provider };
        Connection connection;
        int runId;
        await using (var setup = StoreEngine.Create(database, doubles))
        {
            var (tenant, account) = await setup.TenantAsync("acme");
            var (outcome, _, errors) = await setup.Definitions.SaveAsync(tenant, "peopleapi", Definition(), default);
            Assert.True(outcome == Engine.Definitions.DefinitionUploadOutcome.Created, string.Join("; ", errors));
            connection = await setup.ConnectAsync(tenant, account, "peopleapi", "conn-1", ConnectionCredentials.Of());
            runId = (await setup.Syncs.QueueAsync(tenant, connection.Id, "people", "api", default)).Id;
        }

        using (var child = Worker(database, provider, runId))
        {
            try
            {
                var deadline = DateTime.UtcNow.AddMinutes(2);
                while (provider.PageRequests(BlockedPage) == 0)
                {
                    Assert.False(child.HasExited, "the sync worker exited before it reached the blocked page");
                    Assert.True(DateTime.UtcNow < deadline, "the sync worker did not reach the blocked page in time");
                    await Task.Delay(20);
                }
            }
            finally
            {
                child.Kill(entireProcessTree: true); // mid-page: its request for page 4 is waiting for an answer
                await child.WaitForExitAsync();
            }
        }
        provider.BlockFromPage = null;

        // What the dead process left: pages 1-3 committed with the checkpoint, its run "running" under its lease.
        await using (var db = database.CreateContext())
        {
            var state = await db.SyncStates.AsNoTracking().SingleAsync(s => s.ConnectionId == connection.Id);
            Assert.Equal(BlockedPage - 1, state.PassPages);
            Assert.NotNull(state.Checkpoint);
            var run = await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
            Assert.Equal((SyncRunStatus.Running, BlockedPage - 1, 30), (run.Status, run.Pages, run.Records));
            Assert.Equal(30, await db.CachedRecords.CountAsync(r => r.ConnectionId == connection.Id));
        }

        // Later, in this process: the lease has run out, the orphan is failed, the next run resumes at page 4.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + new SyncOptions().LeaseDuration + TimeSpan.FromMinutes(1));
        await using var after = StoreEngine.Create(database, doubles, configure: s => s.AddSingleton<TimeProvider>(clock));
        Assert.Equal(1, await after.Syncs.RecoverOrphansAsync());
        var resumed = await after.SyncAsync(connection, "people");

        Assert.Equal(SyncRunStatus.Succeeded, resumed.Status);
        Assert.True(resumed.Resumed);
        Assert.Equal((10 - BlockedPage + 1, 65, 65, 0), (resumed.Pages, resumed.Records, resumed.Added, resumed.Updated));
        Assert.All(Enumerable.Range(1, BlockedPage - 1), page => Assert.Equal(1, provider.PageRequests(page))); // never read again
        Assert.Equal(2, provider.PageRequests(BlockedPage));
        var records = await after.RecordsAsync(connection.Id);
        // Every record exactly once: 95 rows whose remote ids are 1..95.
        Assert.Equal(Enumerable.Range(1, 95), records.Select(r => int.Parse(r.RemoteId, System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(records, r => Assert.False(r.Deleted));
    }

    /// <summary>This assembly as a child OS process running <see cref="SyncWorkerProgram"/> for the run.</summary>
    private static Process Worker(TestDatabase database, ProviderDouble provider, int runId)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", typeof(SyncWorkerProgram).Assembly.Location, SyncWorkerProgram.Verb, database.Provider,
                     database.ConnectionString, "peopleapi", provider.Origin.GetLeftPart(UriPartial.Authority),
                     runId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync(); // drained, so a chatty child never blocks
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }
}
