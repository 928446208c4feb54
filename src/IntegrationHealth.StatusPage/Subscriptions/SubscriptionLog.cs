namespace IntegrationHealth.StatusPage;

/// <summary>The subscriptions' log lines (EventIds 6100–6199). Never an address, a token or a secret.</summary>
internal static partial class StatusPageLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Planned update {UpdateId} of incident {IncidentId} (tenant {TenantId}): {Mails} mails, {Webhooks} webhook deliveries")]
    public static partial void UpdatePlanned(ILogger logger, int tenantId, int incidentId, int updateId, int mails, int webhooks);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Sent mail {NotificationId} ({EventType}) to subscriber {SubscriberId}")]
    public static partial void MailSent(ILogger logger, long notificationId, string eventType, int subscriberId);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Mail {NotificationId} to subscriber {SubscriberId} failed on attempt {Attempt} ({Error}); next attempt {NextAttempt:O}")]
    public static partial void MailFailed(ILogger logger, long notificationId, int subscriberId, int attempt, string error, DateTime? nextAttempt);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Could not reach the SMTP server ({Error}); {Count} mails wait for their next attempt")]
    public static partial void SmtpUnavailable(ILogger logger, string error, int count);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Subscriber {SubscriberId} of page {PageId} {Change}")]
    public static partial void SubscriberChanged(ILogger logger, int pageId, int subscriberId, string change);
}
