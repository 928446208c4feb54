namespace IntegrationHealth.Data.Entities;

/// <summary>A status page component's status, in Statuspage v2's order of severity (wire names
/// <c>operational</c>, <c>degraded_performance</c>, <c>partial_outage</c>, <c>major_outage</c>,
/// <c>under_maintenance</c>).</summary>
public enum ComponentStatus : byte
{
    Operational = 0,
    DegradedPerformance = 1,
    PartialOutage = 2,
    MajorOutage = 3,
    UnderMaintenance = 4,
}

/// <summary>An incident's or a maintenance's status: incidents go investigating → identified → monitoring → resolved
/// (→ postmortem), maintenances scheduled → in_progress → verifying → completed (Statuspage's values).</summary>
public enum IncidentStatus : byte
{
    Investigating = 0,
    Identified = 1,
    Monitoring = 2,
    Resolved = 3,
    Postmortem = 4,
    Scheduled = 5,
    InProgress = 6,
    Verifying = 7,
    Completed = 8,
}

/// <summary>An incident's impact (<c>none</c>, <c>minor</c>, <c>major</c>, <c>critical</c>; maintenances are
/// <c>maintenance</c>).</summary>
public enum IncidentImpact : byte
{
    None = 0,
    Minor = 1,
    Major = 2,
    Critical = 3,
    Maintenance = 4,
}

/// <summary>How a subscriber is notified.</summary>
public enum SubscriberKind : byte
{
    Email = 0,
    Webhook = 1,
}

/// <summary>A tenant's public status page (one per tenant), served without a key at <c>/pages/{slug}/…</c>.</summary>
public sealed class StatusPage
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    /// <summary>URL segment, unique across tenants: lowercase letters, digits and hyphens.</summary>
    public required string Slug { get; set; }
    public required string Name { get; set; }
    /// <summary>The page's public URL as the tenant publishes it (Statuspage's <c>page.url</c>), when set.</summary>
    public string? Url { get; set; }
    /// <summary>IANA time zone shown as <c>page.time_zone</c>.</summary>
    public string TimeZone { get; set; } = "Etc/UTC";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A group of components on a page (Statuspage shows a group as a component with <c>group: true</c>).</summary>
