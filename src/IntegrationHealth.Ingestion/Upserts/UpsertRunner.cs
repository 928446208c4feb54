using IntegrationHealth.Data;
using IntegrationHealth.Web.Http;
using IntegrationHealth.Web.Store;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Ingestion.Upserts;

/// <summary>What one attempt of an upsert produced: counts, or reference errors (unknown account, …).</summary>
public readonly record struct UpsertOutcome(UpsertResult? Result, BatchErrors? Errors);

/// <summary>
/// Runs an upsert in one transaction on a fresh context. Two requests inserting the same new external id at once make
/// one of them hit the unique index (or, on PostgreSQL, deadlock when they insert overlapping ids in different orders);
/// that one is retried after a short jittered pause (it then finds the rows and updates them) rather than failing.
/// Every retry sees more committed rows, so contention resolves within a few attempts even with many writers.
/// Transient storage failures (PostgreSQL restarting, a connection a restart broke) are retried around all that by
/// <see cref="StoreRetry"/>: the upsert matches by external id, so repeating one whose commit outcome is unknown
/// updates what it inserted instead of inserting twice.
/// </summary>
public static class UpsertRunner
{
    private const int MaxAttempts = 8;

    public static Task<UpsertOutcome> RunAsync(
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, StoreRetry storeRetry, ILogger logger, string what,
        Func<IntegrationHealthDbContext, CancellationToken, Task<UpsertOutcome>> apply, CancellationToken cancellationToken)
        => storeRetry.ExecuteAsync(ct => RunOnceAsync(dbFactory, logger, what, apply, ct), cancellationToken);

    private static async Task<UpsertOutcome> RunOnceAsync(
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, ILogger logger, string what,
        Func<IntegrationHealthDbContext, CancellationToken, Task<UpsertOutcome>> apply, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                // After the failed attempt's transaction is rolled back (disposed), so its locks are released.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), cancellationToken);
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var outcome = await apply(db, cancellationToken);
                if (outcome.Errors is { Any: true }) return outcome; // rolled back by disposal
                await transaction.CommitAsync(cancellationToken);
                return outcome;
            }
            catch (Exception ex) when (attempt < MaxAttempts && StoreErrors.IsRetryableConflict(ex))
            {
                IngestionLog.UpsertConflict(logger, what, attempt, ex);
            }
        }
    }
}
