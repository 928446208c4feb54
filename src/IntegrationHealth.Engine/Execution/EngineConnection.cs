namespace IntegrationHealth.Engine.Execution;

/// <summary>
/// The connection a call is made for: the store's ids (telemetry is per tenant, account, provider and connection), the
/// key its credentials are kept under, and its non-secret connection values (subdomain, region…). Resolving these
/// from the store is the caller's job, so the executor stays free of database access.
/// </summary>
public sealed record EngineConnection
{
    public required int TenantId { get; init; }
    public required int AccountId { get; init; }
    /// <summary>The store's id of the provider (the catalogue row whose key is the definition's key).</summary>
    public required int ProviderId { get; init; }
    public int? ConnectionId { get; init; }
    /// <summary>The key of the connection's credentials in the <see cref="Auth.ICredentialStore"/>.</summary>
    public required string CredentialKey { get; init; }
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();
}

/// <summary>Where a call runs: in a request path (no hidden retries, waits go back to the caller) or in the background
/// (transient failures and short rate-limit waits are retried).</summary>
public enum CallContext
{
    Interactive,
    Background,
}
