namespace IntegrationHealth.Api;

/// <summary>
/// Every log message of the composition root, source-generated; EventIds 3000–3999 (see the shared plumbing's
/// <c>WebLog</c> for the ranges of the other projects).
/// </summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Database migrated ({Provider}): {Count} migrations applied, now at {Latest}")]
    public static partial void DatabaseMigrated(ILogger logger, string provider, int count, string latest);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Database schema is up to date ({Provider})")]
    public static partial void DatabaseUpToDate(ILogger logger, string provider);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Starting with roles {Roles}")]
    public static partial void Starting(ILogger logger, string roles);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning,
        Message = "The store is not ready ({Reason}); serving probes meanwhile, attempt {Attempt} failed, next in {DelayMs} ms")]
    public static partial void StoreNotReady(ILogger logger, string reason, int attempt, long delayMs, Exception? exception);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "The store is ready ({Provider}) after {Attempts} attempt(s), {ElapsedMs} ms")]
    public static partial void StoreReady(ILogger logger, string provider, int attempts, long elapsedMs);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Critical, Message = "Preparing the store failed with an error that is not the database's; stopping")]
    public static partial void StoreStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "SQLite WAL checkpointed and truncated on stop ({WalBytes} bytes before)")]
    public static partial void WalCheckpointedOnStop(ILogger logger, long walBytes);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "SQLite WAL not truncated on stop ({WalBytes} bytes): busy or unwritable; SQLite replays it on the next start")]
    public static partial void WalCheckpointBusyOnStop(ILogger logger, long walBytes, Exception? exception);
}
