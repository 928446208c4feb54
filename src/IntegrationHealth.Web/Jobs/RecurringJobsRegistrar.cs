using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationHealth.Web.Jobs;

/// <summary>
/// When a job server starts: adds or updates every registered <see cref="RecurringJobRegistration"/>, and removes
/// recurring jobs that no feature registers any more (so a job deleted from the code stops running instead of failing
/// on a type that no longer exists). Idempotent, so any number of job processes may start at once.
/// </summary>
/// <exception cref="InvalidOperationException">Two registrations share an id.</exception>
public sealed class RecurringJobsRegistrar(
    IEnumerable<RecurringJobRegistration> registrations, IRecurringJobManager recurringJobs, JobStorage storage,
    ILogger<RecurringJobsRegistrar> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var all = registrations.ToList();
        if (all.GroupBy(r => r.Id).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidOperationException($"Recurring job id '{twice.Key}' is registered more than once.");
        foreach (var registration in all) registration.AddOrUpdate(recurringJobs);

        var wanted = all.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        using var connection = storage.GetConnection();
        foreach (var stale in connection.GetRecurringJobs().Where(j => !wanted.Contains(j.Id)))
        {
            recurringJobs.RemoveIfExists(stale.Id);
            WebLog.RecurringJobRemoved(logger, stale.Id);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
