using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using IntegrationHealth.Data;

namespace IntegrationHealth.Api.Jobs;

/// <summary>Hangfire wiring: storage chosen by <c>Database:Provider</c>, and optionally a job server in this process.</summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Registers Hangfire's client side (storage, job manager, dashboard storage). With SQLite jobs live in memory
    /// (SQLite means one process anyway); with PostgreSQL they live in the store's database under their own schema, so
    /// web and job processes on different machines share one queue.
    /// </summary>
    public static IServiceCollection AddIntegrationHealthJobStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section);
        var database = DatabaseOptions.FromConfiguration(configuration);
        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();

        // Our own singleton, registered before AddHangfire (which only adds one if missing): Hangfire's default is the
        // process-global JobStorage.Current, which two hosts in one process (tests) would fight over.
        services.AddSingleton<JobStorage>(_ => database.StoreProvider == StoreProvider.Postgres
            ? new PostgreSqlStorage(
                new NpgsqlConnectionFactory(database.EffectiveConnectionString, new PostgreSqlStorageOptions { SchemaName = jobs.Schema }),
                new PostgreSqlStorageOptions { SchemaName = jobs.Schema, PrepareSchemaIfNecessary = true })
            : new InMemoryStorage(new InMemoryStorageOptions()));
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddTransient<RevokedKeyPurgeJob>();
        return services;
    }

    /// <summary>Adds a Hangfire job server to this process and registers the recurring jobs.</summary>
    public static IServiceCollection AddIntegrationHealthJobServer(this IServiceCollection services, IConfiguration configuration)
    {
        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        services.AddHostedService<RecurringJobsRegistrar>();
        services.AddHangfireServer(options =>
        {
            options.WorkerCount = Math.Max(1, jobs.WorkerCount);
            options.ShutdownTimeout = jobs.ShutdownTimeout;
            options.StopTimeout = jobs.ShutdownTimeout;
        });
        return services;
    }
}
