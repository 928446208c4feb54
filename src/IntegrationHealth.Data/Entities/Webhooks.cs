namespace IntegrationHealth.Data.Entities;

/// <summary>How an endpoint wants its messages: Standard Webhooks-signed JSON, or a chat tool's incoming-webhook
/// format (rendered by the feature that owns the event type).</summary>
public enum WebhookEndpointFormat
{
    Standard = 0,
    Slack = 1,
    Teams = 2,
}

/// <summary>Whose endpoint it is: the tenant's own (receives the tenant's events, listed under
/// <c>/v1/webhook-endpoints</c>) or a status page subscriber's (receives only the notifications planned for it).</summary>
public enum WebhookEndpointAudience
{
    Tenant = 0,
    StatusSubscriber = 1,
}

/// <summary>A URL that receives webhook events: the tenant's own, or one of its status page's subscribers'.</summary>
public sealed class WebhookEndpoint
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    /// <summary>The tenant's own endpoint, or a status page subscriber's (never sent the tenant's other events).</summary>
    public WebhookEndpointAudience Audience { get; set; }
    public required string Url { get; set; }
    public string? Description { get; set; }
    public WebhookEndpointFormat Format { get; set; }
    /// <summary>Space-separated event types or prefixes ending in <c>.*</c> it subscribes to; null for every event.</summary>
    public string? EventTypes { get; set; }
    /// <summary>The signing secrets, newest first, with the instant each stops being used (null for the current one),
    /// as JSON protected by ASP.NET Data Protection: never stored or logged in clear.</summary>
    public required string ProtectedSecrets { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Set when the endpoint answered 410 Gone (or staff disabled it): nothing more is sent to it.</summary>
    public DateTime? DisabledAt { get; set; }
    public string? DisabledReason { get; set; }
}

/// <summary>One event handed to the outbox: stored once, delivered to every subscribed endpoint.</summary>
public sealed class WebhookMessage
{
    public long Id { get; set; }
    public int TenantId { get; set; }
    /// <summary>The <c>webhook-id</c> header: the same across every attempt and endpoint (receivers deduplicate on it).</summary>
    public required string MessageId { get; set; }
    public required string EventType { get; set; }
    /// <summary>The whole JSON body (<c>{"type":…,"timestamp":…,"data":…}</c>), exactly as it is signed and sent.</summary>
    public required string Body { get; set; }
    /// <summary>The caller's key: enqueuing the same key twice is one message.</summary>
    public required string IdempotencyKey { get; set; }
    public DateTime CreatedAt { get; set; }
}

public enum WebhookDeliveryState
{
    Pending = 0,
    Succeeded = 1,
    /// <summary>Every attempt of the schedule failed.</summary>
    Failed = 2,
    /// <summary>The endpoint was disabled or deleted before it succeeded.</summary>
    Cancelled = 3,
}

/// <summary>A message's delivery to one endpoint: its retry state and the lease of the drain that holds it.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public int TenantId { get; set; }
    public long MessageId { get; set; }
    public int EndpointId { get; set; }
    public WebhookDeliveryState State { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    /// <summary>A drain claimed the row until then; a crashed drain's claim simply runs out and another takes it.</summary>
    public DateTime? LeaseUntil { get; set; }
    public Guid? LeaseOwner { get; set; }
    public short? LastHttpStatus { get; set; }
    public string? LastError { get; set; }
    public DateTime? CompletedAt { get; set; }
}

/// <summary>One HTTP attempt of a delivery (the delivery log tenants and tests read).</summary>
public sealed class WebhookAttempt
{
    public long Id { get; set; }
    public int TenantId { get; set; }
    public long DeliveryId { get; set; }
    public int Attempt { get; set; }
    public DateTime AttemptedAt { get; set; }
    public short? HttpStatus { get; set; }
    public int LatencyMs { get; set; }
    public bool Succeeded { get; set; }
    /// <summary>Why it failed (status class, timeout, network), never the response body.</summary>
    public string? Error { get; set; }
}
