using IntegrationHealth.Api.Contracts;
using IntegrationHealth.Data;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Upserts;

/// <summary>What one attempt of an upsert produced: counts, or reference errors (unknown account, …).</summary>
public readonly record struct UpsertOutcome(UpsertResult? Result, BatchErrors? Errors);

/// <summary>
/// Runs an upsert in one transaction on a fresh context. Two requests inserting the same new external id at once make
/// one of them hit the unique index; that one is retried (it then finds the row and updates it) rather than failing.
/// </summary>
public static class UpsertRunner
{
    private const int MaxAttempts = 3;

    public static async Task<UpsertOutcome> RunAsync(
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, ILogger logger, string what,
        Func<IntegrationHealthDbContext, CancellationToken, Task<UpsertOutcome>> apply, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var outcome = await apply(db, cancellationToken);
                if (outcome.Errors is { Any: true }) return outcome; // rolled back by disposal
                await transaction.CommitAsync(cancellationToken);
                return outcome;
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && StoreErrors.IsDuplicateKey(ex))
            {
                LogMessages.UpsertConflict(logger, what, attempt, ex);
            }
        }
    }
}
