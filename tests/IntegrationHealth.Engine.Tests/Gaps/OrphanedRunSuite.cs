using Hangfire;
using Hangfire.InMemory;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Syncs;
using IntegrationHealth.ProviderDoubles;
using IntegrationHealth.Engine.Tests.Syncs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Engine.Tests.Gaps;

/// <summary>
/// Orphaned sync runs: a queued run whose Hangfire job was lost (in-memory job storage and a restart) and a running run
/// whose process died no longer block their resource for ever: the dispatcher fails them, with a failed sync-run
/// event, once the queue timeout or the lease has passed (FakeTimeProvider), and queues the resource again, which
/// resumes from the checkpoint. Real Hangfire in-memory storage, real store (SQLite and PostgreSQL).
/// </summary>
public abstract class OrphanedRunSuite
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private sealed record Setup(StoreEngine Engine, PagedRecordsDouble Double, Connection Connection, FakeTimeProvider Clock) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Engine.DisposeAsync();
            await Double.DisposeAsync();
        }

        /// <summary>The dispatcher of a process whose job storage is <paramref name="storage"/>.</summary>
        public SyncDispatcherJob Dispatcher(JobStorage storage) =>
            ActivatorUtilities.CreateInstance<SyncDispatcherJob>(Engine.Services, (IBackgroundJobClient)new BackgroundJobClient(storage));
    }

    private static async Task<Setup> SetUpAsync(TestDatabase database)
    {
        var provider = new PagedRecordsDouble(95);
        await provider.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var engine = StoreEngine.Create(database, new Dictionary<string, ProviderDouble> { ["peopleapi"] = provider },
            configure: s => s.AddSingleton<TimeProvider>(clock));
        var (tenant, account) = await engine.TenantAsync("acme");
        await engine.Definitions.SaveAsync(tenant, "peopleapi", PagedRecordsDouble.Definition(), default);
        var connection = await engine.ConnectAsync(tenant, account, "peopleapi", "conn-1", ConnectionCredentials.Of(("token", PagedRecordsDouble.Token)));
        return new Setup(engine, provider, connection, clock);
    }

    private static long Enqueued(JobStorage storage) => storage.GetMonitoringApi().EnqueuedCount("default");

    [StoreFact]
    public async Task Dispatcher_QueuedRunWhoseJobWasLost_IsFailedAfterTheTimeout_AndTheResourceQueuedAgain()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database);
        using var before = new InMemoryStorage();
        await s.Dispatcher(before).RunAsync(CancellationToken.None);
        Assert.Equal(1, Enqueued(before));
        using var afterRestart = new InMemoryStorage(); // the process restarted: its in-memory jobs are gone

        await s.Dispatcher(afterRestart).RunAsync(CancellationToken.None);
        Assert.Equal(0, Enqueued(afterRestart)); // still blocked by the queued run: nothing is due yet
        s.Clock.Advance(TimeSpan.FromMinutes(31));
        await s.Dispatcher(afterRestart).RunAsync(CancellationToken.None);

        Assert.Equal(1, Enqueued(afterRestart));
        await using var db = database.CreateContext();
        var runs = await db.SyncRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([SyncRunStatus.Failed, SyncRunStatus.Queued], runs.Select(r => r.Status));
        Assert.StartsWith("Orphaned: its job never started", runs[0].Error, StringComparison.Ordinal);
        var completed = await s.Engine.Syncs.RunAsync(runs[1].Id);
        Assert.Equal((SyncRunStatus.Succeeded, 95), (completed.Status, completed.Added));
        var late = await s.Engine.Syncs.RunAsync(runs[0].Id); // the lost job turning up after all does nothing
        Assert.Equal(SyncRunStatus.Failed, late.Status);
        var events = (await s.Engine.TelemetryAsync(s.Connection.TenantId)).Where(e => e.Kind == TelemetryKind.SyncRun).ToList();
        Assert.Single(events, e => e.Outcome == TelemetryOutcome.Failure && e.ConnectionId == s.Connection.Id);
    }

    [StoreFact]
    public async Task Dispatcher_RunningRunWhoseProcessDied_IsFailedOnceItsLeaseExpires_AndTheNextRunResumes()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database);
        // A run that commits pages and then stops; its process is then "killed": what it leaves behind is the run
        // still marked running and its lease, as the runner writes them before its outcome (which never comes).
        using var cancel = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (s.Double.PageRequests(3) == 0) await Task.Delay(5);
            await cancel.CancelAsync();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s.Engine.SyncAsync(s.Connection, "people", cancel.Token));
        await watcher;
        var leaseUntil = s.Clock.GetUtcNow().UtcDateTime.AddMinutes(10);
        await using (var db = database.CreateContext())
        {
            await db.SyncRuns.ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, SyncRunStatus.Running).SetProperty(r => r.FinishedAt, (DateTime?)null));
            await db.SyncStates.ExecuteUpdateAsync(u => u.SetProperty(x => x.LeaseUntil, leaseUntil).SetProperty(x => x.NextRunAt, (DateTime?)null));
        }
        var committed = (await s.Engine.RecordsAsync(s.Connection.Id)).Count;
        Assert.InRange(committed, 10, 85);
        using var jobs = new InMemoryStorage();

        s.Clock.Advance(TimeSpan.FromMinutes(5));
        await s.Dispatcher(jobs).RunAsync(CancellationToken.None);
        Assert.Equal(0, Enqueued(jobs)); // the lease is still live: the run may be alive
        s.Clock.Advance(TimeSpan.FromMinutes(6));
        await s.Dispatcher(jobs).RunAsync(CancellationToken.None);

        Assert.Equal(1, Enqueued(jobs));
        await using var check = database.CreateContext();
        var runs = await check.SyncRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(SyncRunStatus.Failed, runs[0].Status);
        Assert.StartsWith("Orphaned: its process stopped", runs[0].Error, StringComparison.Ordinal);
        var resumed = await s.Engine.Syncs.RunAsync(runs[1].Id);
        Assert.True(resumed.Resumed);
        Assert.Equal(SyncRunStatus.Succeeded, resumed.Status);
        Assert.Equal(95, committed + resumed.Added);
        var failures = (await s.Engine.TelemetryAsync(s.Connection.TenantId)).Where(e => e.Kind == TelemetryKind.SyncRun && e.Outcome == TelemetryOutcome.Failure)
            .Select(e => e.Id).ToList();
        var details = await check.TelemetryEventDetails.AsNoTracking().Where(d => failures.Contains(d.EventId)).ToListAsync();
        var orphaned = Assert.Single(details, d => d.ErrorMessage?.StartsWith("orphaned", StringComparison.Ordinal) == true);
        var orphanEvent = (await s.Engine.TelemetryAsync(s.Connection.TenantId)).Single(e => e.Id == orphaned.EventId);
        Assert.Equal(ErrorClass.Other, orphanEvent.ErrorClass);
    }
}

public sealed class SqliteOrphanedRunTests : OrphanedRunSuite
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedSqliteAsync();
}

public sealed class PostgresOrphanedRunTests : OrphanedRunSuite, IRequiresPostgres
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedPostgresAsync();
}
