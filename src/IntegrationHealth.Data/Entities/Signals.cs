namespace IntegrationHealth.Data.Entities;

public enum AlertKind
{
    /// <summary>An account × provider error rate far from its same-hour-of-week baseline.</summary>
    Anomaly = 0,
    /// <summary>An SLO error budget burning too fast (multiwindow, multi-burn-rate).</summary>
    BurnRate = 1,
    /// <summary>A migration playbook rollback trigger.</summary>
    RollbackTrigger = 2,
    /// <summary>A connection's credentials were refused as revoked (<c>invalid_grant</c>); raised by the engine at once.</summary>
    CredentialsRevoked = 3,
}

public enum AlertSeverity
{
    Ticket = 0,
    Page = 1,
}

public enum AlertState
{
    Open = 0,
    Acknowledged = 1,
    Resolved = 2,
}

/// <summary>An alert: one row per problem while it lasts (deduplicated by <see cref="DedupKey"/>), with its lifecycle.</summary>
public sealed class Alert
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    /// <summary>What the problem is and where, e.g. <c>burn-rate:page:provider:3</c>: one unresolved alert per key.</summary>
    public required string DedupKey { get; set; }
    public AlertKind Kind { get; set; }
    public AlertSeverity Severity { get; set; }
    public AlertState State { get; set; }
    public int? ProviderId { get; set; }
    public int? AccountId { get; set; }
    public int? ConnectionId { get; set; }
    public required string Title { get; set; }
    public required string Detail { get; set; }
    /// <summary>The measured value when last seen (burn rate, error rate, robust z, count).</summary>
    public double Value { get; set; }
    public double Threshold { get; set; }
    public DateTime OpenedAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    public int Occurrences { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public DateTime? ResolvedAt { get; set; }
}

/// <summary>What happened to an account that may be worth asking its users about.</summary>
public enum SurveyTriggerEvent
{
    FirstSuccessfulSync = 0,
    SyncRecovered = 1,
    IncidentResolved = 2,
    ScoreBandChanged = 3,
}

/// <summary>How often one survey may be shown to one user (Formbricks' display options).</summary>
public enum SurveyDisplayOption
{
    /// <summary>Shown once, answered or not.</summary>
    DisplayOnce = 0,
    /// <summary>Shown again until the user answers.</summary>
    DisplayMultiple = 1,
    /// <summary>Shown up to <see cref="SurveyRule.DisplayLimit"/> times (or until answered).</summary>
    DisplayFixed = 2,
    /// <summary>Always shown, also after answers.</summary>
    RespondMultiple = 3,
}

/// <summary>A tenant's rule: on <see cref="Event"/>, ask the account's users survey <see cref="SurveyKey"/>.</summary>
public sealed class SurveyRule
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    /// <summary>The tenant's survey id (what the product shows).</summary>
    public required string SurveyKey { get; set; }
    public SurveyTriggerEvent Event { get; set; }
    public SurveyDisplayOption DisplayOption { get; set; }
    public int? DisplayLimit { get; set; }
    /// <summary>Days a user who saw any survey is left alone; null uses the tenant-wide setting.</summary>
    public int? RecontactDays { get; set; }
    /// <summary>Share of eligible users asked, 0–100.</summary>
    public double Percentage { get; set; } = 100;
    public int DelaySeconds { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
}

public enum SurveyTriggerState
{
    Pending = 0,
    Displayed = 1,
    Answered = 2,
}

/// <summary>A survey to show one user of one account, produced by a rule from one integration event.</summary>
public sealed class SurveyTrigger
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int RuleId { get; set; }
    public int AccountId { get; set; }
    public required string UserId { get; set; }
    /// <summary>The event it answers (rule, account, user and event source): a rule fires once per event.</summary>
    public required string EventKey { get; set; }
    public required string Reason { get; set; }
    public DateTime OccurredAt { get; set; }
    /// <summary>Not shown before (the rule's delay after the event).</summary>
    public DateTime ShowAfter { get; set; }
    public SurveyTriggerState State { get; set; }
    public DateTime? DisplayedAt { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public int? SurveyResponseId { get; set; }
}
