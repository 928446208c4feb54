using IntegrationHealth.Data.Sqlite;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace IntegrationHealth.Data.Tests.Sqlite;

/// <summary>The SQLite heap bound that keeps the API's resident memory flat however many connections are pooled.</summary>
public sealed class SqliteMemoryBoundTests(SqliteStoreFixture store) : IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task StoreConnections_SetTheSoftHeapLimit_WithMemoryAccountingThatEnforcesIt()
    {
        await using var db = store.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA soft_heap_limit";

        var limit = (long)(await command.ExecuteScalarAsync())!;

        Assert.Equal(SqliteDatabase.SoftHeapLimitBytes, limit);
        // The limit works only where SQLite counts its allocations (SQLITE_DEFAULT_MEMSTATUS): the bundled library must.
        Assert.True(raw.sqlite3_memory_used() > 0, "SQLite does not account its heap, so soft_heap_limit would not be enforced");
        // The arithmetic the limit stands for: the writer's cache and two pooled connections' caches, within the
        // 400 MB process (the rest is measured in the benchmarks README).
        Assert.Equal((SqliteDatabase.WriterCacheSizeKib + 2L * SqliteDatabase.CacheSizeKib) * 1024, SqliteDatabase.SoftHeapLimitBytes);
        Assert.True(SqliteDatabase.SoftHeapLimitBytes <= 96L * 1024 * 1024);
    }

    /// <summary>Regression: the writer's pragmas, run each time it takes its pooled connection, were the pooled
    /// connections' (<c>cache_size</c> 16 MB) followed by its own, so every group transaction first cut its cache to
    /// 16 MB and SQLite freed the rest at once.</summary>
    [Fact]
    public void WriterConnectionPragmas_RunAgainOnAWarmConnection_KeepTheWriterCache()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ih-writer-cache-{Guid.NewGuid():N}.db");
        var connectionString = SqliteDatabase.WriterConnectionString($"Data Source={path};Pooling=False");
        try
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
            connection.Open();
            Execute(connection, SqliteDatabase.WriterConnectionPragmas);
            // 24 MB of rows, past a pooled connection's 16 MB and within the writer's cache, read back into it.
            Execute(connection, "CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB); " +
                                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1536) " +
                                "INSERT INTO pages (body) SELECT randomblob(16000) FROM n;");
            Execute(connection, "SELECT sum(length(body)) FROM pages;");
            var warm = CacheUsedBytes(connection);
            Assert.True(warm > SqliteDatabase.CacheSizeKib * 1024L * 5 / 4, $"the writer's cache held only {warm:N0} bytes after reading 24 MB");

            Execute(connection, SqliteDatabase.WriterConnectionPragmas);

            var after = CacheUsedBytes(connection);
            Assert.True(after >= warm * 9 / 10, $"the writer's cache went from {warm:N0} to {after:N0} bytes when its pragmas ran again");
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static void Execute(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        do
        {
            while (reader.Read())
            {
            }
        }
        while (reader.NextResult());
    }

    private static long CacheUsedBytes(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_db_status(connection.Handle, raw.SQLITE_DBSTATUS_CACHE_USED, out var used, out _, 0));
        return used;
    }
}
