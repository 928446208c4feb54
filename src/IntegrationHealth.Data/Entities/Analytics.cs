namespace IntegrationHealth.Data.Entities;

/// <summary>How wide an account rollup bucket is.</summary>
public enum RollupGrain : byte
{
    Hour = 0,
    Day = 1,
}

/// <summary>
/// The measures of one rollup bucket: everything is a sum, a minimum, a maximum or a mergeable histogram, so buckets
/// combine into wider windows exactly (hours into days, days into 30-day windows) without going back to raw events.
/// </summary>
public abstract class RollupMeasures
{
    /// <summary>Request events.</summary>
    public int Requests { get; set; }
    /// <summary>Failed requests (any class).</summary>
    public int Errors { get; set; }
    /// <summary>Failed requests by error class (these seven sum to <see cref="Errors"/>).</summary>
    public int Timeouts { get; set; }
    public int ClientErrors { get; set; }
    public int ServerErrors { get; set; }
    public int RateLimited { get; set; }
    public int NetworkErrors { get; set; }
    /// <summary>Failed requests classed invalid_grant.</summary>
    public int AuthErrors { get; set; }
    /// <summary>Failed requests of class mapping or other.</summary>
    public int OtherErrors { get; set; }
    /// <summary>Failed events of any kind that said the credentials are bad: class invalid_grant, or HTTP 401.</summary>
    public int CredentialFailures { get; set; }
    /// <summary>Failed events answered HTTP 403 (a missing scope or permission).</summary>
    public int Forbidden { get; set; }
    /// <summary>Requests with a latency.</summary>
    public int LatencyCount { get; set; }
    public long LatencySumMs { get; set; }
    /// <summary>The latency histogram, sparse (see the analytics project's <c>LatencyHistogram</c>); null when empty.</summary>
    public byte[]? LatencyHistogram { get; set; }
    public int RefreshSuccesses { get; set; }
    public int RefreshFailures { get; set; }
    public int SyncRuns { get; set; }
    public int SyncFailures { get; set; }
    /// <summary>Records of successful sync runs.</summary>
    public long SyncRecords { get; set; }
    /// <summary>Successful sync runs that returned zero records.</summary>
    public int EmptySyncs { get; set; }
    /// <summary>The last successful sync run with records (sync lag is measured from it).</summary>
    public DateTime? LastSyncWithRecordsAt { get; set; }
    public int WebhookSuccesses { get; set; }
    public int WebhookFailures { get; set; }
    public int MappingFailures { get; set; }
    public int UsageEvents { get; set; }
    /// <summary>Lowest rate-limit headroom seen (remaining / limit, 0–1); null when no event carried both.</summary>
    public double? MinRateLimitHeadroom { get; set; }
    /// <summary>The last successful event of any kind (issues resolve after a quiet period of success).</summary>
    public DateTime? LastSuccessAt { get; set; }
    /// <summary>The last failed event of any kind.</summary>
    public DateTime? LastFailureAt { get; set; }
}

/// <summary>An hourly or daily rollup of one account's events on one connection and resource.</summary>
public sealed class ConnectionRollup : RollupMeasures
{
    public int TenantId { get; set; }
    public RollupGrain Grain { get; set; }
    /// <summary>UTC start of the hour or day.</summary>
    public DateTime BucketStart { get; set; }
    public int AccountId { get; set; }
    public int ProviderId { get; set; }
    /// <summary>The connection, 0 for events that named none.</summary>
    public int ConnectionId { get; set; }
    /// <summary>The resource (not the raw path), empty for events that named none.</summary>
    public string Resource { get; set; } = "";
}

/// <summary>A per-minute rollup of one provider's events on one resource, across the tenant's accounts.</summary>
public sealed class ProviderRollup : RollupMeasures
{
    public int TenantId { get; set; }
    /// <summary>UTC start of the minute.</summary>
    public DateTime BucketStart { get; set; }
    public int ProviderId { get; set; }
    public string Resource { get; set; } = "";
    /// <summary>Distinct accounts with events in the minute.</summary>
    public int Accounts { get; set; }
}

