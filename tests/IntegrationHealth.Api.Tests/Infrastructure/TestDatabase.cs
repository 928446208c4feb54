using Npgsql;

namespace IntegrationHealth.Api.Tests.Infrastructure;

/// <summary>An empty database of its own for one test class: a temp SQLite file, or a fresh PostgreSQL database.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract string Provider { get; }

    public abstract string ConnectionString { get; }

    public static TestDatabase Sqlite() => new SqliteTestDatabase();

    public static async Task<TestDatabase> PostgresAsync()
    {
        var database = new PostgresTestDatabase();
        await database.CreateAsync();
        return database;
    }

    public abstract ValueTask DisposeAsync();
}

internal sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ih-api-tests", Guid.NewGuid().ToString("N"));

    public SqliteTestDatabase() => Directory.CreateDirectory(_directory);

    public override string Provider => "sqlite";

    public override string ConnectionString => $"Data Source={Path.Combine(_directory, "test.db")}";

    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { /* a file still open by a pool on its way down; the temp folder is cleaned eventually */ }
        return ValueTask.CompletedTask;
    }
}

internal sealed class PostgresTestDatabase : TestDatabase
{
    private readonly string _admin = TestServers.RequirePostgresAdmin();
    private readonly string _name = "ih_api_" + Guid.NewGuid().ToString("N");

    public override string Provider => "postgres";

    public override string ConnectionString => new NpgsqlConnectionStringBuilder(_admin) { Database = _name }.ConnectionString;

    public async Task CreateAsync()
    {
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", admin);
        await create.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
