using IntegrationHealth.Data;
using IntegrationHealth.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Authentication;

/// <summary>
/// Daily: deletes API keys revoked more than <see cref="JobsOptions.PurgeRevokedKeysAfter"/> ago. Revoked keys are kept
/// a while so "which key was that" can still be answered from <c>GET /v1/keys</c>; after that they are noise.
/// </summary>
public sealed class RevokedKeyPurgeJob(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<RevokedKeyPurgeJob> logger) : IRecurringJob
{
    public const string RecurringJobId = "purge-revoked-api-keys";

    /// <summary>Daily at 03:00 UTC.</summary>
    public const string Schedule = "0 3 * * *";

    /// <inheritdoc />
    public Task RunAsync(CancellationToken cancellationToken) => PurgeAsync(cancellationToken);

    /// <summary>Deletes the old revoked keys; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.PurgeRevokedKeysAfter;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var purged = await db.ApiKeys.Where(k => k.RevokedAt != null && k.RevokedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        WebLog.RevokedKeysPurged(logger, purged, cutoff);
        return purged;
    }
}
