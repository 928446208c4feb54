using Npgsql;

namespace IntegrationHealth.Testing;

/// <summary>
/// The one place that knows where the real servers the tests use are, and the rule for a missing one: outside CI the
/// tests that need it are skipped with a message saying how to start it; with <c>CI=true</c> they run and fail, so a
/// CI machine without the server cannot pass by skipping.
/// </summary>
public static class TestServers
{
    /// <summary>Environment variable holding the PostgreSQL admin connection string
    /// (e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres</c>; <c>tests/postgres.sh env</c> prints it, and
    /// <c>tests/run.sh</c> exports it).</summary>
    public const string PostgresVariable = "INTEGRATIONHEALTH_TEST_PG";

    /// <summary>The PostgreSQL admin connection string, or null when none is configured.</summary>
    public static string? PostgresAdmin
        => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    /// <summary>True on CI (<c>CI=true</c>), where PostgreSQL tests must run and fail rather than be skipped.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why PostgreSQL tests are skipped on this machine, or null when they run (always null on CI).</summary>
    public static string? PostgresSkipReason => PostgresAdmin is null && !IsCi
        ? $"PostgreSQL tests skipped: {PostgresVariable} is not set. Run `bash tests/postgres.sh start` and " +
          $"`eval \"export $(bash tests/postgres.sh env)\"` to run them (on CI, CI=true, they fail instead)."
        : null;

    /// <summary>The PostgreSQL admin connection string.</summary>
    /// <exception cref="InvalidOperationException">It is not configured (on CI this fails the PostgreSQL tests).</exception>
    public static string RequirePostgresAdmin() => PostgresAdmin ?? throw new InvalidOperationException(
        $"PostgreSQL tests need {PostgresVariable} (e.g. 'Host=127.0.0.1;Port=55432;Username=postgres'); it is not set" +
        (IsCi ? " and CI=true, so they fail instead of being skipped. Start one with `bash tests/postgres.sh start`." : "."));

    /// <summary>The admin connection string pointed at <paramref name="database"/> on the same server.</summary>
    /// <param name="database">Name of a database on the test server.</param>
    /// <param name="adminConnectionString">The server's admin connection string; <see cref="RequirePostgresAdmin"/> when null.</param>
    public static string PostgresDatabase(string database, string? adminConnectionString = null)
        => new NpgsqlConnectionStringBuilder(adminConnectionString ?? RequirePostgresAdmin()) { Database = database }.ConnectionString;
}
