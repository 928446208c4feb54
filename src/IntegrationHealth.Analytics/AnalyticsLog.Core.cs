using Microsoft.Extensions.Logging;

namespace IntegrationHealth.Analytics;

/// <summary>Log messages of rollups, connection issues and scores (EventIds 5000–5499). No message carries a secret,
/// a user id or free text from events; tenants and accounts are identified by their numeric ids.</summary>
static partial class AnalyticsLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information,
        Message = "Rollups: read {Events} events (positions {From}–{To}), recomputed {Hours} account-hours, {Days} account-days and {Minutes} provider-minutes in {ElapsedMs} ms")]
    public static partial void RollupRun(ILogger logger, int events, long from, long to, int hours, int days, int minutes, long elapsedMs);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
        Message = "Rollups: skipped {Events} events that arrived later than the allowed lateness of {Lateness}")]
    public static partial void RollupTooLate(ILogger logger, int events, TimeSpan lateness);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information,
        Message = "Issues: tenant {TenantId}: {Opened} opened, {Reopened} reopened, {Updated} updated, {Resolved} resolved")]
    public static partial void IssuesDetected(ILogger logger, int tenantId, int opened, int reopened, int updated, int resolved);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information,
        Message = "Scores: tenant {TenantId}: scored {Accounts} accounts as of {Day:yyyy-MM-dd} with the {Scorer} in {ElapsedMs} ms")]
    public static partial void ScoresComputed(ILogger logger, int tenantId, int accounts, DateTime day, string scorer, long elapsedMs);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Information,
        Message = "Scores: tenant {TenantId}: the model needs {Needed} churned and {Needed} retained accounts, has {Churned} and {Retained}; the scorecard scores")]
    public static partial void ModelFallback(ILogger logger, int tenantId, int needed, int churned, int retained);
}
