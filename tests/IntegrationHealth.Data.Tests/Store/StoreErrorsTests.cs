using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IntegrationHealth.Data.Tests.Store;

/// <summary>Storage faults are told from bugs, whatever wraps them, and described without the provider's message.</summary>
public sealed class StoreErrorsTests
{
    public static TheoryData<string, Exception, StoreFault, bool> Cases => new()
    {
        { "PostgreSQL starting up", Postgres("57P03"), StoreFault.Unavailable, true },
        { "PostgreSQL shutting down", Postgres("57P01"), StoreFault.Unavailable, true },
        { "too many connections", Postgres("53300"), StoreFault.Unavailable, true },
        { "connection failure", Postgres("08006"), StoreFault.Unavailable, true },
        { "a standby after failover", Postgres("25006"), StoreFault.Unavailable, true },
        { "PostgreSQL disk full", Postgres("53100"), StoreFault.DiskFull, false },
        { "connection refused", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), StoreFault.Unavailable, true },
        { "stream ended", new NpgsqlException("Exception while reading from stream", new EndOfStreamException()), StoreFault.Unavailable, true },
        { "EF's transient wrapper", new InvalidOperationException("likely due to a transient failure", Postgres("57P03")), StoreFault.Unavailable, true },
        { "in a DbUpdateException", new DbUpdateException("save failed", Postgres("53100")), StoreFault.DiskFull, false },
        { "SQLite disk full", new SqliteException("database or disk is full", 13, 13), StoreFault.DiskFull, false },
        { "SQLite busy", new SqliteException("database is locked", 5, 5), StoreFault.Unavailable, false },
        { "SQLite I/O error", new SqliteException("disk I/O error", 10, 778), StoreFault.Unavailable, false },
        { "a unique violation", Postgres("23505"), StoreFault.None, false },
        { "a syntax error", Postgres("42601"), StoreFault.None, false },
        { "a SQLite constraint", new SqliteException("UNIQUE constraint failed", 19, 2067), StoreFault.None, false },
        { "a bug", new NullReferenceException(), StoreFault.None, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_KnownFailures_AreTheRightFault(string what, Exception exception, StoreFault fault, bool transient)
    {
        Assert.True(fault == StoreErrors.Classify(exception), what);
        Assert.True(transient == StoreErrors.IsTransient(exception), what);
    }

    [Fact]
    public void Describe_NamesCodesNotTheProvidersMessage()
    {
        var refused = new NpgsqlException("Failed to connect to db.internal:5432 as secret-user",
            new SocketException((int)SocketError.ConnectionRefused));
        Assert.Equal("PostgreSQL connection refused", StoreErrors.Describe(refused));
        Assert.Equal("PostgreSQL 53100, disk full", StoreErrors.Describe(new DbUpdateException("x", Postgres("53100"))));
        Assert.Equal("SQLite error 13, database or disk is full", StoreErrors.Describe(new SqliteException("x", 13, 13)));
    }

    private static PostgresException Postgres(string sqlState) => new("server message with data", "ERROR", "ERROR", sqlState);
}
