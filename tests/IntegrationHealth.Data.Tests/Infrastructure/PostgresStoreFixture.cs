namespace IntegrationHealth.Data.Tests.Infrastructure;

/// <summary>A fresh PostgreSQL database per test class, created and dropped on the test server; telemetry is written
/// by binary COPY (<see cref="PostgresUnnestStoreFixture"/> covers the default unnest mode).</summary>
public class PostgresStoreFixture : StoreFixture
{
    private PostgresTestDatabase? _database;

    public override StoreProvider Provider => StoreProvider.Postgres;

    /// <summary>The telemetry write mode the store is registered with.</summary>
    public virtual PostgresWriteMode WriteMode => PostgresWriteMode.Copy;

    /// <summary>Name of the database this fixture created.</summary>
    public string DatabaseName => (_database ?? throw new InvalidOperationException("The store fixture is not initialised.")).Name;

    protected override async Task<TestDatabase?> CreateDatabaseAsync()
    {
        if (TestServers.PostgresSkipReason is not null)
        {
            return null; // every test of the class is skipped with that reason
        }

        return _database = await TestDatabase.MigratedPostgresAsync(writeMode: WriteMode);
    }

    /// <inheritdoc />
    public override async Task<TestDatabase> CreateEmptyDatabaseAsync() => await TestDatabase.PostgresAsync(writeMode: WriteMode);
}

/// <summary>A <see cref="PostgresStoreFixture"/> whose telemetry writer uses the single-statement unnest mode.</summary>
public sealed class PostgresUnnestStoreFixture : PostgresStoreFixture
{
    public override PostgresWriteMode WriteMode => PostgresWriteMode.Unnest;
}
