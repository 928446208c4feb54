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
        // The arithmetic the limit stands for: the writer's cache and six pooled connections' caches.
        Assert.Equal((SqliteDatabase.WriterCacheSizeKib + 6L * SqliteDatabase.CacheSizeKib) * 1024, SqliteDatabase.SoftHeapLimitBytes);
        Assert.True(SqliteDatabase.SoftHeapLimitBytes < 250L * 1024 * 1024);
    }
}
