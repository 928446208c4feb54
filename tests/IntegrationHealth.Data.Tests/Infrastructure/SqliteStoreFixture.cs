using Microsoft.Data.Sqlite;

namespace IntegrationHealth.Data.Tests.Infrastructure;

/// <summary>A temporary SQLite file database per test class.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ih-sqlite-tests", Guid.NewGuid().ToString("N"));

    public override StoreProvider Provider => StoreProvider.Sqlite;

    /// <summary>Path of the database file (its folder does not exist before migration: the store creates it).</summary>
    public string DatabasePath => Path.Combine(_directory, "store.db");

    protected override Task<DatabaseOptions?> CreateEmptyDatabaseAsync()
        => Task.FromResult<DatabaseOptions?>(new DatabaseOptions { Provider = "sqlite", ConnectionString = $"Data Source={DatabasePath}" });

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}
