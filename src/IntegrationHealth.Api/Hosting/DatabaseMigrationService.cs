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
        await StoreMigrator.MigrateAsync(services, cancellationToken);
        HostLog.DatabaseMigrated(logger, options.Value.StoreProvider.ToString());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
