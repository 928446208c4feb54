using Hangfire;

namespace IntegrationHealth.Api.Jobs;

/// <summary>Registers (or updates) the recurring jobs when a job server starts. Analytics jobs are added here as they land.</summary>
public sealed class RecurringJobsRegistrar(IRecurringJobManager recurringJobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.AddOrUpdate<RevokedKeyPurgeJob>(
            RevokedKeyPurgeJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Daily(3),
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
