using IntegrationHealth.Data;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Demo;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>
/// A fresh, migrated store for one run: a scratch PostgreSQL database (created from the admin connection, dropped
/// afterwards) or a SQLite file in a temporary folder. The real migrations create the schema; the demo world's
/// tenant, accounts and connections are written so that events resolve.
/// </summary>
internal sealed class ScratchStore : IAsyncDisposable
{
    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;
    private readonly string? _directory;

    private ScratchStore(DatabaseOptions options, ServiceProvider services, DemoStoreIds ids, string? adminConnectionString,
        string? databaseName, string? directory)
    {
        Options = options;
        Services = services;
        Ids = ids;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
        _directory = directory;
    }

    public DatabaseOptions Options { get; }

    public ServiceProvider Services { get; }

    public DemoStoreIds Ids { get; }

    public ITelemetryWriter Writer => Services.GetRequiredService<ITelemetryWriter>();

    public static async Task<ScratchStore> CreatePostgresAsync(string adminConnectionString, string purpose, IngestionWorkload workload)
    {
        var name = $"ih_bench_{purpose}_{Environment.ProcessId}";
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
        return await InitialiseAsync(new DatabaseOptions { Provider = "postgres", ConnectionString = connectionString }, workload,
            adminConnectionString, name, null);
    }

    public static async Task<ScratchStore> CreateSqliteAsync(string purpose, IngestionWorkload workload)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"ih-bench-{purpose}-{Environment.ProcessId}");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        Directory.CreateDirectory(directory);
        var options = new DatabaseOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(directory, "bench.db")}" };
        return await InitialiseAsync(options, workload, null, null, directory);
    }

    private static async Task<ScratchStore> InitialiseAsync(DatabaseOptions options, IngestionWorkload workload, string? admin,
        string? databaseName, string? directory)
    {
        var services = new ServiceCollection().AddIntegrationHealthStore(options).BuildServiceProvider();
        try
        {
            await StoreMigrator.MigrateAsync(services);
            var ids = await DemoSeeder.SeedEntitiesAsync(services, workload.World);
            return new ScratchStore(options, services, ids, admin, databaseName, directory);
        }
        catch
        {
            // Not handed to the caller, so drop the scratch database / folder here.
            await new ScratchStore(options, services, new DemoStoreIds(0, [], [], []), admin, databaseName, directory).DisposeAsync();
            throw;
        }
    }

    /// <summary>Rows in the telemetry table.</summary>
    public async Task<long> CountEventsAsync()
    {
        var factory = Services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await db.TelemetryEvents.LongCountAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_adminConnectionString is not null && _databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(_adminConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder; harmless.
            }
        }
    }
}
