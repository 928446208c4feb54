using Microsoft.Extensions.Logging;

namespace IntegrationHealth.Analytics;

/// <summary>
/// Log messages of analytics' signals (alerts, survey triggers, scorecards, retention, migration tiers), EventIds
/// 5500–5999 (rollups, issues and scores use 5000–5499 in <c>AnalyticsLog.Core.cs</c>). No message takes a secret,
/// a survey comment or a user's free text.
/// </summary>
internal static partial class AnalyticsLog
{
    [LoggerMessage(EventId = 5500, Level = LogLevel.Information, Message = "Alerts of tenant {TenantId}: {Signals} firing, {Opened} opened, {Resolved} resolved")]
    public static partial void AlertsEvaluated(ILogger logger, int tenantId, int signals, int opened, int resolved);

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "Alert {AlertId} of tenant {TenantId} acknowledged by key {KeyId}")]
    public static partial void AlertAcknowledged(ILogger logger, int alertId, int tenantId, int keyId);

    [LoggerMessage(EventId = 5510, Level = LogLevel.Information, Message = "Survey triggers of tenant {TenantId}: {Events} events, {Created} triggers created, {Throttled} throttled")]
    public static partial void SurveyTriggersEvaluated(ILogger logger, int tenantId, int events, int created, int throttled);

    [LoggerMessage(EventId = 5511, Level = LogLevel.Information, Message = "Survey trigger {TriggerId} of tenant {TenantId} answered")]
    public static partial void SurveyTriggerAnswered(ILogger logger, int triggerId, int tenantId);
}
