using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IntegrationHealth.Data;

/// <summary>What kind of storage fault an exception is, for callers that answer it (503, 507) without knowing the engine.</summary>
public enum StoreFault
{
    /// <summary>Not a storage fault: a bug, a constraint violation, bad input, a cancelled request.</summary>
    None = 0,

    /// <summary>The database cannot be reached or cannot work right now (PostgreSQL restarting, shutting down, refusing
    /// connections, out of connections; a broken connection; SQLite busy, locked, or its file unreadable): a retry later
    /// can succeed.</summary>
    Unavailable = 1,

    /// <summary>The database's disk is full (SQLite <c>SQLITE_FULL</c>, PostgreSQL 53100 <c>could not extend file</c>):
    /// nothing can be written until an operator frees space.</summary>
    DiskFull = 2,
}

/// <summary>Classifies provider exceptions so callers can answer 409, 503 or 507 instead of 500 without knowing the engine.</summary>
public static class StoreErrors
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNoMemory = 7;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintForeignKey = 787;

    /// <summary>True when <paramref name="exception"/> (or an inner exception, e.g. of a
    /// <see cref="DbUpdateException"/>) is a unique or primary-key violation.</summary>
    public static bool IsDuplicateKey(Exception exception) => Find(exception) switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint
            && (sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey),
        _ => false,
    };

    /// <summary>True when <paramref name="exception"/> (or an inner one) is a conflict between concurrent transactions
    /// that a retry of the whole transaction resolves: a unique or primary-key violation (another writer inserted the same
    /// key first), a deadlock, or a serialization failure.</summary>
    public static bool IsRetryableConflict(Exception exception) => IsDuplicateKey(exception) || Find(exception) switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
        _ => false,
    };

    /// <summary>True when <paramref name="exception"/> (or an inner one) is a foreign-key violation.</summary>
    public static bool IsForeignKeyViolation(Exception exception) => Find(exception) switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint && sqlite.SqliteExtendedErrorCode == SqliteConstraintForeignKey,
        _ => false,
    };

    /// <summary>The storage fault <paramref name="exception"/> (or an inner one, e.g. of a <see cref="DbUpdateException"/>
    /// or of EF's "likely due to a transient failure" wrapper) is, or <see cref="StoreFault.None"/>.</summary>
    public static StoreFault Classify(Exception exception) => Find(exception) switch
    {
        PostgresException pg => ClassifyPostgres(pg.SqlState),
        // Npgsql's own errors without a server error: connection refused or reset, timeouts, a pool with no free
        // connection, a stream that ended mid-message. Npgsql marks exactly these transient.
        NpgsqlException npgsql => npgsql.IsTransient ? StoreFault.Unavailable : StoreFault.None,
        SqliteException sqlite => sqlite.SqliteErrorCode switch
        {
            SqliteFull => StoreFault.DiskFull,
            SqliteBusy or SqliteLocked or SqliteNoMemory or SqliteReadOnly or SqliteIoError or SqliteCantOpen => StoreFault.Unavailable,
            _ => StoreFault.None,
        },
        _ => StoreFault.None,
    };

    /// <summary>
    /// True when retrying the same operation on a new connection, a moment later, is likely to succeed: PostgreSQL
    /// restarting or refusing connections, or a pooled connection a restart broke (Npgsql then empties the pool, so the
    /// retry opens a fresh one). A full disk is not transient; SQLite's busy and locked states are waited out by its own
    /// <c>busy_timeout</c> before they surface, so they are not retried again either.
    /// </summary>
    public static bool IsTransient(Exception exception) => Find(exception) switch
    {
        PostgresException pg => ClassifyPostgres(pg.SqlState) == StoreFault.Unavailable,
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };

    /// <summary>
    /// A short description of a storage fault for probes, problem details and logs: the engine, its error code and our
    /// own words for it, never the provider's message (which can carry host names, user names or data values).
    /// </summary>
    public static string Describe(Exception exception) => Find(exception) switch
    {
        PostgresException pg => $"PostgreSQL {pg.SqlState}{PostgresMeaning(pg.SqlState)}",
        NpgsqlException npgsql => "PostgreSQL " + ConnectionFailure(npgsql),
        SqliteException sqlite => $"SQLite error {sqlite.SqliteErrorCode}{SqliteMeaning(sqlite.SqliteErrorCode)}",
        _ => exception.GetType().Name,
    };

    private static StoreFault ClassifyPostgres(string sqlState) => sqlState switch
    {
        PostgresErrorCodes.DiskFull => StoreFault.DiskFull,
        // Class 08 (connection exception), 57P01-57P03 (shutting down, crashed, starting up), 53xxx (out of memory or
        // connections), 58030 (I/O error), 25006 (a read-only standby after a failover).
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) => StoreFault.Unavailable,
        PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.InsufficientResources or PostgresErrorCodes.OutOfMemory or PostgresErrorCodes.TooManyConnections
            or PostgresErrorCodes.ConfigurationLimitExceeded or PostgresErrorCodes.IoError
            or PostgresErrorCodes.ReadOnlySqlTransaction => StoreFault.Unavailable,
        _ => StoreFault.None,
    };

    private static string PostgresMeaning(string sqlState) => sqlState switch
    {
        PostgresErrorCodes.AdminShutdown => ", the server is shutting down",
        PostgresErrorCodes.CrashShutdown => ", the server crashed",
        PostgresErrorCodes.CannotConnectNow => ", the server is starting up or shutting down",
        PostgresErrorCodes.DiskFull => ", disk full",
        PostgresErrorCodes.TooManyConnections => ", too many connections",
        PostgresErrorCodes.OutOfMemory => ", out of memory",
        PostgresErrorCodes.IoError => ", I/O error",
        PostgresErrorCodes.ReadOnlySqlTransaction => ", read-only (a standby)",
        PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => ", authentication failed",
        PostgresErrorCodes.InvalidCatalogName => ", the database does not exist",
        PostgresErrorCodes.UndefinedTable => ", a table is missing (the schema is not migrated)",
        _ => "",
    };

    private static string ConnectionFailure(NpgsqlException exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.ConnectionReset => "connection reset",
                        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "host not found",
                        SocketError.TimedOut => "connection timed out",
                        _ => "connection failed, socket error " + socket.SocketErrorCode,
                    };
                case TimeoutException:
                    return "connection timed out";
                case EndOfStreamException or IOException:
                    return "connection broke";
            }
        }

        return exception.IsTransient ? "connection failed (transient)" : "client error";
    }

    private static string SqliteMeaning(int code) => code switch
    {
        SqliteBusy => ", busy",
        SqliteLocked => ", locked",
        SqliteNoMemory => ", out of memory",
        SqliteReadOnly => ", read-only",
        SqliteIoError => ", disk I/O error",
        SqliteFull => ", database or disk is full",
        SqliteCantOpen => ", unable to open the database file",
        _ => "",
    };

    private static Exception? Find(Exception? exception)
    {
        NpgsqlException? npgsql = null;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // A server error or SQLite's own error is the most precise; Npgsql's client-side error (which
            // PostgresException derives from) is used only when no server error is inside it.
            if (e is PostgresException or SqliteException)
            {
                return e;
            }

            npgsql ??= e as NpgsqlException;
        }

        return npgsql;
    }
}
