namespace IntegrationHealth.Ingestion.Connections;

/// <summary>A connection (an account's link to a provider) to insert or update by <see cref="ExternalId"/>.</summary>
/// <param name="CreatedAt">When the account connected (tenure and onboarding analysis need the real time): the ingest
/// time when omitted on insert; the stored value is kept when omitted on update.</param>
public sealed record ConnectionInput(
    string ExternalId, string Account, string Provider, string? Status = null, string? AuthKind = null,
    string? Scopes = null, string? InstanceUrl = null, string? ApiVersion = null, DateTimeOffset? LastSyncAt = null,
    string? SyncCursor = null, DateTimeOffset? CreatedAt = null);

/// <summary>A connection as read back.</summary>
public sealed record ConnectionView(
    string ExternalId, string Account, string Provider, string Status, string AuthKind, string? Scopes,
    string? InstanceUrl, string? ApiVersion, DateTime? LastSyncAt, string? SyncCursor, DateTime CreatedAt, DateTime UpdatedAt);
