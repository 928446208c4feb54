namespace IntegrationHealth.Ingestion.Connections;

/// <summary>A connection (an account's link to a provider) to insert or update by <see cref="ExternalId"/>.</summary>
public sealed record ConnectionInput(
    string ExternalId, string Account, string Provider, string? Status = null, string? AuthKind = null,
    string? Scopes = null, string? InstanceUrl = null, string? ApiVersion = null, DateTimeOffset? LastSyncAt = null,
    string? SyncCursor = null);

/// <summary>A connection as read back.</summary>
public sealed record ConnectionView(
    string ExternalId, string Account, string Provider, string Status, string AuthKind, string? Scopes,
    string? InstanceUrl, string? ApiVersion, DateTime? LastSyncAt, string? SyncCursor, DateTime CreatedAt, DateTime UpdatedAt);
