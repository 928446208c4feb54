using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Syncs;
using IntegrationHealth.ProviderDoubles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Engine.Tests.Syncs;

/// <summary>Syncs into the record cache through the real store, from a provider defined only by an uploaded document:
/// change detection, incremental passes, deletions, resuming from the checkpoint after a failure, telemetry. Run on
/// SQLite and PostgreSQL.</summary>
public abstract class SyncSuite
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private sealed record Setup(StoreEngine Engine, PagedRecordsDouble Double, Connection Connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Engine.DisposeAsync();
            await Double.DisposeAsync();
        }
    }

    private static async Task<Setup> SetUpAsync(TestDatabase database, string definition, int people = 95)
    {
        var provider = new PagedRecordsDouble(people);
        await provider.StartAsync();
        var engine = StoreEngine.Create(database, new Dictionary<string, ProviderDouble> { ["peopleapi"] = provider });
        var (tenant, account) = await engine.TenantAsync("acme");
        var (outcome, _, errors) = await engine.Definitions.SaveAsync(tenant, "peopleapi", definition, default);
        Assert.True(outcome == Engine.Definitions.DefinitionUploadOutcome.Created, string.Join("; ", errors));
        var connection = await engine.ConnectAsync(tenant, account, "peopleapi", "conn-1", ConnectionCredentials.Of(("token", PagedRecordsDouble.Token)));
        return new Setup(engine, provider, connection);
    }

    [StoreFact]
    public async Task Sync_FirstRun_CachesEveryRecordAsAdded()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, PagedRecordsDouble.Definition());

        var run = await s.Engine.SyncAsync(s.Connection, "people");

        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal((true, false, 10, 95, 95, 0, 0), (run.Full, run.Resumed, run.Pages, run.Records, run.Added, run.Updated, run.Deleted));
        var records = await s.Engine.RecordsAsync(s.Connection.Id);
        Assert.Equal(Enumerable.Range(1, 95).Select(i => i.ToString()), records.Select(r => r.RemoteId));
        Assert.All(records, r => Assert.Equal("crm.contact", r.Model));
        Assert.Contains("\"last_name\":\"Lovelace7\"", records[6].Data);
        var sync = Assert.Single(await s.Engine.TelemetryAsync(s.Connection.TenantId), e => e.Kind == TelemetryKind.SyncRun);
        Assert.Equal((TelemetryOutcome.Success, 95, "people", s.Connection.Id), (sync.Outcome, sync.Records, sync.Resource, sync.ConnectionId));
        Assert.NotNull(sync.LatencyMs);
    }

    [StoreFact]
    public async Task Sync_Incremental_SendsModifiedSinceAndCountsChanges()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, PagedRecordsDouble.Definition());
        await s.Engine.SyncAsync(s.Connection, "people");
        var later = DateTime.UtcNow.AddMinutes(5);
        s.Double.Renamed[3] = "Byron";
        s.Double.UpdatedAt[3] = later;
        s.Double.Archived.Add(4);
        s.Double.UpdatedAt[4] = later;
        s.Double.UpdatedAt[5] = later; // touched but unchanged in every mapped field except its updated time

        var run = await s.Engine.SyncAsync(s.Connection, "people");

        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.False(run.Full);
        Assert.Equal((1, 3, 0, 2, 1), (run.Pages, run.Records, run.Added, run.Updated, run.Deleted));
        var last = s.Double.Requests.Last().PathAndQuery;
        Assert.Contains("updated_since=", last);
        var records = (await s.Engine.RecordsAsync(s.Connection.Id)).ToDictionary(r => r.RemoteId);
        Assert.Contains("Byron", records["3"].Data);
        Assert.True(records["4"].Deleted);
        Assert.Equal(95, records.Count);
    }

    [StoreFact]
    public async Task Sync_FullPass_DeletesWhatItDidNotSeeAndCountsUnchangedAsNothing()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, PagedRecordsDouble.Definition().Replace("\"incremental\": true", "\"incremental\": false"));
        await s.Engine.SyncAsync(s.Connection, "people");
        s.Double.People.Remove(50);
        s.Double.Renamed[7] = "Babbage";

        var run = await s.Engine.SyncAsync(s.Connection, "people");

        Assert.True(run.Full);
        Assert.Equal((94, 0, 1, 1), (run.Records, run.Added, run.Updated, run.Deleted));
        var records = (await s.Engine.RecordsAsync(s.Connection.Id)).ToDictionary(r => r.RemoteId);
        Assert.True(records["50"].Deleted);
        Assert.False(records["49"].Deleted);
        s.Double.People.Add(50); // back again: undeleted, counted as updated
        var again = await s.Engine.SyncAsync(s.Connection, "people");
        Assert.Equal((0, 1, 0), (again.Added, again.Updated, again.Deleted));
    }

    [StoreFact]
    public async Task Sync_FailingMidway_ResumesFromTheLastCommittedPage()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, PagedRecordsDouble.Definition());
        s.Double.FailFromPage = 4;

        var failed = await s.Engine.SyncAsync(s.Connection, "people");

        Assert.Equal(SyncRunStatus.Failed, failed.Status);
        Assert.Equal((3, 30), (failed.Pages, failed.Added));
        Assert.Equal(30, (await s.Engine.RecordsAsync(s.Connection.Id)).Count); // pages 1–3 committed
        s.Double.FailFromPage = null;

        var resumed = await s.Engine.SyncAsync(s.Connection, "people");

        Assert.Equal(SyncRunStatus.Succeeded, resumed.Status);
        Assert.True(resumed.Resumed);
        Assert.Equal((7, 65, 0), (resumed.Pages, resumed.Added, resumed.Deleted)); // the full pass's deletion sweep spares pages 1–3
        Assert.Equal([1, 1, 1, 2, 1, 1, 1, 1, 1, 1], Enumerable.Range(1, 10).Select(s.Double.PageRequests));
        Assert.Equal(95, (await s.Engine.RecordsAsync(s.Connection.Id)).Count(r => !r.Deleted));
        var runs = (await s.Engine.TelemetryAsync(s.Connection.TenantId)).Where(e => e.Kind == TelemetryKind.SyncRun).OrderBy(e => e.Id).ToList();
        Assert.Equal([(TelemetryOutcome.Failure, ErrorClass.Server5xx, 30), (TelemetryOutcome.Success, ErrorClass.None, 65)],
            runs.Select(e => (e.Outcome, e.ErrorClass, e.Records ?? 0)));
    }

    [StoreFact]
    public async Task Sync_CancelledAfterAPage_ResumesWithoutRefetchingIt()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, PagedRecordsDouble.Definition());
        using var cancel = new CancellationTokenSource();
        // A stand-in for a killed worker: cancel as soon as the double has served page 2.
        s.Double.Requests.Clear();
        var watcher = Task.Run(async () =>
        {
            while (s.Double.PageRequests(2) == 0) await Task.Delay(5);
            await cancel.CancelAsync();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s.Engine.SyncAsync(s.Connection, "people", cancel.Token));
        await watcher;
        var committed = (await s.Engine.RecordsAsync(s.Connection.Id)).Count;
        var resumed = await s.Engine.SyncAsync(s.Connection, "people");

        Assert.True(resumed.Resumed);
        Assert.Equal(95, committed + resumed.Added);
        Assert.All(Enumerable.Range(1, committed / 10), page => Assert.Equal(1, s.Double.PageRequests(page)));
    }

    [StoreFact]
    public async Task Sync_HeldLease_SkipsTheSecondRun()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, PagedRecordsDouble.Definition());
        await s.Engine.SyncAsync(s.Connection, "people");
        await using (var db = database.CreateContext())
        {
            var state = db.SyncStates.Single(x => x.ConnectionId == s.Connection.Id);
            state.LeaseUntil = DateTime.UtcNow.AddMinutes(5);
            await db.SaveChangesAsync();
        }

        var run = await s.Engine.SyncAsync(s.Connection, "people");

        Assert.Equal(SyncRunStatus.Skipped, run.Status);
    }

    [StoreFact]
    public async Task Dispatcher_QueuesDueResourcesOfConnectionsWithCredentialsOnly()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, PagedRecordsDouble.Definition());
        // A connection recorded through the ingestion API (another engine's, no credentials here) to the same provider.
        int foreign;
        await using (var db = database.CreateContext())
        {
            var row = new Connection
            {
                TenantId = s.Connection.TenantId, AccountId = s.Connection.AccountId, ProviderId = s.Connection.ProviderId,
                ExternalId = "conn-telemetry-only", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            };
            db.Connections.Add(row);
            await db.SaveChangesAsync();
            foreign = row.Id;
        }
        var jobs = new RecordingJobClient();
        var dispatcher = ActivatorUtilities.CreateInstance<SyncDispatcherJob>(s.Engine.Services, jobs);

        await dispatcher.RunAsync(CancellationToken.None);
        await dispatcher.RunAsync(CancellationToken.None); // queued and not yet run: not queued twice

        Assert.Single(jobs.Created);
        await using var check = database.CreateContext();
        var queued = check.SyncRuns.AsNoTracking().ToList();
        Assert.Equal([(s.Connection.Id, "people")], queued.Select(r => (r.ConnectionId, r.Resource)));
        Assert.DoesNotContain(queued, r => r.ConnectionId == foreign);
    }

    private sealed class RecordingJobClient : Hangfire.IBackgroundJobClient
    {
        public List<Hangfire.Common.Job> Created { get; } = [];

        public string Create(Hangfire.Common.Job job, Hangfire.States.IState state)
        {
            Created.Add(job);
            return Created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, Hangfire.States.IState state, string expectedState) => true;
    }
}

public sealed class SqliteSyncTests : SyncSuite
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedSqliteAsync();
}

public sealed class PostgresSyncTests : SyncSuite, IRequiresPostgres
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedPostgresAsync();
}
