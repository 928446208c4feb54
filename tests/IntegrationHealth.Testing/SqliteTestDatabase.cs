using IntegrationHealth.Data;
using Microsoft.Data.Sqlite;

namespace IntegrationHealth.Testing;

/// <summary>A throwaway SQLite database: a uniquely named file in the temporary folder, deleted on dispose together
/// with its <c>-wal</c>, <c>-shm</c> and <c>-journal</c> companions. The file does not exist until something opens the
/// database (the store creates it, e.g. on <see cref="TestDatabase.MigrateAsync"/>).</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    /// <summary>File name prefix used when the caller gives none.</summary>
    public const string DefaultPrefix = "ih-test";

    private SqliteTestDatabase(string filePath)
        : base(new SqliteConnectionStringBuilder { DataSource = filePath }.ToString())
        => FilePath = filePath;

    /// <summary>Path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>Every file SQLite may create for this database: the file itself, the WAL, its shared-memory index and
    /// a rollback journal (left behind only by a crash before the store switched the file to WAL).</summary>
    public IReadOnlyList<string> Files => [FilePath, FilePath + "-wal", FilePath + "-shm", FilePath + "-journal"];

    /// <inheritdoc />
    public override StoreProvider StoreProvider => StoreProvider.Sqlite;

    /// <inheritdoc />
    public override DatabaseOptions Options => new() { Provider = Provider, ConnectionString = ConnectionString };

    private protected override ValueTask DeleteAsync()
    {
        // Pooled connections keep the files open; on Windows they could not be deleted at all.
        SqliteConnection.ClearAllPools();
        foreach (var file in Files)
        {
            try
            {
                File.Delete(file); // no error when it does not exist
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Still open somewhere on its way down: a leftover in the temporary folder is harmless.
            }
        }

        return ValueTask.CompletedTask;
    }

    internal static SqliteTestDatabase Create(string prefix)
        => new(Path.Combine(Path.GetTempPath(), $"{ValidPrefix(prefix)}-{Guid.NewGuid():N}.db"));

    private static string ValidPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (prefix.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || prefix.Contains('/') || prefix.Contains('\\'))
        {
            throw new ArgumentException($"'{prefix}' is not a file name prefix.", nameof(prefix));
        }

        return prefix;
    }
}
