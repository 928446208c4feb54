using System.Data.Common;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Sqlite;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Web.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace IntegrationHealth.Api.Hosting;

/// <summary>
/// Prepares the store before it serves, and leaves it tidy when the process stops. Registered first: hosted services
/// start in registration order and stop in reverse, so this starts before the job server and Kestrel, and stops after
/// them.
/// </summary>
/// <remarks>
/// <para>Start: applies pending migrations (<c>Database:MigrateOnStartup=false</c>: only checks that none is pending),
/// prepares Hangfire's tables, then marks <see cref="StoreStartup"/> ready. When the database is not reachable (or not
/// migrated yet, or refusing the credentials) the start does not fail: after the first failed attempt, or after
/// <see cref="StoreResilienceOptions.StartupWait"/> at most, the host goes on starting, so Kestrel listens
/// (<c>/healthz</c> 200, <c>/readyz</c> 503 naming the reason, the API 503), while attempts continue in the background
/// with exponential back-off up to <see cref="StoreResilienceOptions.StartupRetryMaxDelay"/>. The job server waits for
/// the store (<see cref="StoreGatedHostedServices"/>). Only an error that is not the database's (a setting, a bug)
/// stops the process: during the start by failing it, later by stopping the application with
/// <see cref="StoreStartup.Failure"/> set, which the command line reports with exit code 1.</para>
/// <para>Stop: on SQLite, a <c>TRUNCATE</c> checkpoint copies the WAL into the database file and empties it, so a clean
/// stop leaves the database in one file (the WAL had stayed at three times the database's size after a stop).</para>
/// </remarks>
public sealed class DatabaseMigrationService(
    IServiceProvider services, IOptions<DatabaseOptions> options, IOptions<StoreResilienceOptions> resilience,
    StoreStartup startup, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<DatabaseMigrationService> logger)
    : IHostedService, IDisposable
{
    /// <summary>First pause between start-up attempts; they double from here (with jitter) up to the configured cap.</summary>
    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the stop's checkpoint waits for connections still reading or writing.</summary>
    private static readonly TimeSpan StopCheckpointTimeout = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstAttemptFailed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _preparing;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        startup.Waiting(options.Value.MigrateOnStartup ? "connecting to the database to apply migrations" : "connecting to the database");
        _preparing = PrepareWithRetriesAsync(_stopping.Token);
        var waited = Task.Delay(resilience.Value.StartupWait, time, cancellationToken);
        if (await Task.WhenAny(_preparing, _firstAttemptFailed.Task, waited) == _preparing)
        {
            await _preparing; // ready, or an error that is not the database's: the start fails with it
            return;
        }

        // Not ready yet: listen anyway and keep trying. Nobody awaits the attempts from here on, so their end is observed here.
        _ = _preparing.ContinueWith(t => OnBackgroundEnd(t), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Applies pending migrations and logs what was applied (or that the schema was current).</summary>
    public static async Task MigrateAndLogAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        var applied = await StoreMigrator.MigrateAsync(services, cancellationToken);
        var provider = services.GetRequiredService<DatabaseOptions>().StoreProvider.ToString();
        if (applied.Count > 0) HostLog.DatabaseMigrated(logger, provider, applied.Count, applied[^1]);
        else HostLog.DatabaseUpToDate(logger, provider);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_preparing is not null) await _preparing.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        CheckpointSqlite();
    }

    public void Dispose() => _stopping.Dispose();

    private async Task PrepareWithRetriesAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => IsTheDatabases(e) && !cancellationToken.IsCancellationRequested),
            MaxRetryAttempts = int.MaxValue, // until the database comes or the process stops
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = FirstRetryDelay < resilience.Value.StartupRetryMaxDelay ? FirstRetryDelay : resilience.Value.StartupRetryMaxDelay,
            MaxDelay = resilience.Value.StartupRetryMaxDelay,
            OnRetry = args =>
            {
                var reason = Reason(args.Outcome.Exception!);
                var since = (long)time.GetElapsedTime(started).TotalSeconds;
                startup.Waiting($"waiting for the database for {since} s: {reason}; attempt {args.AttemptNumber + 2} in {args.RetryDelay.TotalSeconds:0.#} s");
                // The exception (with the provider's own message) once; later attempts repeat it in our words only.
                HostLog.StoreNotReady(logger, reason, args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds,
                    args.AttemptNumber == 0 ? args.Outcome.Exception : null);
                _firstAttemptFailed.TrySetResult();
                return default;
            },
        }).Build();

        var attempts = 0;
        await pipeline.ExecuteAsync(async ct =>
        {
            attempts++;
            await PrepareAsync(ct);
        }, cancellationToken);
        startup.MarkReady();
        HostLog.StoreReady(logger, options.Value.StoreProvider.ToString(), attempts, (long)time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>One attempt: the schema current, Hangfire's tables in place.</summary>
    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup)
        {
            await MigrateAndLogAsync(services, logger, cancellationToken);
        }
        else
        {
            var factory = services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>();
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            if (pending > 0) throw new StoreNotMigratedException(pending);
        }

        await JobsServiceCollectionExtensions.PrepareJobStorageAsync(services, cancellationToken);
    }

    private void OnBackgroundEnd(Task preparing)
    {
        // Ready; or stopped while waiting, when whatever the last attempt threw is moot.
        if (_stopping.IsCancellationRequested || preparing.Exception?.GetBaseException() is not { } error) return;
        startup.MarkFailed(error);
        HostLog.StoreStartFailed(logger, error);
        lifetime.StopApplication();
    }

    /// <summary>Whether a failed attempt is the database's to fix (unreachable, restarting, unmigrated, refusing the
    /// credentials, its disk full): worth another attempt. Anything else is a setting or a bug, and ends the start.</summary>
    private static bool IsTheDatabases(Exception e)
    {
        if (e is StoreNotMigratedException || StoreErrors.Classify(e) != StoreFault.None) return true;
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DbException or TimeoutException) return true;
        }

        return false;
    }

    private static string Reason(Exception e) => e is StoreNotMigratedException ? e.Message : StoreErrors.Describe(e);

    private void CheckpointSqlite()
    {
        var database = options.Value;
        if (database.StoreProvider != StoreProvider.Sqlite || SqliteDatabase.WalPath(database.EffectiveConnectionString) is not { } wal
            || !File.Exists(wal))
        {
            return;
        }

        try
        {
            var before = new FileInfo(wal).Length;
            if (SqliteDatabase.CheckpointTruncate(database.EffectiveConnectionString, StopCheckpointTimeout))
                HostLog.WalCheckpointedOnStop(logger, before);
            else
                HostLog.WalCheckpointBusyOnStop(logger, before, null);
        }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException)
        {
            // The database file is gone or unwritable: the WAL stays, and SQLite replays it on the next open.
            HostLog.WalCheckpointBusyOnStop(logger, -1, e);
        }
    }

    /// <summary>Migrations are pending while <c>Database:MigrateOnStartup</c> is off: a deployment step is expected to apply them.</summary>
    private sealed class StoreNotMigratedException(int pending)
        : Exception($"{pending} migration(s) not applied and Database:MigrateOnStartup is false; waiting for them to be applied");
}
