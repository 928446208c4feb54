using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using IntegrationHealth.Data;
using IntegrationHealth.Web.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IntegrationHealth.Web.Jobs;

/// <summary>Hangfire wiring: storage chosen by <c>Database:Provider</c>, and optionally a job server in this process.</summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Registers Hangfire's client side (storage, job manager, dashboard storage) and its validated options. With SQLite
    /// jobs live in memory (SQLite means one process anyway); with PostgreSQL they live in the store's database under
    /// their own schema, so web and job processes on different machines share one queue.
    /// </summary>
    public static IServiceCollection AddJobStorage(this IServiceCollection services)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobsOptions>>(new JobsOptionsValidator());

        // Our own singleton, registered before AddHangfire (which only adds one if missing): Hangfire's default is the
        // process-global JobStorage.Current, which two hosts in one process (tests) would fight over.
        // PrepareSchemaIfNecessary is off: it would connect in the constructor, and the storage is built while the
        // dashboard is mapped, so a database not reachable yet would stop the process before it listens. The schema is
        // prepared by PrepareJobStorageAsync, once the store is reachable, before the job server starts.
        services.AddSingleton<JobStorage>(sp =>
        {
            var database = sp.GetRequiredService<DatabaseOptions>();
            var schema = sp.GetRequiredService<IOptions<JobsOptions>>().Value.Schema;
            return database.StoreProvider == StoreProvider.Postgres
                ? new PostgreSqlStorage(
                    new NpgsqlConnectionFactory(database.EffectiveConnectionString, new PostgreSqlStorageOptions { SchemaName = schema }),
                    new PostgreSqlStorageOptions { SchemaName = schema, PrepareSchemaIfNecessary = false })
                : new InMemoryStorage(new InMemoryStorageOptions());
        });
        // The log provider: see HostBoundLogProvider (Hangfire.AspNetCore's own one breaks a later host in the process).
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostBoundLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        return services;
    }

    /// <summary>Adds a Hangfire job server to this process and the registrar of every feature's recurring jobs, both
    /// started once the store is ready (at once when it already is when the host starts).</summary>
    public static IServiceCollection AddJobServer(this IServiceCollection services) =>
        services.AddStoreGated("The Hangfire job server", s =>
        {
            s.AddHostedService<RecurringJobsRegistrar>();
            s.AddHangfireServer((sp, options) =>
            {
                var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
                options.WorkerCount = jobs.WorkerCount;
                options.ShutdownTimeout = jobs.ShutdownTimeout;
                options.StopTimeout = jobs.ShutdownTimeout;
            });
        });

    /// <summary>
    /// Creates or upgrades Hangfire's tables on PostgreSQL (schema <c>Hangfire:Schema</c>; idempotent, and Hangfire's
    /// installer takes a lock, so concurrent starts are safe); nothing with the in-memory storage. Part of preparing the
    /// store at start-up, in every role: web processes read the tables for the dashboard.
    /// </summary>
    public static async Task PrepareJobStorageAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<DatabaseOptions>();
        if (database.StoreProvider != StoreProvider.Postgres) return;
        var schema = services.GetRequiredService<IOptions<JobsOptions>>().Value.Schema;
        await using var connection = new NpgsqlConnection(database.EffectiveConnectionString);
        await connection.OpenAsync(cancellationToken);
        PostgreSqlObjectsInstaller.Install(connection, schema);
    }

    /// <summary>Reports every invalid Hangfire setting by name.</summary>
    private sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
    {
        public ValidateOptionsResult Validate(string? name, JobsOptions options)
        {
            var problems = JobsOptions.Problems(options).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
