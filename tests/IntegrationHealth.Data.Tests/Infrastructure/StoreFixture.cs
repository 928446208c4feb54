using IntegrationHealth.Data.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Data.Tests.Infrastructure;

/// <summary>One migrated, empty database per test class (a shared <see cref="TestDatabase"/>), wired through the real
/// <c>AddIntegrationHealthStore</c>.</summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    /// <summary>The engine under test.</summary>
    public abstract StoreProvider Provider { get; }

    /// <summary>The container built by <see cref="StoreServiceCollectionExtensions.AddIntegrationHealthStore(IServiceCollection, DatabaseOptions)"/>.</summary>
    public IServiceProvider Services => (_database ?? throw new InvalidOperationException("The store fixture is not initialised.")).Services;

    /// <summary>The options the store was registered with.</summary>
    public DatabaseOptions Options { get; private set; } = new();

    public ITelemetryWriter Writer => Services.GetRequiredService<ITelemetryWriter>();

    /// <summary>A second writer of the store (its own connection pool on PostgreSQL, like another process's) whose
    /// receiving clock is <paramref name="time"/>; the caller disposes it.</summary>
    public ITelemetryWriter CreateWriter(TimeProvider time) => CreateWriter(Options, time);

    /// <summary>A writer of the store of <paramref name="options"/> (a test's own database) with the receiving clock
    /// <paramref name="time"/>; the caller disposes it.</summary>
    public static ITelemetryWriter CreateWriter(DatabaseOptions options, TimeProvider time) => options.StoreProvider == StoreProvider.Sqlite
        ? new SqliteTelemetryWriter(options.EffectiveConnectionString, time)
        : new PostgresTelemetryWriter(options.EffectiveConnectionString, options.PostgresWriteMode, options.TelemetryDedupWindowDays, time);

    /// <summary>The store's retention and partition upkeep, run at <paramref name="time"/>.</summary>
    public TelemetryMaintenance CreateMaintenance(TimeProvider time) => new(Options, time);

    public IntegrationHealthDbContext CreateContext()
        => Services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>().CreateDbContext();

    /// <summary>Creates and migrates the database; null when the suite is skipped.</summary>
    protected abstract Task<TestDatabase?> CreateDatabaseAsync();

    /// <summary>Another database of the same engine, empty and not migrated, for tests that migrate step by step; the
    /// caller disposes it.</summary>
    public abstract Task<TestDatabase> CreateEmptyDatabaseAsync();

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        if (_database is not null)
        {
            Options = _database.Options;
        }
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
