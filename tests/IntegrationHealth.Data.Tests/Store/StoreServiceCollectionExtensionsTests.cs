using IntegrationHealth.Data.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Data.Tests.Store;

public sealed class StoreServiceCollectionExtensionsTests
{
    private static IConfiguration Config(string provider, string? connectionString) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = provider, ["Database:ConnectionString"] = connectionString })
        .Build();

    [Fact]
    public async Task AddIntegrationHealthStore_UnknownProvider_FailsWhenTheHostStarts()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddIntegrationHealthStore(Config("oracle", "x"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("'oracle'", error.Message);
    }

    [Fact]
    public void AddIntegrationHealthStore_PostgresWithoutConnectionString_FailsOnFirstUseNamingTheSetting()
    {
        using var services = new ServiceCollection().AddIntegrationHealthStore(Config("postgres", null)).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<ITelemetryWriter>());

        Assert.Contains("Database:ConnectionString", error.Message);
    }

    [Fact]
    public async Task AddIntegrationHealthStore_Sqlite_RegistersPooledFactoryScopedContextWriterAndOptions()
    {
        var path = Path.Combine(Path.GetTempPath(), "ih-registration-" + Guid.NewGuid().ToString("N"), "nested", "store.db");
        await using var services = new ServiceCollection()
            .AddIntegrationHealthStore(Config("sqlite", $"Data Source={path}"))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        try
        {
            Assert.IsType<SqliteTelemetryWriter>(services.GetRequiredService<ITelemetryWriter>());
            Assert.Equal(StoreProvider.Sqlite, services.GetRequiredService<DatabaseOptions>().StoreProvider);
            Assert.Equal("sqlite", services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider);

            await using (var scope = services.CreateAsyncScope())
            {
                var a = scope.ServiceProvider.GetRequiredService<IntegrationHealthDbContext>();
                Assert.Same(a, scope.ServiceProvider.GetRequiredService<IntegrationHealthDbContext>());
                Assert.Equal(StoreProvider.Sqlite, a.StoreProvider);
            }

            await StoreMigrator.MigrateAsync(services);

            // The folder of the database file did not exist: the store created it, and the file is in WAL mode.
            Assert.True(File.Exists(path));
            await using var db = await services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>().CreateDbContextAsync();
            Assert.Equal("wal", await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode").SingleAsync());
            Assert.Equal(1L, await db.Database.SqlQueryRaw<long>("SELECT foreign_keys AS \"Value\" FROM pragma_foreign_keys").SingleAsync());
            Assert.Equal(8, await db.Providers.CountAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(path))!, recursive: true);
        }
    }

    [Fact]
    public async Task AddIntegrationHealthStore_Postgres_RegistersCopyWriterWithoutConnecting()
    {
        await using var services = new ServiceCollection()
            .AddIntegrationHealthStore(Config("postgres", "Host=127.0.0.1;Port=1;Database=none;Username=nobody"))
            .BuildServiceProvider();

        Assert.IsType<PostgresTelemetryWriter>(services.GetRequiredService<ITelemetryWriter>());
        await using var db = await services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>().CreateDbContextAsync();
        Assert.Equal(StoreProvider.Postgres, db.StoreProvider);
    }
}
