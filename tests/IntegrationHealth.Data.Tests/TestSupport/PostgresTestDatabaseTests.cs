using IntegrationHealth.Data.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IntegrationHealth.Data.Tests.TestSupport;

/// <summary>The shared throwaway PostgreSQL database of IntegrationHealth.Testing: a unique database that is really
/// dropped on dispose, even while connections to it are open.</summary>
public sealed class PostgresTestDatabaseTests
{
    private const string Prefix = "ih_testing_tests";

    [PostgresFact]
    public async Task DisposeAsync_WithAConnectionStillOpen_DropsTheDatabase()
    {
        var database = await TestDatabase.PostgresAsync(Prefix);
        Assert.StartsWith(Prefix + "_", database.Name);
        Assert.True(await ExistsAsync(database.Name));
        // Outside any pool, so only the drop's termination of connections can end it.
        await using var held = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await held.OpenAsync();

        await database.DisposeAsync();

        Assert.False(await ExistsAsync(database.Name));
        await using var command = new NpgsqlCommand("SELECT 1", held);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => command.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task MigratedPostgresAsync_UnnestMode_IsMigratedAndRegisteredInThatMode()
    {
        await using var database = await TestDatabase.MigratedPostgresAsync(Prefix, PostgresWriteMode.Unnest);

        Assert.Equal("postgres", database.Provider);
        Assert.Equal(database.Name, new NpgsqlConnectionStringBuilder(database.ConnectionString).Database);
        Assert.Equal(PostgresWriteMode.Unnest, database.Options.PostgresWriteMode);
        var writer = Assert.IsType<PostgresTelemetryWriter>(database.Services.GetRequiredService<ITelemetryWriter>());
        Assert.Equal(PostgresWriteMode.Unnest, writer.Mode);
        await using var db = database.CreateContext();
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("ih-test")]
    [InlineData("ih_test\"; DROP DATABASE postgres; --")]
    [InlineData("a_prefix_that_is_31_characters_")]
    public async Task PostgresAsync_PrefixThatIsNoPlainName_ThrowsBeforeConnecting(string prefix)
    {
        // Port 1 on loopback: were the prefix accepted, connecting would fail with another exception.
        await Assert.ThrowsAsync<ArgumentException>(() => TestDatabase.PostgresAsync(prefix, adminConnectionString: "Host=127.0.0.1;Port=1"));
    }

    private static async Task<bool> ExistsAsync(string name)
    {
        await using var admin = new NpgsqlConnection(TestServers.RequirePostgresAdmin());
        await admin.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", admin);
        query.Parameters.AddWithValue("name", name);
        return (long)(await query.ExecuteScalarAsync())! == 1;
    }
}
