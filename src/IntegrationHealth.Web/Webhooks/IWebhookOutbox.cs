namespace IntegrationHealth.Web.Webhooks;

/// <summary>
/// Where features hand events for the tenant's webhook endpoints (connection issues, alerts, survey triggers, later the
/// status page). Enqueued in the caller's unit of work terms: an event is stored before this returns, and is delivered
/// at least once, signed per the Standard Webhooks specification, with a stable <c>webhook-id</c>, by a Hangfire drain.
/// </summary>
public interface IWebhookOutbox
{
    /// <param name="tenantId">The tenant whose subscribed endpoints receive it.</param>
    /// <param name="eventType">Dotted event type, e.g. <c>connection_issue.opened</c>.</param>
    /// <param name="payload">The event's <c>data</c> object, serialised as JSON.</param>
    /// <param name="idempotencyKey">The same key enqueued twice is one message (e.g. an issue id and its transition).</param>
    Task EnqueueAsync(int tenantId, string eventType, object payload, string idempotencyKey, CancellationToken cancellationToken = default);
}
