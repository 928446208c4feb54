using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Web.Jobs;

namespace IntegrationHealth.Ingestion.Retention;

/// <summary>
/// Telemetry retention and partition upkeep, hourly (<see cref="Cron"/>): on PostgreSQL it creates the day partitions
/// of the next days ahead (so the first write of a day never waits for DDL) and drops whole partitions that fell out of
/// retention (<c>Database:TelemetryRetentionDays</c>) or out of the deduplication window; on SQLite it deletes old
/// events in short chunks. Hourly rather than daily, so a run that could not take its lock retries soon and the work
/// per run stays small. See <see cref="TelemetryMaintenance"/>.
/// </summary>
public sealed class TelemetryMaintenanceJob(TelemetryMaintenance maintenance, ILogger<TelemetryMaintenanceJob> logger) : IRecurringJob
{
    /// <summary>The job's id.</summary>
    public const string Id = "telemetry-maintenance";

    /// <summary>At minute 17 of every hour (UTC).</summary>
    public const string Cron = "17 * * * *";

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var result = await maintenance.RunAsync(cancellationToken);
        if (result.EventsRemoved > 0 || result.PartitionsDropped.Count > 0)
        {
            IngestionLog.TelemetryRetention(logger, result.EventsRemoved, result.PartitionsDropped.Count, string.Join(", ", result.PartitionsDropped));
        }
    }
}
