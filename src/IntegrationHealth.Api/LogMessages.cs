using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Api;

/// <summary>
/// Every log message of the API, source-generated. Rule: no message takes an API key, secret, cookie or header value;
/// keys are identified by their numeric id only.
/// </summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Tenant {TenantId} ingested {Accepted} events ({Duplicates} duplicates) in {ElapsedMs} ms")]
    public static partial void EventsIngested(ILogger logger, int tenantId, int accepted, int duplicates, long elapsedMs);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Tenant {TenantId}: rejected a batch of {Items} {What} with {ErrorCount} errors")]
    public static partial void BatchRejected(ILogger logger, int tenantId, int items, string what, int errorCount);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Tenant {TenantId}: rejected an oversize {What} request")]
    public static partial void BatchTooLarge(ILogger logger, int tenantId, string what);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Tenant {TenantId}: upserted {What}: {Inserted} inserted, {Updated} updated")]
    public static partial void Upserted(ILogger logger, int tenantId, string what, int inserted, int updated);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Upsert of {What} conflicted with a concurrent writer; attempt {Attempt}")]
    public static partial void UpsertConflict(ILogger logger, string what, int attempt, Exception exception);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Rejected an API key on {Path}")]
    public static partial void ApiKeyRejected(ILogger logger, PathString path);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Created API key {KeyId} for tenant {TenantId} with scopes {Scopes}")]
    public static partial void ApiKeyCreated(ILogger logger, int keyId, int tenantId, ApiKeyScopes scopes);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Revoked API key {KeyId} of tenant {TenantId}")]
    public static partial void ApiKeyRevoked(ILogger logger, int keyId, int tenantId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Created tenant {TenantId} ({TenantKey})")]
    public static partial void TenantCreated(ILogger logger, int tenantId, string tenantKey);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Dashboard sign-in with API key {KeyId}")]
    public static partial void DashboardSignIn(ILogger logger, int keyId);

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Purged {Count} API keys revoked before {Cutoff:O}")]
    public static partial void RevokedKeysPurged(ILogger logger, int count, DateTime cutoff);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Database migrated ({Provider})")]
    public static partial void DatabaseMigrated(ILogger logger, string provider);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Starting with roles {Roles}")]
    public static partial void Starting(ILogger logger, string roles);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Readiness check failed")]
    public static partial void NotReady(ILogger logger, Exception exception);
}
