namespace IntegrationHealth.Data.Entities;

public enum AccountSegment
{
    Smb = 0,
    MidMarket = 1,
    Enterprise = 2,
}

/// <summary>One of a tenant's customers, identified by the tenant's own external id.</summary>
public sealed class Account : ITenantKeyed
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public required string ExternalId { get; set; }
    public required string Name { get; set; }
    /// <summary>Annual recurring revenue in the tenant's currency.</summary>
    public decimal Arr { get; set; }
    public AccountSegment Segment { get; set; }
    public string? Plan { get; set; }
    public int Seats { get; set; }
    /// <summary>Customer Success Manager owning the account (name or e-mail).</summary>
    public string? Csm { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ChurnedAt { get; set; }
}

/// <summary>
/// A third-party API IntegrationHealth can integrate with: a row of the platform catalogue (seeded, visible to every
/// tenant) or one a tenant registered for itself (visible to that tenant only).
/// </summary>
public sealed class Provider
{
    public int Id { get; set; }
    /// <summary>The tenant that registered the provider; null for the platform catalogue.</summary>
    public int? TenantId { get; set; }
    /// <summary>Slug, e.g. <c>salesforce</c>: unique among platform rows, and unique within a tenant's own rows.</summary>
    public required string Key { get; set; }
    public required string Name { get; set; }
    /// <summary>e.g. crm, hris, marketing.</summary>
    public string? Category { get; set; }
}

public enum ConnectionStatus
{
    Active = 0,
    NeedsReauth = 1,
    Disabled = 2,
}

public enum AuthKind
{
    OAuth2 = 0,
    ApiKey = 1,
    Basic = 2,
}

/// <summary>An account's link to one provider.</summary>
public sealed class Connection : IAccountOwned
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int AccountId { get; set; }
    public int ProviderId { get; set; }
    /// <summary>The tenant's own id for this connection; unique per tenant.</summary>
    public required string ExternalId { get; set; }
    public ConnectionStatus Status { get; set; }
    public AuthKind AuthKind { get; set; }
    /// <summary>Space-separated OAuth scopes.</summary>
    public string? Scopes { get; set; }
    public string? InstanceUrl { get; set; }
    public string? ApiVersion { get; set; }
    /// <summary>The connection's non-secret values for its provider definition (subdomain, region, instance URL…), as
    /// a JSON object of strings (<c>{"subdomain":"acme"}</c>); null when it has none. Secrets never go here: they are
    /// the credential vault's.</summary>
    public string? Values { get; set; }
    public DateTime? LastSyncAt { get; set; }
    public string? SyncCursor { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>What a support ticket is about (wire names <c>integration</c>, <c>billing</c>, <c>how_to</c>, <c>other</c>).</summary>
public enum SupportTicketCategory
{
    Integration = 0,
    Billing = 1,
    HowTo = 2,
    Other = 3,
}

/// <summary>Where a support ticket stands, in the usual help-desk lifecycle: open (waiting on support), pending
/// (waiting on the customer), solved (support answered), closed (no further change).</summary>
public enum SupportTicketStatus
{
    Open = 0,
    Pending = 1,
    Solved = 2,
    Closed = 3,
}

/// <summary>A support ticket raised by an account, optionally about one provider's integration.</summary>
public sealed class SupportTicket : IAccountOwned
{
    /// <summary>The status of a ticket whose sender did not say: closed when it has a close time, solved when it has a
    /// resolution time, open otherwise.</summary>
    public static SupportTicketStatus DefaultStatus(DateTime? closedAt, DateTime? resolvedAt) =>
        closedAt is not null ? SupportTicketStatus.Closed : resolvedAt is not null ? SupportTicketStatus.Solved : SupportTicketStatus.Open;

    public int Id { get; set; }
    public int TenantId { get; set; }
    public int AccountId { get; set; }
    public required string ExternalId { get; set; }
    public int? ProviderId { get; set; }
    public required string Subject { get; set; }
    /// <summary>low, normal, high, urgent.</summary>
    public string Priority { get; set; } = "normal";
    public DateTime OpenedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    /// <summary>What the ticket is about, when the sender said.</summary>
    public SupportTicketCategory? Category { get; set; }
    public SupportTicketStatus Status { get; set; }
    /// <summary>When support first answered (the support-SLA scorecard's first-response time).</summary>
    public DateTime? FirstResponseAt { get; set; }
    /// <summary>When the ticket was resolved (time to resolution).</summary>
    public DateTime? ResolvedAt { get; set; }
}

/// <summary>An NPS survey response (score 0–10).</summary>
public sealed class SurveyResponse : IAccountOwned
{
    public int Id { get; set; }
    public int TenantId { get; set; }
    public int AccountId { get; set; }
    public required string ExternalId { get; set; }
    public string? UserId { get; set; }
    public int Score { get; set; }
    public string? Comment { get; set; }
    public DateTime RespondedAt { get; set; }
}

/// <summary>The demo simulator's hidden truth about an account, kept so that risk scoring can be evaluated.</summary>
public sealed class AccountGroundTruth
{
    public int AccountId { get; set; }
    public int TenantId { get; set; }
    /// <summary>Latent churn probability over the simulated window, 0–1.</summary>
    public double LatentRisk { get; set; }
    /// <summary>Number of healthy connections at the end of the window.</summary>
    public int HealthyConnections { get; set; }
    /// <summary>Short description of what drove the risk (e.g. "revoked-token wave; 2 broken connections").</summary>
    public string? Drivers { get; set; }
}
