using System.Text.RegularExpressions;
using IntegrationHealth.Data;
using Npgsql;

namespace IntegrationHealth.Testing;

/// <summary>A throwaway database on the PostgreSQL test server: created empty with a unique name, dropped on dispose
/// with <c>WITH (FORCE)</c>, which terminates the connections still open to it (this process's pools, an API child
/// process's) instead of failing on them.</summary>
public sealed partial class PostgresTestDatabase : TestDatabase
{
    /// <summary>Database name prefix used when the caller gives none.</summary>
    public const string DefaultPrefix = "ih_test";

    private readonly string _adminConnectionString;

    private PostgresTestDatabase(string adminConnectionString, string name, PostgresWriteMode writeMode)
        : base(TestServers.PostgresDatabase(name, adminConnectionString))
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        WriteMode = writeMode;
    }

    /// <summary>Name of the database on the server.</summary>
    public string Name { get; }

    /// <summary>The telemetry write mode in <see cref="Options"/>.</summary>
    public PostgresWriteMode WriteMode { get; }

    /// <inheritdoc />
    public override StoreProvider StoreProvider => StoreProvider.Postgres;

    /// <inheritdoc />
    public override DatabaseOptions Options
        => new() { Provider = Provider, ConnectionString = ConnectionString, PostgresWriteMode = WriteMode };

    internal static async Task<PostgresTestDatabase> CreateAsync(string prefix, PostgresWriteMode writeMode,
        string adminConnectionString, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (!PrefixPattern().IsMatch(prefix))
        {
            // The name goes into DDL, which takes no parameters; and 30 + 1 + 32 characters is PostgreSQL's 63 limit.
            throw new ArgumentException(
                $"'{prefix}' is not a database name prefix: use lower-case letters, digits and '_', at most 30 characters.", nameof(prefix));
        }

        var name = $"{prefix}_{Guid.NewGuid():N}";
        await ExecuteAsync(adminConnectionString, $"CREATE DATABASE \"{name}\"", cancellationToken);
        return new PostgresTestDatabase(adminConnectionString, name, writeMode);
    }

    private protected override async ValueTask DeleteAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_adminConnectionString, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", CancellationToken.None);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,29}$")]
    private static partial Regex PrefixPattern();
}
