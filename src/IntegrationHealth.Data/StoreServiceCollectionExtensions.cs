using IntegrationHealth.Data.Sqlite;
using IntegrationHealth.Data.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IntegrationHealth.Data;

/// <summary>Registers the store in a service collection.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DatabaseOptions"/> bound from the <c>Database</c> section (validated when the host starts),
    /// a pooled <see cref="IDbContextFactory{TContext}"/> of <see cref="IntegrationHealthDbContext"/>, a scoped
    /// <see cref="IntegrationHealthDbContext"/> taken from that pool, and the provider's <see cref="ITelemetryWriter"/>.
    /// </summary>
    /// <remarks>The provider is chosen from the validated options when a service is first resolved, not here, so a bad
    /// setting is reported by <c>ValidateOnStart</c> (an <see cref="OptionsValidationException"/> naming the setting) when
    /// the host starts, and every setting source (files, environment, command line, test overrides) is honoured.</remarks>
    public static IServiceCollection AddIntegrationHealthStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateOnStart();
        return services.AddStoreServices();
    }

    /// <summary>Registers the store for explicit <paramref name="options"/> (tests, tools); validated like the bound ones.</summary>
    public static IServiceCollection AddIntegrationHealthStore(this IServiceCollection services, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddOptions<DatabaseOptions>().Configure(o =>
        {
            o.Provider = options.Provider;
            o.ConnectionString = options.ConnectionString;
            o.PostgresWriteMode = options.PostgresWriteMode;
            o.MigrateOnStartup = options.MigrateOnStartup;
            o.TelemetryDedupWindowDays = options.TelemetryDedupWindowDays;
            o.TelemetryRetentionDays = options.TelemetryRetentionDays;
        }).ValidateOnStart();
        return services.AddStoreServices();
    }

    private static IServiceCollection AddStoreServices(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>());
        // The validated options themselves, for code that needs the provider or connection string.
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        services.TryAddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<DatabaseOptions>().EffectiveConnectionString));
        services.AddPooledDbContextFactory<IntegrationHealthDbContext>((sp, builder) =>
        {
            var options = sp.GetRequiredService<DatabaseOptions>();
            if (options.StoreProvider == StoreProvider.Sqlite) ConfigureSqlite(builder, options.EffectiveConnectionString);
            else ConfigurePostgres(builder, sp.GetRequiredService<NpgsqlDataSource>());
        });
        services.TryAddSingleton<ITelemetryWriter>(sp =>
        {
            var options = sp.GetRequiredService<DatabaseOptions>();
            return options.StoreProvider == StoreProvider.Sqlite
                ? new SqliteTelemetryWriter(options.EffectiveConnectionString, sp.GetService<TimeProvider>() ?? TimeProvider.System)
                : new PostgresTelemetryWriter(options.EffectiveConnectionString, options.PostgresWriteMode,
                    options.TelemetryDedupWindowDays, sp.GetService<TimeProvider>() ?? TimeProvider.System);
        });
        services.TryAddSingleton(sp => new TelemetryMaintenance(sp.GetRequiredService<DatabaseOptions>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
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
