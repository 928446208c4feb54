namespace IntegrationHealth.Data.Tests.Infrastructure;

/// <summary>A temporary SQLite file database per test class.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private SqliteTestDatabase? _database;

    public override StoreProvider Provider => StoreProvider.Sqlite;

    /// <summary>Path of the database file.</summary>
    public string DatabasePath => (_database ?? throw new InvalidOperationException("The store fixture is not initialised.")).FilePath;

    protected override async Task<TestDatabase?> CreateDatabaseAsync() => _database = await TestDatabase.MigratedSqliteAsync("ih-sqlite-tests");

    /// <inheritdoc />
    public override Task<TestDatabase> CreateEmptyDatabaseAsync() => Task.FromResult<TestDatabase>(TestDatabase.Sqlite("ih-sqlite-tests"));
}
