using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHealth.Web.Jobs;

/// <summary>
/// A job that runs on a schedule. A feature registers it with
/// <see cref="RecurringJobServiceCollectionExtensions.AddRecurringJob{TJob}"/> in its own <c>AddX</c>; no central list
/// is edited. The job is resolved from the container for every run, in whichever process runs jobs.
/// </summary>
public interface IRecurringJob
{
    /// <summary>One run. The token is cancelled when the job server stops.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>A recurring job as registered: its stable id, its CRON schedule (UTC) and how to hand it to Hangfire.</summary>
public sealed class RecurringJobRegistration
{
    private readonly Action<IRecurringJobManager, RecurringJobOptions> _addOrUpdate;

    private RecurringJobRegistration(string id, string cron, Type jobType, Action<IRecurringJobManager, RecurringJobOptions> addOrUpdate)
    {
        Id = id;
        Cron = cron;
        JobType = jobType;
        _addOrUpdate = addOrUpdate;
    }

    /// <summary>The job's id in Hangfire (kebab-case, stable across releases: renaming it leaves the old schedule behind).</summary>
    public string Id { get; }

    /// <summary>CRON expression, evaluated in UTC.</summary>
    public string Cron { get; }

    /// <summary>The <see cref="IRecurringJob"/> implementation.</summary>
    public Type JobType { get; }

    internal static RecurringJobRegistration For<TJob>(string id, string cron) where TJob : class, IRecurringJob =>
        new(id, cron, typeof(TJob), (manager, options) =>
            // Hangfire passes the server's shutdown token wherever the job method takes a CancellationToken.
            manager.AddOrUpdate<TJob>(id, job => job.RunAsync(CancellationToken.None), cron, options));

    internal void AddOrUpdate(IRecurringJobManager manager) =>
        _addOrUpdate(manager, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
}

/// <summary>Registration of recurring jobs.</summary>
public static class RecurringJobServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="TJob"/> to run on <paramref name="cron"/> (UTC) under <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentException">The id is not kebab-case, or the CRON expression is empty.</exception>
    public static IServiceCollection AddRecurringJob<TJob>(this IServiceCollection services, string id, string cron)
        where TJob : class, IRecurringJob
    {
        ArgumentNullException.ThrowIfNull(services);
        if (string.IsNullOrEmpty(id) || !id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            throw new ArgumentException($"Recurring job id '{id}' must be kebab-case (a-z, 0-9, '-').", nameof(id));
        ArgumentException.ThrowIfNullOrWhiteSpace(cron);
        services.TryAddTransient<TJob>();
        services.AddSingleton(RecurringJobRegistration.For<TJob>(id, cron));
        return services;
    }
}
