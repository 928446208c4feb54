namespace IntegrationHealth.Data.Entities;

/// <summary>
/// A provider definition a tenant uploaded at run time (a JSON document satisfying the engine's provider schema),
/// visible to that tenant only. Platform definitions ship with the engine and are not rows.
/// </summary>
public sealed class EngineDefinition
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    /// <summary>The definition's key (its <c>key</c> member), unique per tenant; never a platform key.</summary>
    public required string Key { get; set; }
    /// <summary>The document as uploaded.</summary>
    public required string Document { get; set; }
    /// <summary>1 on upload, +1 on each replacement.</summary>
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// The current override of one provider's definition at one level: the tenant's environment (<see cref="AccountId"/>
/// null) or one account. The document is a partial definition deep-merged over the level below it; null once deleted
/// (the row stays, so versions keep counting). Every change is also an <see cref="EngineOverrideVersion"/>.
/// </summary>
public sealed class EngineOverride
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public required string ProviderKey { get; set; }
    /// <summary>The account overridden; null for the environment (tenant-wide) level.</summary>
    public int? AccountId { get; set; }
    /// <summary><c>environment</c> or <c>account/{id}</c>: the unique key, as NULLs are distinct in unique indexes.</summary>
    public required string Scope { get; set; }
    public int Version { get; set; }
    public string? Document { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One version of an <see cref="EngineOverride"/>, kept for history and roll-back.</summary>
public sealed class EngineOverrideVersion
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int OverrideId { get; set; }
    public int Version { get; set; }
    /// <summary>The document of this version; null for a deletion.</summary>
    public string? Document { get; set; }
    /// <summary><c>save</c>, <c>delete</c> or <c>rollback</c>.</summary>
    public required string Change { get; set; }
    /// <summary>For a roll-back: the version restored.</summary>
    public int? RestoredVersion { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A counter per tenant, incremented in the same transaction as every change to its definitions or overrides: each
/// process compares it (one primary-key read, at most once per refresh interval) with the one its cache was built at.
/// </summary>
public sealed class EngineConfigVersion
{
    public int TenantId { get; set; }
    public long Version { get; set; }
}

/// <summary>Where a sync run stands.</summary>
public enum SyncRunStatus
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    /// <summary>Another run of the same connection and resource held the lease.</summary>
    Skipped = 4,
}

/// <summary>
/// The persisted state of one (connection, resource) sync: the checkpoint of a pass in progress (the next page's
/// request, committed with each page), the modified-since time incremental runs start from, the schedule, and a lease
/// so that one run at a time pulls it (across processes).
/// </summary>
public sealed class SyncState
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int ConnectionId { get; set; }
    public required string Resource { get; set; }
    /// <summary>The next page of the pass in progress (engine JSON); null when no pass is in progress.</summary>
    public string? Checkpoint { get; set; }
    /// <summary>The pass in progress: its generation (records seen in it carry it), start and modified-since bound.</summary>
    public int Generation { get; set; }
    public DateTime? PassStartedAt { get; set; }
    public DateTime? PassModifiedSince { get; set; }
    public bool PassFull { get; set; }
    public int PassPages { get; set; }
    /// <summary>Where the next incremental pass starts (the last completed pass's start minus the look-back).</summary>
    public DateTime? ModifiedSince { get; set; }
    public DateTime? LastCompletedAt { get; set; }
    public DateTime? NextRunAt { get; set; }
    public DateTime? LeaseUntil { get; set; }
}

/// <summary>One run of a sync: what it read and changed in the record cache, and how it ended.</summary>
public sealed class SyncRun
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int ConnectionId { get; set; }
    public required string Resource { get; set; }
    /// <summary><c>schedule</c> or <c>api</c>.</summary>
    public required string Trigger { get; set; }
    public SyncRunStatus Status { get; set; }
    /// <summary>A full pass (every record; unseen ones are deleted) rather than an incremental one.</summary>
    public bool Full { get; set; }
    /// <summary>The run continued a pass an earlier run left unfinished.</summary>
    public bool Resumed { get; set; }
    public int Pages { get; set; }
    public int Records { get; set; }
    public int Added { get; set; }
    public int Updated { get; set; }
    public int Deleted { get; set; }
    public int MappingFailures { get; set; }
    /// <summary>Seconds between the data's modified-since bound (or the previous pass) and the end of the run.</summary>
    public int? LagSeconds { get; set; }
    public string? Error { get; set; }
    public DateTime QueuedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>Time the run spent mapping records (not stored: the run's telemetry detail carries it; benchmarks read it here).</summary>
    public TimeSpan MappingTime { get; set; }
}

/// <summary>
/// A unified record in the record cache, keyed by (tenant, connection, model, remote id), with a content hash so a
/// sync tells added, updated and unchanged records apart. Deleted records stay, flagged, so readers see the deletion.
/// </summary>
public sealed class CachedRecord
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int ConnectionId { get; set; }
    public required string Model { get; set; }
    public required string RemoteId { get; set; }
    /// <summary>The unified record (JSON).</summary>
    public required string Data { get; set; }
    /// <summary>SHA-256 of <see cref="Data"/>.</summary>
    public required byte[] Hash { get; set; }
    /// <summary>The sync pass that last saw the record (a full pass deletes the ones it did not see).</summary>
    public int Generation { get; set; }
    public bool Deleted { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the record last changed in the cache (added, updated or deleted): what <c>modifiedAfter</c> reads.</summary>
    public DateTime ModifiedAt { get; set; }
}
