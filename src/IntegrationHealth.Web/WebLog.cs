using IntegrationHealth.Data.Entities;
using Microsoft.Extensions.Logging;

namespace IntegrationHealth.Web;

/// <summary>
/// Every log message of the shared web plumbing, source-generated. EventIds 2000–2999 (ingestion has 1000–1999, the
/// composition root 3000–3999; the engine, analytics, status page and dashboards take 4000, 5000, 6000 and 7000).
/// Rule: no message takes an API key, secret, cookie or header value; keys are identified by their numeric id only.
/// </summary>
internal static partial class WebLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Rejected an API key on {Path}")]
    public static partial void ApiKeyRejected(ILogger logger, PathString path);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Created API key {KeyId} for tenant {TenantId} with scopes {Scopes}")]
    public static partial void ApiKeyCreated(ILogger logger, int keyId, int tenantId, ApiKeyScopes scopes);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Revoked API key {KeyId} of tenant {TenantId}")]
    public static partial void ApiKeyRevoked(ILogger logger, int keyId, int tenantId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Created tenant {TenantId} ({TenantKey})")]
    public static partial void TenantCreated(ILogger logger, int tenantId, string tenantKey);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Hangfire dashboard sign-in with API key {KeyId}")]
    public static partial void HangfireDashboardSignIn(ILogger logger, int keyId);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Purged {Count} API keys revoked before {Cutoff:O}")]
    public static partial void RevokedKeysPurged(ILogger logger, int count, DateTime cutoff);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Removed recurring job {JobId}: no feature registers it any more")]
    public static partial void RecurringJobRemoved(ILogger logger, string jobId);

    [LoggerMessage(EventId = 2200, Level = LogLevel.Warning, Message = "Readiness check {Check} reported {Status}")]
    public static partial void NotReady(ILogger logger, string check, string status, Exception? exception);

    [LoggerMessage(EventId = 2300, Level = LogLevel.Warning, Message = "Answered {Method} {Path} with {Status}: storage fault, {Fault}")]
    public static partial void StoreFaultAnswered(ILogger logger, string method, PathString path, int status, string fault, Exception exception);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Retrying a store write after a transient failure, {Fault} (attempt {Attempt} in {DelayMs} ms)")]
    public static partial void StoreRetrying(ILogger logger, string fault, int attempt, long delayMs);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "{What} waits until the store is ready")]
    public static partial void DeferredUntilStoreReady(ILogger logger, string what);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Information, Message = "{What} started: the store is ready")]
    public static partial void StartedOnceStoreReady(ILogger logger, string what);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Critical, Message = "{What} failed to start once the store was ready; stopping")]
    public static partial void DeferredStartFailed(ILogger logger, string what, Exception exception);

    [LoggerMessage(EventId = 2500, Level = LogLevel.Information, Message = "Delivered webhook delivery {DeliveryId} to endpoint {EndpointId} on attempt {Attempt} ({Status})")]
    public static partial void WebhookDelivered(ILogger logger, long deliveryId, int endpointId, int attempt, int status);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} failed on attempt {Attempt} ({Error}); next attempt {NextAttempt:O}")]
    public static partial void WebhookAttemptFailed(ILogger logger, long deliveryId, int endpointId, int attempt, string error, DateTime? nextAttempt);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} of tenant {TenantId} answered 410 Gone and was disabled")]
    public static partial void WebhookEndpointGone(ILogger logger, int endpointId, int tenantId);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} created for tenant {TenantId}")]
    public static partial void WebhookEndpointCreated(ILogger logger, int endpointId, int tenantId);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Information, Message = "Rotated the signing secret of webhook endpoint {EndpointId} of tenant {TenantId}")]
    public static partial void WebhookSecretRotated(ILogger logger, int endpointId, int tenantId);

    [LoggerMessage(EventId = 2505, Level = LogLevel.Warning, Message = "Could not record the telemetry of webhook delivery {DeliveryId}'s attempt ({Error})")]
    public static partial void WebhookTelemetryFailed(ILogger logger, long deliveryId, string error);
}
