using Hangfire;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Syncs;

/// <summary>The Hangfire job that runs one queued sync run (enqueued by the dispatcher or by the API).</summary>
public sealed class SyncJob(SyncRunner runner, ILogger<SyncJob> logger)
{
    /// <summary>Runs the queued run; Hangfire passes its shutdown token. A run that no longer exists (its connection or
    /// tenant deleted meanwhile) is nothing to do: a warning, not a failed job retried or reported as an error.</summary>
    [AutomaticRetry(Attempts = 0)] // a failed run is recorded; the next scheduled run resumes from the checkpoint
    public async Task RunAsync(int runId, CancellationToken cancellationToken)
    {
        if (await runner.TryRunAsync(runId, cancellationToken) is null) EngineLog.SyncRunMissing(logger, runId);
    }
}

/// <summary>
/// The recurring dispatcher (<c>engine-sync-dispatcher</c>, <see cref="SyncOptions.DispatcherCron"/>): for every active
/// connection whose effective definition gives a resource a schedule (<c>sync.every_minutes</c>), queues a run when the
/// resource is due (never run, or its next run time has passed) and no run holds its lease or waits in the queue.
/// First it recovers orphaned runs (<see cref="SyncRunner.RecoverOrphansAsync"/>), so a lost job never blocks a resource.
/// Only connections the engine runs are scheduled: those with credentials in the <see cref="Auth.ICredentialStore"/>
/// (created by the connect flow or an import). A connection recorded through the ingestion API is another engine's:
/// its telemetry arrives over HTTP, and calling its provider from here would fail without credentials and add failed
/// sync runs to that account's history.
/// </summary>
public sealed class SyncDispatcherJob(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    TenantProviderRegistry registry,
    Auth.ICredentialStore credentials,
    SyncRunner runner,
    IBackgroundJobClient jobs,
    TimeProvider time,
    ILogger<SyncDispatcherJob> logger) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Runs whose job or process was lost would block their resource for ever (below, a waiting run is not queued again).
        await runner.RecoverOrphansAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var active = await (from c in db.Connections.AsNoTracking()
                            join p in db.Providers.AsNoTracking() on c.ProviderId equals p.Id
                            where c.Status == ConnectionStatus.Active
                            select new { c.Id, c.TenantId, c.AccountId, p.Key }).ToListAsync(cancellationToken);
        var states = (await db.SyncStates.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(s => (s.ConnectionId, s.Resource));
        var waiting = (await db.SyncRuns.AsNoTracking().Where(r => r.Status == SyncRunStatus.Queued || r.Status == SyncRunStatus.Running)
            .Select(r => new { r.ConnectionId, r.Resource }).ToListAsync(cancellationToken)).Select(r => (r.ConnectionId, r.Resource)).ToHashSet();
        var count = 0;
        foreach (var connection in active)
        {
            var effective = await registry.FindAsync(connection.TenantId, connection.Key, connection.AccountId, cancellationToken);
            if (effective is null) continue;
            bool? managed = null;
            foreach (var (name, resource) in effective.Provider.Definition.Resources)
            {
                if (resource.Sync?.EveryMinutes is null || !resource.Operations.ContainsKey("list")) continue;
                managed ??= await credentials.GetAsync(Connections.StoreEngineConnections.CredentialKeyOf(connection.TenantId, connection.Id),
                    cancellationToken) is not null;
                if (managed == false) break;
                if (states.TryGetValue((connection.Id, name), out var state)
                    && ((state.NextRunAt is { } next && next > now) || (state.LeaseUntil is { } lease && lease > now))) continue;
                if (waiting.Contains((connection.Id, name))) continue;
                var run = await runner.QueueAsync(connection.TenantId, connection.Id, name, "schedule", cancellationToken);
                jobs.Enqueue<SyncJob>(job => job.RunAsync(run.Id, CancellationToken.None));
                count++;
            }
        }
        if (count > 0) EngineLog.SyncsDispatched(logger, count);
    }
}
