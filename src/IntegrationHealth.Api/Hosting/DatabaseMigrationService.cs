using IntegrationHealth.Data;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Api.Hosting;

/// <summary>
/// Applies pending migrations before anything else starts (registered first, and hosted services start in order), so
/// a fresh database is usable by the time Kestrel or the job server accepts work. <c>Database:MigrateOnStartup=false</c>
/// turns it off for deployments that migrate separately.
/// </summary>
public sealed class DatabaseMigrationService(IServiceProvider services, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrationService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup) return;
        await MigrateAndLogAsync(services, logger, cancellationToken);
    }

    /// <summary>Applies pending migrations and logs what was applied (or that the schema was current).</summary>
    public static async Task MigrateAndLogAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        var applied = await StoreMigrator.MigrateAsync(services, cancellationToken);
        var provider = services.GetRequiredService<DatabaseOptions>().StoreProvider.ToString();
        if (applied.Count > 0) HostLog.DatabaseMigrated(logger, provider, applied.Count, applied[^1]);
        else HostLog.DatabaseUpToDate(logger, provider);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
