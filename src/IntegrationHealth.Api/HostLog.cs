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
}