public sealed class StatusComponentGroup
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int PageId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int Position { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// One component of a page, e.g. "Salesforce sync", mapped to a provider (and optionally one resource of it) whose
/// telemetry drives its status. The shown <see cref="Status"/> is, in order: under maintenance while a maintenance
/// covering it runs, else the staff's <see cref="OverrideStatus"/>, else the telemetry's <see cref="DerivedStatus"/>.
/// </summary>
public sealed class StatusComponent
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int PageId { get; set; }
    public int? GroupId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int Position { get; set; }
    /// <summary>Hidden from the public page while operational.</summary>
    public bool OnlyShowIfDegraded { get; set; }
    /// <summary>The provider whose telemetry drives the component; null: staff set the status by hand.</summary>
    public int? ProviderId { get; set; }
    /// <summary>One resource of the provider (e.g. <c>contacts</c>); null: all of the provider's requests.</summary>
    public string? Resource { get; set; }
    /// <summary>What the page shows (see the class remarks).</summary>
    public ComponentStatus Status { get; set; }
    /// <summary>What telemetry says, after hysteresis and minimum durations.</summary>
    public ComponentStatus DerivedStatus { get; set; }
    /// <summary>The status telemetry points at but that has not lasted its minimum duration yet.</summary>
    public ComponentStatus? CandidateStatus { get; set; }
    public DateTime? CandidateSince { get; set; }
    /// <summary>The staff's status; null lets telemetry decide.</summary>
    public ComponentStatus? OverrideStatus { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A change of a component's shown status (for uptime bars and badges: a status holds until the next
/// change).</summary>
public sealed class StatusComponentChange
{
    public long Id { get; set; }
    public int TenantId { get; set; }
    public int ComponentId { get; set; }
    public ComponentStatus Status { get; set; }
    public DateTime At { get; set; }
}

/// <summary>An incident or a scheduled maintenance (Statuspage keeps both as incidents; a maintenance has
/// <see cref="ScheduledFor"/> and impact <c>maintenance</c>).</summary>
public sealed class StatusIncident
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int PageId { get; set; }
    public required string Name { get; set; }
    public IncidentStatus Status { get; set; }
    public IncidentImpact Impact { get; set; }
    public bool IsMaintenance { get; set; }
    /// <summary>Opened by the status job when a component degraded.</summary>
    public bool Automatic { get; set; }
    /// <summary>Staff posted to an automatic incident: the job no longer resolves it.</summary>
    public bool StaffManaged { get; set; }
    public DateTime? ScheduledFor { get; set; }
    public DateTime? ScheduledUntil { get; set; }
    /// <summary>A recurring maintenance repeats every this many days (the job schedules the next one when one
    /// completes); null: one-off.</summary>
    public int? RecurrenceDays { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? MonitoringAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
}

/// <summary>A component an incident or maintenance affects.</summary>
public sealed class StatusIncidentComponent
{
    public int IncidentId { get; set; }
    public int ComponentId { get; set; }
    public int TenantId { get; set; }
}

/// <summary>One update of an incident's timeline.</summary>
public sealed class StatusIncidentUpdate
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int IncidentId { get; set; }
    public IncidentStatus Status { get; set; }
    public required string Body { get; set; }
    /// <summary>JSON array of <c>{"code","name","old_status","new_status"}</c> as Statuspage's
    /// <c>affected_components</c>, at the time of the update.</summary>
    public string? AffectedComponents { get; set; }
    public DateTime? ExpectedResolutionAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime DisplayAt { get; set; }
    /// <summary>When the notification planner fanned this update out to the page's subscribers (null: not yet).</summary>
    public DateTime? NotifiedAt { get; set; }
}

/// <summary>A subscriber of a page: an e-mail address (after double opt-in) or an HTTPS webhook.</summary>
public sealed class StatusSubscriber
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int PageId { get; set; }
    public SubscriberKind Kind { get; set; }
    public string? Email { get; set; }
    public string? WebhookUrl { get; set; }
    /// <summary>The webhook subscriber's endpoint in the shared webhook outbox (audience
    /// <see cref="WebhookEndpointAudience.StatusSubscriber"/>), which holds its signing secrets and whose drain
    /// delivers, retries and disables it on 410 Gone.</summary>
    public int? WebhookEndpointId { get; set; }
    /// <summary>Comma-separated component ids; null: every component.</summary>
    public string? ComponentIds { get; set; }
    /// <summary>SHA-256 (hex) of the confirmation token of an e-mail not confirmed yet (cleared when used: single use).</summary>
    public string? ConfirmationTokenHash { get; set; }
    /// <summary>When the confirmation token stops working.</summary>
    public DateTime? ConfirmationExpiresAt { get; set; }
    public DateTime? ConfirmedAt { get; set; }
    /// <summary>SHA-256 (hex) of the one-click unsubscribe token (the lookup key of unsubscribe requests).</summary>
    public required string UnsubscribeTokenHash { get; set; }
    /// <summary>The unsubscribe token itself, protected with Data Protection: every mail carries it in its
    /// <c>List-Unsubscribe</c> link, so the mail drain needs it in clear at send time; never stored in clear.</summary>
    public string? ProtectedUnsubscribeToken { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DisabledAt { get; set; }
}

/// <summary>A mail for one e-mail subscriber in the status page's mail outbox (confirmations and notifications):
/// sent at least once, retried with backoff until it succeeds or gives up; (subscriber, <see cref="MessageId"/>) is
/// unique, so planning the same update twice sends one mail. Webhook subscribers' notifications go through the shared
/// webhook outbox instead.</summary>
public sealed class StatusNotification
{
    public long Id { get; set; }
    public int TenantId { get; set; }
    public int SubscriberId { get; set; }
    public required string MessageId { get; set; }
    public required string EventType { get; set; }
    public required string Payload { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? FailedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
