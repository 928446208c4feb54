using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Sqlite;

namespace IntegrationHealth.Data.Tests.TestSupport;

/// <summary>The shared throwaway SQLite database of IntegrationHealth.Testing: where its file is, and that nothing of
/// it is left once disposed.</summary>
public sealed class SqliteTestDatabaseTests
{
    private const string Prefix = "ih-testing-tests";

    [Fact]
    public async Task Sqlite_New_IsAnUnusedFileInTheTempFolderThatOptionsPointAt()
    {
        await using var database = TestDatabase.Sqlite(Prefix);
        await using var other = TestDatabase.Sqlite(Prefix);

        Assert.StartsWith(Path.Combine(Path.GetTempPath(), Prefix + "-"), database.FilePath);
        Assert.NotEqual(database.FilePath, other.FilePath);
        Assert.False(File.Exists(database.FilePath));
        Assert.Equal("sqlite", database.Provider);
        Assert.Equal(StoreProvider.Sqlite, database.Options.StoreProvider);
        Assert.Equal(database.ConnectionString, database.Options.ConnectionString);
        Assert.Equal(database.FilePath, SqliteDatabase.FilePath(database.ConnectionString));
    }

    [Fact]
    public async Task DisposeAsync_MigratedAndWritten_DeletesTheFileWithItsWalAndShm()
    {
        var database = await TestDatabase.MigratedSqliteAsync(Prefix);
        await using (var db = database.CreateContext())
        {
            db.Tenants.Add(new Tenant { Key = "t-files", Name = "Files", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        // The pooled connection is still open, so the WAL and its index exist: the deletion below has work to do.
        Assert.True(File.Exists(database.FilePath));
        Assert.True(File.Exists(database.FilePath + "-wal"));
        Assert.True(File.Exists(database.FilePath + "-shm"));

        await database.DisposeAsync();

        Assert.All(database.Files, file => Assert.False(File.Exists(file), $"{file} is left"));
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsHarmlessAndServicesAreGone()
    {
        var database = await TestDatabase.MigratedSqliteAsync(Prefix);

        await database.DisposeAsync();
        await database.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => database.Services);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    public void Sqlite_PrefixThatIsNoFileName_Throws(string prefix)
        => Assert.ThrowsAny<ArgumentException>(() => TestDatabase.Sqlite(prefix));
}
