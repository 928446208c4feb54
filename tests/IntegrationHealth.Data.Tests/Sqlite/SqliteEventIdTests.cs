using IntegrationHealth.Data.Sqlite;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Data.Tests.Sqlite;

/// <summary>Event ids on SQLite: stored as RFC 9562 (big-endian) bytes, and files from before that order are rewritten
/// by the <c>BigEndianEventIds</c> migration.</summary>
public sealed class SqliteEventIdTests(SqliteStoreFixture store) : IClassFixture<SqliteStoreFixture>
{
    private const string InitialCreate = "20261123175601_InitialCreate";

    [Fact]
    public async Task WriteAsync_StoresIdBytesInRfcOrder()
    {
        var world = await TestWorld.CreateAsync(store);
        var id = Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        Assert.Equal(new Telemetry.TelemetryWriteResult(1, 0), await store.Writer.WriteAsync([world.Event(id: id)]));

        Assert.Equal("0193A1B2C3D47E5F8A9B0C1D2E3F4A5B", await HexOfIdAsync(store.Options.ConnectionString!, id));
    }

    [Fact]
    public void Converter_RoundTripsAndOrdersLikeGuidText()
    {
        var ids = Enumerable.Range(0, 2_000).Select(_ => Guid.NewGuid()).Append(Guid.Empty).Append(Guid.AllBitsSet).ToList();

        foreach (var id in ids)
        {
            Assert.Equal(id, SqliteGuidBytesConverter.FromBytes(SqliteGuidBytesConverter.ToBytes(id)));
        }

        var byBytes = ids.OrderBy(SqliteGuidBytesConverter.ToBytes, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();
        var bySortKey = ids.OrderBy(SqliteGuidBytesConverter.SortKey).ToList();
        var byText = ids.OrderBy(g => g.ToString("N"), StringComparer.Ordinal).ToList();
        Assert.Equal(byText, byBytes);
        Assert.Equal(byText, bySortKey);
    }

    [Fact]
    public async Task Migrate_FileWithLittleEndianIds_RewritesThemToRfcOrderAndDownRestoresThem()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ih-sqlite-tests", Guid.NewGuid().ToString("N"));
        var options = new DatabaseOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(directory, "old.db")}" };
        await using var services = new ServiceCollection().AddIntegrationHealthStore(options).BuildServiceProvider();
        try
        {
            var factory = services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>();
            await using (var db = await factory.CreateDbContextAsync())
            {
                await db.GetService<IMigrator>().MigrateAsync(InitialCreate);
            }

            // Rows as the first release wrote them: Guid.ToByteArray() (first three fields little-endian).
            var ids = Enumerable.Range(0, 500).Select(_ => Guid.NewGuid()).ToList();
            await using (var connection = new SqliteConnection(options.ConnectionString))
            {
                await connection.OpenAsync();
                await using var transaction = connection.BeginTransaction();
                foreach (var id in ids)
                {
                    await using var insert = connection.CreateCommand();
                    insert.CommandText = "INSERT INTO telemetry_events (id, occurred_at, tenant_id, account_id, provider_id, kind, outcome, error_class, method) " +
                        "VALUES ($id, 638712000000000000, 1, 1, 1, 0, 0, 0, 0)";
                    insert.Parameters.AddWithValue("$id", id.ToByteArray());
                    await insert.ExecuteNonQueryAsync();
                }
                await transaction.CommitAsync();
            }

            await StoreMigrator.MigrateAsync(services);

            await using (var db = await factory.CreateDbContextAsync())
            {
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                var stored = await db.TelemetryEvents.Select(e => e.Id).ToListAsync();
                Assert.Equal(ids.Order(), stored.Order());
                Assert.Equal(ids[0], (await db.TelemetryEvents.SingleAsync(e => e.Id == ids[0])).Id);
            }
            Assert.Equal(ids[7].ToString("N").ToUpperInvariant(), await HexOfIdAsync(options.ConnectionString!, ids[7]));

            await using (var db = await factory.CreateDbContextAsync())
            {
                await db.GetService<IMigrator>().MigrateAsync(InitialCreate);
            }
            await using (var connection = new SqliteConnection(options.ConnectionString))
            {
                await connection.OpenAsync();
                await using var count = connection.CreateCommand();
                count.CommandText = "SELECT count(*) FROM telemetry_events WHERE id = $id";
                count.Parameters.AddWithValue("$id", ids[3].ToByteArray());
                Assert.Equal(1L, await count.ExecuteScalarAsync());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<string?> HexOfIdAsync(string connectionString, Guid id)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT hex(id) FROM telemetry_events WHERE id = $id";
        command.Parameters.AddWithValue("$id", SqliteGuidBytesConverter.ToBytes(id));
        return (string?)await command.ExecuteScalarAsync();
    }
}
