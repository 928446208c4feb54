using IntegrationHealth.Data.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IntegrationHealth.Data.Tests.Sqlite;

/// <summary>
/// The telemetry writer's savepoint journal stays out of the process's heap (<see cref="SqliteDatabase.WriterTempStore"/>):
/// with <c>temp_store=MEMORY</c> every page a batch changed inside its savepoint was copied into 1 KB heap chunks, which
/// were the native heap's churn and the API's transient resident-memory peak. Measured with SQLite's process-wide heap
/// figure, so the class runs alone.
/// </summary>
[Collection(SqliteWriterJournalCollection.Name)]
public sealed class SqliteWriterJournalTests
{
    // One row per page, small enough to stay on its page (no overflow pages, so an update rewrites the page in place and
    // only the journal allocates): 24 MB of pages, inside the writer's cache.
    private const int Body = SqliteDatabase.PageSize - 96;
    private const int Rows = 24 * 1024 * 1024 / SqliteDatabase.PageSize;

    [Fact]
    public void WriterConnectionPragmas_KeepASavepointsJournalOutOfTheHeap()
    {
        var pooled = JournalGrowth(SqliteDatabase.ConnectionPragmas);
        var writer = JournalGrowth(SqliteDatabase.WriterConnectionPragmas);

        // The measurement sees a journal in memory: every one of the 24 MB of pages, copied into the heap.
        Assert.True(pooled > 16L * 1024 * 1024, $"changing 24 MB inside a savepoint grew SQLite's heap by only {pooled:N0} bytes in memory");
        // The writer's goes to a temporary file: at most the 64 KB SQLite keeps in memory before it spills.
        Assert.True(writer < 2L * 1024 * 1024, $"changing 24 MB inside a savepoint grew SQLite's heap by {writer:N0} bytes on the writer's connection");
    }

    [Fact]
    public void WriterConnectionPragmas_SetTheTemporaryStoreToAFile()
    {
        using var connection = new SqliteConnection("Data Source=:memory:;Pooling=False");
        connection.Open();
        Execute(connection, SqliteDatabase.WriterConnectionPragmas);

        Assert.Equal(1L, Scalar(connection, "PRAGMA temp_store")); // 1 = FILE
        // The bundled library must let the pragma decide (SQLITE_TEMP_STORE=3 would keep everything in memory).
        var options = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA compile_options";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                options.Add(reader.GetString(0));
            }
        }

        Assert.DoesNotContain("TEMP_STORE=3", options);
    }

    /// <summary>How much SQLite's heap grows while one savepoint changes every page of a 24 MB table that is already in
    /// the cache (only the journal then allocates).</summary>
    private static long JournalGrowth(string pragmas)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ih-writer-journal-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            Execute(connection, SqliteDatabase.ConnectionPragmas + " PRAGMA journal_mode=WAL;");
            Execute(connection, "CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB); " +
                                $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) " +
                                $"INSERT INTO pages (body) SELECT randomblob({Body}) FROM n;");
            Execute(connection, pragmas + " PRAGMA cache_size=-81920;"); // the cache holds the table in both cases
            Execute(connection, "SELECT sum(length(body)) FROM pages;");
            Execute(connection, "BEGIN IMMEDIATE; SAVEPOINT b0;");
            var before = raw.sqlite3_memory_used();
            Execute(connection, $"UPDATE pages SET body = randomblob({Body});");
            var grown = raw.sqlite3_memory_used() - before;
            Execute(connection, "ROLLBACK;");
            return grown;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
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

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

/// <summary>The writer-journal tests read SQLite's process-wide heap figure: no other test class runs alongside.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqliteWriterJournalCollection
{
    public const string Name = "SQLite writer journal";
}
