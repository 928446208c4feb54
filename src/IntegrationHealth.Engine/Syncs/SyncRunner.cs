using System.Diagnostics;
using System.Globalization;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Records;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Engine.Telemetry;
using IntegrationHealth.Jsonata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Syncs;

/// <summary>
/// Runs one sync of a (connection, resource) into the record cache. A <em>pass</em> reads every page of the resource's
/// list operation (a full pass) or those modified since the last completed pass minus the look-back (incremental); each
/// page's records are written together with the checkpoint (the next page's request) in one transaction, so a run that
/// fails or whose process dies leaves the pass at its last committed page, and the next run continues it from there
/// instead of reading everything again. A completed full pass deletes the records it did not see; the provider's
/// deleted flag (<c>sync.deleted_when</c>) deletes at once. One run at a time holds a (connection, resource) lease, in
/// the database, so processes never pull the same sync concurrently; a dead process's lease expires after
/// <see cref="SyncOptions.LeaseDuration"/>. Every run is a telemetry event; mapping failures are events from the executor.
/// </summary>
public sealed class SyncRunner(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    IEngineConnections connections,
    OperationExecutor executor,
    IEngineTelemetry telemetry,
    IOptions<EngineOptions> options,
    TimeProvider time,
    ILogger<SyncRunner> logger)
{
    private static readonly JsonataOptions DeletedLimits = new() { Timeout = TimeSpan.FromSeconds(1) };
    private readonly EngineEvents _events = new(time);

    /// <summary>Creates a queued run of the (connection, resource) sync and returns it (the caller enqueues
    /// <see cref="RunAsync"/> for it).</summary>
    public async Task<SyncRun> QueueAsync(int tenantId, int connectionId, string resource, string trigger, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = new SyncRun
        {
            TenantId = tenantId, ConnectionId = connectionId, Resource = resource, Trigger = trigger, Status = SyncRunStatus.Queued,
            QueuedAt = time.GetUtcNow().UtcDateTime,
        };
        db.SyncRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>Runs the queued run <paramref name="runId"/>: takes the lease, continues or starts a pass, and records
    /// the outcome. Never throws for an upstream or mapping failure (the run says what happened); cancellation ends the
    /// run as failed and is rethrown.</summary>
    public async Task<SyncRun> RunAsync(int runId, CancellationToken cancellationToken = default) =>
        await TryRunAsync(runId, cancellationToken) ?? throw new InvalidOperationException($"No sync run {runId}.");

    /// <summary><see cref="RunAsync"/>, or null when there is no run <paramref name="runId"/> (its connection or
    /// tenant removed since it was queued).</summary>
    public async Task<SyncRun?> TryRunAsync(int runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.SyncRuns.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null) return null;
        if (run.Status != SyncRunStatus.Queued) return run;
        var connectionRow = await db.Connections.AsNoTracking().FirstAsync(c => c.Id == run.ConnectionId, cancellationToken);
        var (resolution, resolved) = await connections.FindAsync(run.TenantId, connectionRow.ExternalId, cancellationToken);
        if (resolved is null || !resolved.Provider.Definition.Resources.TryGetValue(run.Resource, out var resource)
            || !resource.Operations.ContainsKey("list"))
            return await FinishAsync(db, run, SyncRunStatus.Failed, resolution == ConnectionResolution.Found
                ? $"The provider has no resource '{run.Resource}' with a list operation." : $"The connection cannot be synced ({resolution}).", cancellationToken);

        var state = await StateAsync(db, run, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var leased = await db.SyncStates.Where(s => s.Id == state.Id && (s.LeaseUntil == null || s.LeaseUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.LeaseUntil, now + options.Value.Syncs.LeaseDuration), cancellationToken);
        if (leased == 0)
        {
            EngineLog.SyncLeaseHeld(logger, run.ConnectionId, run.Resource);
            return await FinishAsync(db, run, SyncRunStatus.Skipped, "Another run of this sync holds its lease.", cancellationToken);
        }

        var started = Stopwatch.GetTimestamp();
        await db.Entry(state).ReloadAsync(cancellationToken);
        var sync = resource.Sync ?? new SyncDefinition();
        var model = resource.Model ?? run.Resource;
        run.Status = SyncRunStatus.Running;
        run.StartedAt = now;
        run.Resumed = state.Checkpoint is not null;
        if (!run.Resumed)
        {
            state.Generation++;
            state.PassStartedAt = now;
            state.PassFull = !sync.Incremental || state.ModifiedSince is null || (sync.FullEvery is { } every && state.Generation % every == 0);
            state.PassModifiedSince = state.PassFull ? null : state.ModifiedSince;
            state.PassPages = 0;
        }
        run.Full = state.PassFull;
        await db.SaveChangesAsync(cancellationToken);

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (state.PassModifiedSince is { } since)
        {
            var utc = DateTime.SpecifyKind(since, DateTimeKind.Utc);
            parameters["modified_since"] = utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            parameters["modified_since_unix"] = new DateTimeOffset(utc).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }
        var deletedWhen = sync.DeletedWhen is { } expression ? resolved.Provider.Expression(expression) : null;
        bool Deleted(UnifiedRecord record) => deletedWhen is not null
            && Truthiness.Of(deletedWhen.Evaluate(RecordCacheWriter.Raw(record), options: DeletedLimits));

        var mapping = TimeSpan.Zero;
        var budgetWait = TimeSpan.Zero;
        string? error = null;
        var errorClass = ErrorClass.None;
        try
        {
            var request = new ListRequest { Context = CallContext.Background, Parameters = parameters, ResumeFrom = state.Checkpoint };
            var completed = false;
            await foreach (var page in executor.ListAsync(resolved.Provider, resolved.Engine, run.Resource, request, cancellationToken))
            {
                mapping += page.MappingTime;
                budgetWait += page.BudgetWait;
                var pageTime = time.GetUtcNow().UtcDateTime;
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var changes = await RecordCacheWriter.WriteAsync(db, run.TenantId, run.ConnectionId, model, state.Generation, page.Records, Deleted,
                    pageTime, cancellationToken);
                db.Attach(state);
                db.Attach(run);
                state.Checkpoint = page.Next;
                state.PassPages++;
                state.LeaseUntil = pageTime + options.Value.Syncs.LeaseDuration;
                run.Pages++;
                run.Records += page.Records.Count;
                run.Added += changes.Added;
                run.Updated += changes.Updated;
                run.Deleted += changes.Deleted;
                run.MappingFailures += page.MappingFailures.Count;
                if (page.Next is null)
                {
                    if (state.PassFull)
                        run.Deleted += await RecordCacheWriter.DeleteUnseenAsync(db, run.ConnectionId, model, state.Generation, pageTime, cancellationToken);
                    state.ModifiedSince = state.PassStartedAt - TimeSpan.FromSeconds(sync.LookbackSeconds);
                    state.LastCompletedAt = pageTime;
                    completed = true;
                }
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            if (!completed) error = "The listing ended without a last page.";
        }
        catch (UpstreamCallException e)
        {
            (error, errorClass) = ($"{e.Message}", e.Classification.ErrorClass);
        }
        catch (PaginationException e)
        {
            // The checkpoint may point at the page that looped: the next run starts the pass over.
            (error, errorClass) = (e.Message, ErrorClass.Other);
            db.ChangeTracker.Clear();
            await db.SyncStates.Where(s => s.Id == state.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.Checkpoint, (string?)null), CancellationToken.None);
        }
        catch (EngineCallException e)
        {
            (error, errorClass) = (e.Message, ErrorClass.Other);
        }
        catch (Exception e) when (e is not OperationCanceledException && e is not DbUpdateException)
        {
            // Anything else the listing threw (a credential store failure, a bad stored checkpoint): the run says so.
            (error, errorClass) = ($"{e.GetType().Name}: {e.Message}", ErrorClass.Other);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await EndAsync(db, run, state, sync, started, mapping, budgetWait, "The run was cancelled.", ErrorClass.Other, resolved.Engine, CancellationToken.None);
            throw;
        }
        return await EndAsync(db, run, state, sync, started, mapping, budgetWait, error, errorClass, resolved.Engine, cancellationToken);
    }

    private async Task<SyncRun> EndAsync(IntegrationHealthDbContext db, SyncRun run, SyncState state, SyncDefinition sync, long started,
        TimeSpan mapping, TimeSpan budgetWait, string? error, ErrorClass errorClass, EngineConnection connection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        db.ChangeTracker.Clear();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var lag = state.PassStartedAt is { } passStart ? (int)Math.Max(0, (now - passStart).TotalSeconds) : (int?)null;
        await db.SyncStates.Where(s => s.Id == state.Id).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.LeaseUntil, (DateTime?)null)
            .SetProperty(s => s.NextRunAt, sync.EveryMinutes is { } every ? now.AddMinutes(every) : (DateTime?)null), cancellationToken);
        run.Status = error is null ? SyncRunStatus.Succeeded : SyncRunStatus.Failed;
        run.Error = error is null ? null : Truncate(error, 1000);
        run.LagSeconds = error is null ? lag : null;
        run.FinishedAt = now;
        run.MappingTime = mapping;
        db.SyncRuns.Update(run);
        await db.SaveChangesAsync(cancellationToken);

        var summary = $"{(run.Full ? "full" : "incremental")}{(run.Resumed ? ", resumed" : "")}: {run.Pages} pages, {run.Added} added, {run.Updated} updated, " +
            $"{run.Deleted} deleted, {run.MappingFailures} mapping failures, mapping {mapping.TotalMilliseconds:0} ms" +
            (budgetWait > TimeSpan.Zero ? $", waited {budgetWait.TotalMilliseconds:0} ms for the request budget" : "") +
            (error is null ? $", lag {lag} s" : $"; {error}");
        telemetry.Record(_events.SyncRun(connection, run.Resource, run.Records, (int)Math.Min(int.MaxValue, elapsed.TotalMilliseconds),
            error is null ? ErrorClass.None : errorClass == ErrorClass.None ? ErrorClass.Other : errorClass, summary));
        if (error is null)
            EngineLog.SyncFinished(logger, run.Id, run.ConnectionId, run.Resource, "succeeded", run.Records, run.Added, run.Updated, run.Deleted);
        else
            EngineLog.SyncFailed(logger, run.Id, run.ConnectionId, run.Resource, run.Pages, error);
        return run;
    }

    /// <summary>
    /// Fails the runs that can no longer finish, each with a failed sync-run event: a <em>running</em> run whose lease
    /// expired (its process died: a live run renews the lease with every page), and a <em>queued</em> run older than
    /// <see cref="SyncOptions.QueuedTimeout"/> (its job was lost, e.g. in-memory job storage and a restart). The pass's
    /// checkpoint is kept, so the next run resumes where the dead one stopped. Returns how many were failed.
    /// </summary>
    public async Task<int> RecoverOrphansAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var queuedBefore = now - options.Value.Syncs.QueuedTimeout;
        // A run clears its lease a moment before it records its outcome: without a lease, only a run older than a
        // whole lease is taken for dead.
        var leaseAgo = now - options.Value.Syncs.LeaseDuration;
        var candidates = await (from r in db.SyncRuns
                                join c in db.Connections.AsNoTracking() on r.ConnectionId equals c.Id
                                join s in db.SyncStates.AsNoTracking() on new { r.ConnectionId, r.Resource } equals new { s.ConnectionId, s.Resource } into states
                                from s in states.DefaultIfEmpty()
                                where (r.Status == SyncRunStatus.Running
                                        && ((s != null && s.LeaseUntil != null && s.LeaseUntil < now)
                                            || ((s == null || s.LeaseUntil == null) && r.StartedAt < leaseAgo)))
                                    || (r.Status == SyncRunStatus.Queued && r.QueuedAt < queuedBefore)
                                select new { Run = r, c.AccountId, c.ProviderId }).ToListAsync(cancellationToken);
        var failed = 0;
        foreach (var candidate in candidates)
        {
            var run = candidate.Run;
            var reason = run.Status == SyncRunStatus.Running
                ? "its process stopped: the lease expired while it was running"
                : $"its job never started within {options.Value.Syncs.QueuedTimeout}";
            // Conditional on the status read, so a run that finished (or started) meanwhile is left alone.
            var status = run.Status;
            var changed = await db.SyncRuns.Where(r => r.Id == run.Id && r.Status == status).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Status, SyncRunStatus.Failed)
                .SetProperty(r => r.Error, $"Orphaned: {reason}; the next run resumes from the checkpoint.")
                .SetProperty(r => r.FinishedAt, now), cancellationToken);
            if (changed == 0) continue;
            failed++;
            var engine = new EngineConnection
            {
                TenantId = run.TenantId, AccountId = candidate.AccountId, ProviderId = candidate.ProviderId, ConnectionId = run.ConnectionId,
                CredentialKey = StoreEngineConnections.CredentialKeyOf(run.TenantId, run.ConnectionId),
            };
            var duration = run.StartedAt is { } startedAt ? (int)Math.Min(int.MaxValue, Math.Max(0, (now - startedAt).TotalMilliseconds)) : 0;
            telemetry.Record(_events.SyncRun(engine, run.Resource, run.Records, duration, ErrorClass.Other, $"orphaned: {reason}"));
            EngineLog.SyncRunOrphaned(logger, run.Id, run.ConnectionId, run.Resource, reason);
        }
        return failed;
    }

    private async Task<SyncRun> FinishAsync(IntegrationHealthDbContext db, SyncRun run, SyncRunStatus status, string error, CancellationToken cancellationToken)
    {
        run.Status = status;
        run.Error = error;
        run.FinishedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>The (connection, resource) state row, created on first use (a concurrent creator's row is re-read).</summary>
    private static async Task<SyncState> StateAsync(IntegrationHealthDbContext db, SyncRun run, CancellationToken cancellationToken)
    {
        var state = await db.SyncStates.FirstOrDefaultAsync(s => s.ConnectionId == run.ConnectionId && s.Resource == run.Resource, cancellationToken);
        if (state is not null) return state;
        state = new SyncState { TenantId = run.TenantId, ConnectionId = run.ConnectionId, Resource = run.Resource };
        db.SyncStates.Add(state);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return state;
        }
        catch (DbUpdateException)
        {
            db.Entry(state).State = EntityState.Detached;
            return await db.SyncStates.FirstAsync(s => s.ConnectionId == run.ConnectionId && s.Resource == run.Resource, cancellationToken);
        }
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
