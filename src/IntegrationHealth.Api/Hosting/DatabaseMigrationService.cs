using IntegrationHealth.Data;

namespace IntegrationHealth.Api.Hosting;

/// <summary>
/// Applies pending migrations before anything else starts (registered first, and hosted services start in order), so
/// a fresh database is usable by the time Kestrel or the job server accepts work. <c>Database:MigrateOnStartup=false</c>
/// turns it off for deployments that migrate separately.
/// </summary>
public sealed class DatabaseMigrationService(IServiceProvider services, IConfiguration configuration, ILogger<DatabaseMigrationService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Database:MigrateOnStartup", true)) return;
        await StoreMigrator.MigrateAsync(services, cancellationToken);
        LogMessages.DatabaseMigrated(logger, DatabaseOptions.FromConfiguration(configuration).StoreProvider.ToString());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
