using IntegrationHealth.Data;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Demo;
using IntegrationHealth.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>
/// A fresh, migrated store for one run: a throwaway database of IntegrationHealth.Testing, either a scratch PostgreSQL
/// database (created from the admin connection, dropped afterwards) or a temporary SQLite file. The real migrations
/// create the schema; the demo world's tenant, accounts and connections are written so that events resolve.
/// </summary>
internal sealed class ScratchStore : IAsyncDisposable
{
    private readonly TestDatabase _database;

    private ScratchStore(TestDatabase database, DemoStoreIds ids)
    {
        _database = database;
        Ids = ids;
    }

    public DatabaseOptions Options => _database.Options;

    public IServiceProvider Services => _database.Services;

    public DemoStoreIds Ids { get; }

    public ITelemetryWriter Writer => Services.GetRequiredService<ITelemetryWriter>();

    public static async Task<ScratchStore> CreatePostgresAsync(string adminConnectionString, string purpose, IngestionWorkload workload)
        => await InitialiseAsync(await TestDatabase.MigratedPostgresAsync($"ih_bench_{purpose}", adminConnectionString: adminConnectionString), workload);

    public static async Task<ScratchStore> CreateSqliteAsync(string purpose, IngestionWorkload workload)
        => await InitialiseAsync(await TestDatabase.MigratedSqliteAsync($"ih-bench-{purpose}"), workload);

    private static async Task<ScratchStore> InitialiseAsync(TestDatabase database, IngestionWorkload workload)
    {
        try
        {
            return new ScratchStore(database, await DemoSeeder.SeedEntitiesAsync(database.Services, workload.World));
        }
        catch
        {
            // Not handed to the caller, so drop the scratch database / file here.
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Rows in the telemetry table.</summary>
    public async Task<long> CountEventsAsync()
    {
        await using var db = await _database.ContextFactory.CreateDbContextAsync();
        return await db.TelemetryEvents.LongCountAsync();
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
