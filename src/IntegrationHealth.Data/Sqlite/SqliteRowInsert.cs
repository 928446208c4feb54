using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IntegrationHealth.Data.Sqlite;

/// <summary>
/// One prepared single-row statement on an open connection, bound and stepped through SQLite's C API
/// (<see cref="SqliteConnection.Handle"/>) instead of <see cref="SqliteCommand"/>.
/// </summary>
/// <remarks>
/// Why not <see cref="SqliteCommand"/>: for a 17-column row, <c>ExecuteNonQuery</c> boxes every value, re-checks every
/// parameter's type on each execution and wraps each step in a data reader. Measured on 200,000 events (1,000 per
/// transaction, 2 cores shared with other work), the bulk writer took ~25% less CPU per event binding directly.
/// The statement runs inside whatever transaction the connection has open; errors surface as
/// <see cref="SqliteException"/>, as they would from a command.
/// </remarks>
internal sealed class SqliteRowInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    /// <summary>Prepares <paramref name="sql"/> (positional parameters <c>?1 … ?n</c>) on an open connection.</summary>
    public SqliteRowInsert(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>Binds a BLOB to the 1-based parameter <paramref name="index"/>.</summary>
    public void Blob(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_blob(_statement, index, value));

    /// <summary>Binds an INTEGER to the 1-based parameter <paramref name="index"/>.</summary>
    public void Integer(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Binds an INTEGER, or NULL when <paramref name="value"/> has none.</summary>
    public void Integer(int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    /// <summary>Binds TEXT, or NULL when <paramref name="value"/> is null.</summary>
    public void Text(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));

    /// <summary>Runs the statement with the bound values and returns the rows it changed.</summary>
    /// <exception cref="SqliteException">The row violates a constraint, or the database reports another error.</exception>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        // Reset in every case: a statement left mid-step would keep its statement journal open and block the
        // savepoint rollback that follows a failed batch.
        var reset = raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc == raw.SQLITE_ROW ? raw.SQLITE_MISUSE : rc, _db);
        }

        if (reset != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(reset, _db);
        }

        return raw.sqlite3_changes(_db);
    }

    /// <summary>Finalizes the statement.</summary>
    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
