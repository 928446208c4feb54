using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace IntegrationHealth.Data.Sqlite;

/// <summary>SQLite file and connection settings shared by the DbContext and the bulk writer.</summary>
public static class SqliteDatabase
{
    /// <summary>Page cache per connection, in KiB (negative <c>cache_size</c> means KiB). Indexes that fit in the cache
    /// keep random-key inserts fast: DESIGN.md measured 40k rows/s with the default cache and 120k with 256 MB.</summary>
    public const int CacheSizeKib = 262_144;

    /// <summary>How long a connection waits for another writer's lock before failing.</summary>
    public const int BusyTimeoutMs = 30_000;

    /// <summary>WAL pages a commit may leave before it checkpoints (default 1,000). Each 1,000-event batch dirties
    /// roughly one page per event (random-key index), so the default made nearly every batch also checkpoint, with an
    /// fsync; 16,384 pages (64 MB at 4 KB pages) checkpoints every dozen batches instead (measured ~1.5-2x).</summary>
    public const int WalAutoCheckpointPages = 16_384;

    /// <summary>Per-connection pragmas, run on every opened connection (they are not stored in the file).</summary>
    public static readonly string ConnectionPragmas =
        $"PRAGMA synchronous=NORMAL; PRAGMA cache_size=-{CacheSizeKib}; PRAGMA busy_timeout={BusyTimeoutMs}; " +
        $"PRAGMA wal_autocheckpoint={WalAutoCheckpointPages}; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";

    /// <summary>Creates the folder of a file database if it is missing (no-op for in-memory databases).</summary>
    public static void EnsureDirectory(string connectionString)
    {
        var path = FilePath(connectionString);
        if (path is null)
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>The database file path, or null for in-memory databases.</summary>
    public static string? FilePath(string connectionString)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Database:ConnectionString is not a valid SQLite connection string: {ex.Message}", ex);
        }

        var source = builder.DataSource;
        if (string.IsNullOrWhiteSpace(source) || source == ":memory:" || builder.Mode == SqliteOpenMode.Memory
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return source;
    }

    /// <summary>Runs <see cref="ConnectionPragmas"/> on an open connection.</summary>
    public static void ApplyPragmas(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <see cref="ConnectionPragmas"/> on an open connection.</summary>
    public static async Task ApplyPragmasAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
