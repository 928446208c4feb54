using IntegrationHealth.Data;
using IntegrationHealth.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Store;

/// <summary>
/// Readiness check <c>store</c>: while the store is not ready, why (without touching the database); afterwards a real
/// round trip through the migrated schema, not just "a socket opened". Failures are described in our own words.
/// </summary>
public sealed class StoreHealthCheck(StoreStartup startup, IDbContextFactory<IntegrationHealthDbContext> dbFactory) : IHealthCheck
{
    public const string Name = "store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!startup.IsReady) return HealthCheckResult.Unhealthy(startup.Status);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            _ = await db.Tenants.AnyAsync(cancellationToken); // any answer will do: the table exists and the query ran
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var what = StoreErrors.Classify(e) == StoreFault.None ? "a query through the schema failed" : "the database is unavailable";
            return HealthCheckResult.Unhealthy($"{what}: {StoreErrors.Describe(e)}", e);
        }
    }
}

/// <summary>
/// Readiness check <c>store-writes</c>: whether the store can take writes, which a successful query does not show (a
/// full disk still answers queries). Unhealthy while the last storage fault a request met is younger than
/// <see cref="StoreResilienceOptions.WriteFailureWindow"/> and no write has succeeded since, and, on SQLite, while the
/// database file's filesystem has less free space than <see cref="StoreResilienceOptions.MinFreeDiskBytes"/>.
/// </summary>
public sealed class StoreWritesHealthCheck(
    StoreWriteHealth health, DatabaseOptions database, IOptions<StoreResilienceOptions> options, TimeProvider time) : IHealthCheck
{
    public const string Name = "store-writes";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (health.RecentFault(settings.WriteFailureWindow) is { } fault)
        {
            var ago = Math.Max(0, (time.GetUtcNow() - fault.At).TotalSeconds);
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"a request failed {ago:0} s ago, {fault.Description}, and no write has succeeded since"));
        }

        if (settings.MinFreeDiskBytes > 0 && FreeBytes() is { } free && free < settings.MinFreeDiskBytes)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"{Megabytes(free)} free on the database's filesystem, below {StoreResilienceOptions.Section}:MinFreeDiskBytes ({Megabytes(settings.MinFreeDiskBytes)})"));
        }

        return Task.FromResult(HealthCheckResult.Healthy());
    }

    /// <summary>Free bytes where the SQLite file is; null for PostgreSQL (its disks are the server's) and in-memory files.</summary>
    private long? FreeBytes()
    {
        if (database.StoreProvider != StoreProvider.Sqlite || SqliteDatabase.FilePath(database.EffectiveConnectionString) is not { } path)
            return null;
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            return string.IsNullOrEmpty(directory) || !Directory.Exists(directory) ? null : new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null; // unknown is not "full": the write-failure record still applies
        }
    }

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):0.##} MB";
}