/// <summary>A user of an account active on a UTC day (DAU; MAU is the distinct users over 30 days).</summary>
public sealed class ActiveUserDay
{
    public int TenantId { get; set; }
    public int AccountId { get; set; }
    public DateTime Day { get; set; }
    public required string UserId { get; set; }
}

/// <summary>
/// Where an incremental job has read the telemetry table up to, by <see cref="TelemetryEvent.IngestSeq"/>. Each run
/// reads from <see cref="SafePosition"/>; a position becomes safe once it is older than the settle window, so an
/// event whose transaction committed after a higher sequence number was read is still seen (PostgreSQL hands out
/// sequence numbers before commit).
/// </summary>
public sealed class RollupCursor
{
    public required string Name { get; set; }
    public long SafePosition { get; set; }
    public long CandidatePosition { get; set; }
    public DateTime CandidateAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>What is wrong on a connection.</summary>
public enum IssueKind : byte
{
    /// <summary>Token refresh or requests fail with invalid_grant: revoked or expired credentials.</summary>
    CredentialsRevoked = 0,
    /// <summary>Requests fail with 403: a scope or permission is missing.</summary>
    MissingPermission = 1,
    /// <summary>A resource's error rate stays high for hours.</summary>
    SustainedErrors = 2,
    /// <summary>Nearly every request of the provider fails across accounts (timeouts, 5xx, network).</summary>
    ProviderOffline = 3,
    /// <summary>Sync runs stopped where they used to run.</summary>
    StalledSync = 4,
    /// <summary>Sync runs succeed with zero records for days where records are usual.</summary>
    EmptySync = 5,
    /// <summary>Records fail to map (typically after a schema change on the provider's side).</summary>
    MappingFailures = 6,
}

public enum IssueStatus : byte
{
    Open = 0,
    Resolved = 1,
}

/// <summary>One problem of one connection (Merge-style integration issue): updated while it repeats, resolved after a
/// quiet period of success, reopened when it recurs.</summary>
public sealed class ConnectionIssue
{
    public long Id { get; set; }
    public int TenantId { get; set; }
    public int AccountId { get; set; }
    public int ProviderId { get; set; }
    /// <summary>The connection, 0 when the events named none.</summary>
    public int ConnectionId { get; set; }
    public IssueKind Kind { get; set; }
    /// <summary>The resource the problem is on, empty for connection-wide problems.</summary>
    public string Resource { get; set; } = "";
    public IssueStatus Status { get; set; }
    public DateTime FirstSeenAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public int Reopened { get; set; }
    /// <summary>Failure events (or stale hours) counted while the issue was detected.</summary>
    public int Occurrences { get; set; }
    public DateTime? MutedAt { get; set; }
    public string? MutedBy { get; set; }
    /// <summary>The latest finding in plain words with numbers.</summary>
    public required string Summary { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>Which scorer produced a score.</summary>
public enum ScorerKind : byte
{
    Scorecard = 0,
    Model = 1,
}

/// <summary>Churn-risk band.</summary>
public enum RiskBand : byte
{
    Healthy = 0,
    Watch = 1,
    AtRisk = 2,
    Critical = 3,
}

/// <summary>An account's churn-risk score as of the end of a UTC day, kept as history (backtests, trends).</summary>
public sealed class AccountScore
{
    public int TenantId { get; set; }
    public int AccountId { get; set; }
    /// <summary>The UTC day the score is as of (computed from data known at the end of that day).</summary>
    public DateTime Day { get; set; }
    public ScorerKind Scorer { get; set; }
    /// <summary>Risk 0–100 (higher is riskier).</summary>
    public double Score { get; set; }
    public RiskBand Band { get; set; }
    /// <summary>The model's churn probability, when the model scored.</summary>
    public double? Probability { get; set; }
    /// <summary>The explanation in plain words.</summary>
    public required string Explanation { get; set; }
    /// <summary>The factors as JSON (measure, value, contribution).</summary>
    public required string Factors { get; set; }
    public DateTime ComputedAt { get; set; }
}
