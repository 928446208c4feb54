using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IntegrationHealth.Data;

/// <summary>Classifies provider exceptions so callers can answer 409 instead of 500 without knowing the engine.</summary>
public static class StoreErrors
{
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

    private static Exception? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException or SqliteException)
            {
                return e;
            }
        }

        return null;
    }
}
