namespace IntegrationHealth.Data.Entities;

public enum TelemetryKind : byte
{
    Request = 0,
    TokenRefresh = 1,
    SyncRun = 2,
    WebhookDelivery = 3,
    MappingFailure = 4,
    Usage = 5,
}

public enum TelemetryOutcome : byte
{
    Success = 0,
    Failure = 1,
}

public enum ErrorClass : byte
{
    None = 0,
    Timeout = 1,
    Client4xx = 2,
    Server5xx = 3,
    InvalidGrant = 4,
    RateLimited = 5,
    Network = 6,
    Mapping = 7,
    Other = 8,
}

public enum HttpMethodCode : byte
{
    None = 0,
    Get = 1,
    Post = 2,
    Put = 3,
    Patch = 4,
    Delete = 5,
    Head = 6,
    Options = 7,
}

/// <summary>
/// One telemetry event. Rows are narrow on purpose (ids and small integers; one short string for the resource
/// or feature and one for the user): this table takes most of the write volume. What only some events carry lives
/// elsewhere: the endpoint's route template is interned in <see cref="EndpointTemplate"/> (an int here), and a
/// failure's message, field and record id are a <see cref="TelemetryEventDetail"/> side row.
/// </summary>
public sealed class TelemetryEvent
{
    /// <summary>Client-supplied event id, unique within the tenant: a second event of the tenant with the same id is a
    /// duplicate and is ignored (another tenant's event with that id is not).</summary>
    public Guid Id { get; set; }
    /// <summary>UTC instant the event happened.</summary>
    public DateTime OccurredAt { get; set; }
    public int TenantId { get; set; }
    public int AccountId { get; set; }
    public int ProviderId { get; set; }
    /// <summary>The connection, when the (account, provider) pair has one.</summary>
    public int? ConnectionId { get; set; }
    public TelemetryKind Kind { get; set; }
    public TelemetryOutcome Outcome { get; set; }
    public ErrorClass ErrorClass { get; set; }
    public HttpMethodCode Method { get; set; }
    /// <summary>HTTP status 100–599, when the event was an HTTP exchange.</summary>
    public short? HttpStatus { get; set; }
    public int? LatencyMs { get; set; }
    /// <summary>Records read or written (sync runs, webhook deliveries).</summary>
    public int? Records { get; set; }
    public int? RateLimitRemaining { get; set; }
    public int? RateLimitLimit { get; set; }
    /// <summary>Resource or endpoint (requests, syncs, mapping failures) or feature (usage), at most 200 characters.</summary>
    public string? Resource { get; set; }
    /// <summary>The account's user who acted (usage events; DAU/MAU), at most 200 characters.</summary>
    public string? UserId { get; set; }
    /// <summary>The request's endpoint route template (<see cref="EndpointTemplate"/> row id), when the sender gave one.</summary>
    public int? EndpointId { get; set; }
    /// <summary>The order the store accepted the event in: increasing with each accepted event (gaps allowed), assigned
    /// by the store (a PostgreSQL identity; the SQLite writer's one writer counts on), never by the sender. Incremental
    /// readers (rollups) follow it, because arrival order is not <see cref="OccurredAt"/> order (events come up to days
    /// late) nor id order (ids are the senders'). Zero for rows written on SQLite by anything but the bulk writer.</summary>
    public long IngestSeq { get; set; }
    /// <summary>UTC instant the store accepted the event, set by the bulk writer from its clock (for rows inserted any
    /// other way: PostgreSQL's <c>now()</c>, zero on SQLite). It decides the PostgreSQL day partition the row lives in and when retention
    /// removes it (received more than <see cref="DatabaseOptions.TelemetryRetentionDays"/> days ago), because late events
    /// (<see cref="OccurredAt"/> days in the past) must still land in a partition that exists and is hot.</summary>
    public DateTime ReceivedAt { get; set; }
    /// <summary>The event's detail row, written with the event (and only when the event is accepted, not a duplicate);
    /// null for most events. Not a column: the writers store it in <c>telemetry_event_details</c>.</summary>
    public TelemetryEventDetail? Detail { get; set; }
}

/// <summary>
/// An endpoint route template (e.g. <c>/services/data/v59.0/sobjects/{type}/{id}</c>) a tenant's events named for one
/// provider, stored once and referenced by id from each event: there are few templates and many events.
/// </summary>
public sealed class EndpointTemplate
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int ProviderId { get; set; }
    /// <summary>At most 300 characters, unique per (tenant, provider).</summary>
    public required string Template { get; set; }
}

/// <summary>
/// What a failure event said beyond its class (mostly mapping failures: the message, the field and the record that
/// failed), in a side table keyed by the event (tenant, id), so the telemetry row stays narrow for every other event.
/// </summary>
public sealed class TelemetryEventDetail
{
    /// <summary>The event's tenant (filled on reads; the writers take it from the event).</summary>
    public int TenantId { get; set; }
    /// <summary>The event's id (filled on reads; the writers take it from the event).</summary>
    public Guid EventId { get; set; }
    /// <summary>The error message, at most 1,000 characters.</summary>
    public string? ErrorMessage { get; set; }
    /// <summary>The field that failed, e.g. <c>Contact.Email</c>, at most 200 characters.</summary>
    public string? Field { get; set; }
    /// <summary>The id of the record that failed, in the third-party API, at most 200 characters.</summary>
    public string? RecordId { get; set; }
}
