using IntegrationHealth.Data.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Data.Tests.Infrastructure;

/// <summary>One migrated, empty database per test class, wired through the real <c>AddIntegrationHealthStore</c>.</summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private ServiceProvider? _services;

    /// <summary>The engine under test.</summary>
    public abstract StoreProvider Provider { get; }

    /// <summary>The container built by <see cref="StoreServiceCollectionExtensions.AddIntegrationHealthStore(IServiceCollection, DatabaseOptions)"/>.</summary>
    public IServiceProvider Services => _services ?? throw new InvalidOperationException("The store fixture is not initialised.");

    /// <summary>The options the store was registered with.</summary>
    public DatabaseOptions Options { get; private set; } = new();

    public ITelemetryWriter Writer => Services.GetRequiredService<ITelemetryWriter>();

    public IntegrationHealthDbContext CreateContext()
        => Services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>().CreateDbContext();

    /// <summary>Creates an empty database and returns the store options pointing at it; null when the suite is skipped.</summary>
    protected abstract Task<DatabaseOptions?> CreateEmptyDatabaseAsync();

    /// <summary>Drops the database created by <see cref="CreateEmptyDatabaseAsync"/>.</summary>
    protected abstract Task DropDatabaseAsync();

    public async Task InitializeAsync()
    {
        var options = await CreateEmptyDatabaseAsync();
        if (options is null)
        {
            return;
        }

        Options = options;
        _services = new ServiceCollection().AddIntegrationHealthStore(options).BuildServiceProvider();
        await StoreMigrator.MigrateAsync(_services);
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await DropDatabaseAsync();
    }
}
