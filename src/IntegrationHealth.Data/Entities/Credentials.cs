namespace IntegrationHealth.Data.Entities;

/// <summary>
/// A connection's secrets, encrypted at rest (the engine's credential vault). <see cref="Protected"/> is one ASP.NET
/// Core Data Protection payload holding every secret field (access token, refresh token, client secret, API key); the
/// rest is what the refresh machinery must read without decrypting: lifetimes, the optimistic-update
/// <see cref="Version"/>, the cross-process refresh lease and the failure cool-down.
/// </summary>
public sealed class ConnectionCredential
{
    public int TenantId { get; set; }
    public int ConnectionId { get; set; }
    /// <summary>The secret fields as a Data Protection payload (never plaintext).</summary>
    public required string Protected { get; set; }
    /// <summary>When the current access token was obtained.</summary>
    public DateTime? IssuedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    /// <summary>Incremented by every write; a write names the version it read and fails if another came first.</summary>
    public int Version { get; set; }
    /// <summary>Until when a process holds the right to refresh (SQLite's cross-process single flight); null when free.</summary>
    public DateTime? RefreshLeaseUntil { get; set; }
    public string? RefreshLeaseOwner { get; set; }
    /// <summary>The last completed token exchange, successful or not (idle refresh picks the oldest).</summary>
    public DateTime? LastRefreshAt { get; set; }
    /// <summary>Consecutive failed exchanges since the last success.</summary>
    public int FailedRefreshes { get; set; }
    /// <summary>No exchange before this time after a failure, so a dead connection is not hammered.</summary>
    public DateTime? CoolDownUntil { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A tenant's own OAuth app for one provider ("bring your own OAuth app"); the secret is encrypted.</summary>
public sealed class OAuthApp
{
    public int TenantId { get; set; }
    /// <summary>The engine provider definition's key.</summary>
    public required string ProviderKey { get; set; }
    public required string ClientId { get; set; }
    /// <summary>The client secret as a Data Protection payload; null for public clients (PKCE only).</summary>
    public string? ProtectedClientSecret { get; set; }
    /// <summary>Space-separated scopes replacing the definition's, when set.</summary>
    public string? Scopes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An authorization started by <c>GET /v1/connect/{provider}</c>: its nonce, consumed by the callback
/// (single use) before it expires.</summary>
public sealed class ConnectState
{
    /// <summary>The random nonce inside the protected <c>state</c> parameter.</summary>
    public required string Nonce { get; set; }
    public int TenantId { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>The audit record of one credential export: who (API key), when, which tenant, how many connections.</summary>
public sealed class CredentialExport
{
    public long Id { get; set; }
    public int TenantId { get; set; }
    /// <summary>The API key that exported (its id; keys are never deleted, only revoked).</summary>
    public int ApiKeyId { get; set; }
    public DateTime ExportedAt { get; set; }
    public int Connections { get; set; }
    /// <summary>The filter asked for (account or connection ids), or null for all the tenant's connections.</summary>
    public string? Filter { get; set; }
}
