using IntegrationHealth.Data.Sqlite;
using IntegrationHealth.Data.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace IntegrationHealth.Data;

/// <summary>Registers the store in a service collection.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DatabaseOptions"/> (from the <c>Database</c> section), a pooled
    /// <see cref="IDbContextFactory{TContext}"/> of <see cref="IntegrationHealthDbContext"/>, a scoped
    /// <see cref="IntegrationHealthDbContext"/> taken from that pool, and the provider's <see cref="ITelemetryWriter"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The configured provider is unknown, or PostgreSQL has no connection
    /// string (raised here, at start-up, not on first use).</exception>
    public static IServiceCollection AddIntegrationHealthStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddIntegrationHealthStore(DatabaseOptions.FromConfiguration(configuration));
    }

    /// <summary>Registers the store for explicit <paramref name="options"/> (tests, tools).</summary>
    /// <exception cref="InvalidOperationException">The provider is unknown, or PostgreSQL has no connection string.</exception>
    public static IServiceCollection AddIntegrationHealthStore(this IServiceCollection services, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var provider = options.StoreProvider;
        var connectionString = options.EffectiveConnectionString;

        services.AddSingleton(options);
        services.AddOptions<DatabaseOptions>().Configure(o =>
        {
            o.Provider = options.Provider;
            o.ConnectionString = options.ConnectionString;
            o.PostgresWriteMode = options.PostgresWriteMode;
        });

        switch (provider)
        {
            case StoreProvider.Sqlite:
                services.AddPooledDbContextFactory<IntegrationHealthDbContext>(o => ConfigureSqlite(o, connectionString));
                services.TryAddSingleton<ITelemetryWriter>(_ => new SqliteTelemetryWriter(connectionString));
                break;
            case StoreProvider.Postgres:
                services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
                services.AddPooledDbContextFactory<IntegrationHealthDbContext>((sp, o) =>
                    ConfigurePostgres(o, sp.GetRequiredService<NpgsqlDataSource>()));
                services.TryAddSingleton<ITelemetryWriter>(_ => new PostgresTelemetryWriter(connectionString, options.PostgresWriteMode));
                break;
        }

        services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary>Configures EF for SQLite: migrations assembly, pragmas on every connection, folder created.</summary>
    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        SqliteDatabase.EnsureDirectory(connectionString);
        return builder
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(StoreProviders.MigrationsAssembly(StoreProvider.Sqlite)))
            .AddInterceptors(SqlitePragmaInterceptor.Instance);
    }

    /// <summary>Configures EF for PostgreSQL on <paramref name="dataSource"/> with its migrations assembly.</summary>
    public static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder builder, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseNpgsql(dataSource, npgsql => npgsql.MigrationsAssembly(StoreProviders.MigrationsAssembly(StoreProvider.Postgres)));
    }

    /// <summary>Configures EF for PostgreSQL on a connection string (design-time tools).</summary>
    public static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(StoreProviders.MigrationsAssembly(StoreProvider.Postgres)));
    }
}
