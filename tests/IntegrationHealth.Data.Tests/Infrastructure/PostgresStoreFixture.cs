using Npgsql;

namespace IntegrationHealth.Data.Tests.Infrastructure;

/// <summary>A fresh PostgreSQL database per test class, created and dropped on the test server; telemetry is written
/// by binary COPY (<see cref="PostgresUnnestStoreFixture"/> covers the default unnest mode).</summary>
public class PostgresStoreFixture : StoreFixture
{
    private string? _adminConnectionString;

    public override StoreProvider Provider => StoreProvider.Postgres;

    /// <summary>The telemetry write mode the store is registered with.</summary>
    public virtual PostgresWriteMode WriteMode => PostgresWriteMode.Copy;

    /// <summary>Name of the database this fixture created.</summary>
    public string DatabaseName { get; } = "ih_test_" + Guid.NewGuid().ToString("N");

    protected override async Task<DatabaseOptions?> CreateEmptyDatabaseAsync()
    {
        if (TestServers.PostgresSkipReason is not null)
        {
            return null; // every test of the class is skipped with that reason
        }

        _adminConnectionString = TestServers.RequirePostgresAdmin();
        await using (var admin = new NpgsqlConnection(_adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = DatabaseName };
        return new DatabaseOptions { Provider = "postgres", ConnectionString = builder.ConnectionString, PostgresWriteMode = WriteMode };
    }

    protected override async Task DropDatabaseAsync()
    {
        if (_adminConnectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>A <see cref="PostgresStoreFixture"/> whose telemetry writer uses the single-statement unnest mode.</summary>
public sealed class PostgresUnnestStoreFixture : PostgresStoreFixture
{
    public override PostgresWriteMode WriteMode => PostgresWriteMode.Unnest;
}
