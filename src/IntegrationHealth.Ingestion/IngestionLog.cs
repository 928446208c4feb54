namespace IntegrationHealth.Ingestion;

/// <summary>
/// Every log message of ingestion and the upserts, source-generated; EventIds 1000–1999. Rule: no message takes an API
/// key, secret or request body; tenants are identified by their numeric id.
/// </summary>
internal static partial class IngestionLog
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

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Tenant {TenantId}: registered {Count} providers on first sight ({What})")]
    public static partial void ProvidersRegistered(ILogger logger, int tenantId, int count, string what);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Telemetry retention: removed {Events} events (SQLite) and dropped {Partitions} partitions (PostgreSQL): {Names}")]
    public static partial void TelemetryRetention(ILogger logger, long events, int partitions, string names);
}
