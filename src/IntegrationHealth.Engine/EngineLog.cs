namespace IntegrationHealth.Engine;

/// <summary>
/// Every log message of the engine, source-generated; EventIds 4000–4999. Rule: no message takes a credential, token,
/// header value, URL with its query, or response body; connections are named by their ids, expressions by JSONPath.
/// </summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Loaded {Count} provider definitions from {Origin}")]
    public static partial void DefinitionsLoaded(ILogger logger, int count, string origin);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Provider definition {Origin} is invalid: {Errors}")]
    public static partial void DefinitionInvalid(ILogger logger, string origin, string errors);

    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "Provider {Provider}: classification predicate {Rule} failed with {Code}; the rule does not match")]
    public static partial void PredicateFailed(ILogger logger, string provider, string rule, string code);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Provider {Provider} {Resource}: stop_when failed with {Code}; pagination continues by its strategy")]
    public static partial void StopConditionFailed(ILogger logger, string provider, string resource, string code);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Provider {Provider} {Resource}: error_mapping failed with {Code}; the problem keeps the engine's wording")]
    public static partial void ErrorMappingFailed(ILogger logger, string provider, string resource, string code);

    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, Message = "Connection {ConnectionId} ({Provider} {Resource}): pagination stopped after {Pages} pages: {Reason}")]
    public static partial void PaginationStopped(ILogger logger, int? connectionId, string provider, string resource, int pages, string reason);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Connection {ConnectionId} ({Provider} {Resource}): upstream answered {Status}, classified {Action} by {Rule}")]
    public static partial void CallFailed(ILogger logger, int? connectionId, string provider, string resource, int status, string action, string rule);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Debug, Message = "Connection {ConnectionId} ({Provider}): access token refreshed after a {Status}; retrying once")]
    public static partial void RefreshingAfterRejection(ILogger logger, int? connectionId, string provider, int status);

    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Connection {ConnectionId} ({Provider}): token request failed with {Status} {Error}")]
    public static partial void TokenRequestFailed(ILogger logger, int? connectionId, string provider, int status, string? error);

    // ---- Credentials (vault, single-flight refresh, connect/import/export): 4310–4399. No message takes a secret. ----

    [LoggerMessage(EventId = 4310, Level = LogLevel.Debug, Message = "Connection {ConnectionId} ({Provider}): access token refreshed ({Reason})")]
    public static partial void TokenRefreshed(ILogger logger, int? connectionId, string provider, string reason);

    [LoggerMessage(EventId = 4311, Level = LogLevel.Warning, Message = "Connection {ConnectionId} ({Provider}): the token endpoint refused the grant ({Status}, {Rule}); the connection needs re-authorization")]
    public static partial void ConnectionNeedsReauth(ILogger logger, int? connectionId, string provider, int status, string rule);

    [LoggerMessage(EventId = 4312, Level = LogLevel.Warning, Message = "Connection {ConnectionId} ({Provider}): token refresh failed {Failures} times in a row; no new attempt for {Seconds} s")]
    public static partial void TokenRefreshCoolingDown(ILogger logger, int? connectionId, string provider, int failures, int seconds);

    [LoggerMessage(EventId = 4320, Level = LogLevel.Information, Message = "Proactive refresh: {Refreshed} refreshed, {Failed} failed, {Skipped} skipped")]
    public static partial void ProactiveRefreshRan(ILogger logger, int refreshed, int failed, int skipped);

    [LoggerMessage(EventId = 4321, Level = LogLevel.Warning, Message = "Proactive refresh of connection {ConnectionId} failed")]
    public static partial void ProactiveRefreshFailed(ILogger logger, int connectionId, Exception exception);

    [LoggerMessage(EventId = 4330, Level = LogLevel.Information, Message = "Tenant {TenantId}: connection {ConnectionId} ({Provider}) connected through the authorization code flow")]
    public static partial void Connected(ILogger logger, int tenantId, int connectionId, string provider);

    [LoggerMessage(EventId = 4331, Level = LogLevel.Information, Message = "Tenant {TenantId}: connect callback refused: {Reason}")]
    public static partial void ConnectCallbackRefused(ILogger logger, int? tenantId, string reason);

    [LoggerMessage(EventId = 4340, Level = LogLevel.Information, Message = "Tenant {TenantId}: {Count} connections imported")]
    public static partial void CredentialsImported(ILogger logger, int tenantId, int count);

    [LoggerMessage(EventId = 4341, Level = LogLevel.Warning, Message = "Tenant {TenantId}: API key {KeyId} exported the credentials of {Count} connections (audit record {ExportId})")]
    public static partial void CredentialsExported(ILogger logger, int tenantId, int keyId, int count, long exportId);

    [LoggerMessage(EventId = 4313, Level = LogLevel.Warning, Message = "Tenant {TenantId}: alert {AlertId} opened: connection {ConnectionId} credentials revoked")]
    public static partial void CredentialAlertOpened(ILogger logger, int tenantId, int connectionId, int alertId);

    [LoggerMessage(EventId = 4314, Level = LogLevel.Error, Message = "Connection {ConnectionId}: the credentials-revoked alert could not be saved")]
    public static partial void CredentialAlertFailed(ILogger logger, int? connectionId, Exception exception);

    [LoggerMessage(EventId = 4315, Level = LogLevel.Warning, Message = "Connection {ConnectionId} ({Provider} {Resource}): the provider refused the credentials as revoked ({Status}, {Rule}); the connection needs re-authorization")]
    public static partial void ConnectionRevokedByProvider(ILogger logger, int? connectionId, string provider, string resource, int status, string rule);

    // ---- end of credentials ----

    [LoggerMessage(EventId = 4400, Level = LogLevel.Debug, Message = "Connection {ConnectionId} ({Provider} {Resource}): record {Index} failed mapping at {Where}")]
    public static partial void MappingFailed(ILogger logger, int? connectionId, string provider, string resource, int index, string where);

    [LoggerMessage(EventId = 4500, Level = LogLevel.Warning, Message = "Telemetry queue full: dropped {Count} engine events")]
    public static partial void TelemetryDropped(ILogger logger, long count);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Interning {Count} endpoint templates failed; the batch is written without endpoint ids")]
    public static partial void EndpointInterningFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Error, Message = "Writing a batch of {Count} engine telemetry events failed; they are lost")]
    public static partial void TelemetryWriteFailed(ILogger logger, int count, Exception exception);

    // 4900–4999: tenant definitions, overrides, syncs and the record cache.

    [LoggerMessage(EventId = 4900, Level = LogLevel.Error, Message = "The overrides of provider {Provider} no longer load over its definition and are left out: {Errors}")]
    public static partial void OverrideInvalid(ILogger logger, string provider, string errors);

    [LoggerMessage(EventId = 4901, Level = LogLevel.Debug, Message = "Tenant {TenantId}: engine configuration reloaded at version {Version}")]
    public static partial void TenantConfigurationReloaded(ILogger logger, int tenantId, long version);

    [LoggerMessage(EventId = 4902, Level = LogLevel.Information, Message = "Tenant {TenantId}: provider definition {Provider} saved as version {Version}")]
    public static partial void DefinitionSaved(ILogger logger, int tenantId, string provider, int version);

    [LoggerMessage(EventId = 4903, Level = LogLevel.Information, Message = "Tenant {TenantId}: override of {Provider} ({Scope}) is now version {Version} ({Change})")]
    public static partial void OverrideChanged(ILogger logger, int tenantId, string provider, string scope, int version, string change);

    [LoggerMessage(EventId = 4910, Level = LogLevel.Information, Message = "Sync run {RunId} of connection {ConnectionId} {Resource} {Status}: {Records} records, {Added} added, {Updated} updated, {Deleted} deleted")]
    public static partial void SyncFinished(ILogger logger, int runId, int connectionId, string resource, string status, int records, int added, int updated, int deleted);

    [LoggerMessage(EventId = 4911, Level = LogLevel.Warning, Message = "Sync run {RunId} of connection {ConnectionId} {Resource} failed after {Pages} pages: {Reason}")]
    public static partial void SyncFailed(ILogger logger, int runId, int connectionId, string resource, int pages, string reason);

    [LoggerMessage(EventId = 4912, Level = LogLevel.Debug, Message = "Sync of connection {ConnectionId} {Resource} skipped: another run holds its lease")]
    public static partial void SyncLeaseHeld(ILogger logger, int connectionId, string resource);

    [LoggerMessage(EventId = 4913, Level = LogLevel.Information, Message = "Sync dispatcher enqueued {Count} due syncs")]
    public static partial void SyncsDispatched(ILogger logger, int count);

    [LoggerMessage(EventId = 4914, Level = LogLevel.Warning, Message = "Sync dispatcher: connection {ConnectionId} could not be resolved ({Reason})")]
    public static partial void SyncConnectionUnresolved(ILogger logger, int connectionId, string reason);

    [LoggerMessage(EventId = 4916, Level = LogLevel.Warning, Message = "Sync run {RunId} of connection {ConnectionId} {Resource} was orphaned ({Reason}); failed so the resource is queued again")]
    public static partial void SyncRunOrphaned(ILogger logger, int runId, int connectionId, string resource, string reason);

    [LoggerMessage(EventId = 4915, Level = LogLevel.Warning, Message = "Sync job for run {RunId} found no such run (removed, or queued in another store); nothing to do")]
    public static partial void SyncRunMissing(ILogger logger, int runId);

    // ---- 4600–4899: proxy (46xx), unified API (47xx), idempotency (48xx) ----

    [LoggerMessage(EventId = 4600, Level = LogLevel.Information, Message = "Connection {ConnectionId} ({Provider}): proxied call to {Endpoint} failed: {Error} (address refused: {Refused})")]
    public static partial void ProxyFailed(ILogger logger, int? connectionId, string provider, string endpoint, string error, bool refused);

    [LoggerMessage(EventId = 4700, Level = LogLevel.Information, Message = "Connection {ConnectionId} ({Provider} {Resource}): unified {Verb} failed: {Failure}")]
    public static partial void UnifiedFailed(ILogger logger, int? connectionId, string provider, string resource, string verb, string failure);

    [LoggerMessage(EventId = 4701, Level = LogLevel.Warning, Message = "Connection {ConnectionId} ({Provider} {Resource}): unified listing failed after the response started; the JSON array was cut off: {Failure}")]
    public static partial void UnifiedStreamCut(ILogger logger, int? connectionId, string provider, string resource, string failure);

    [LoggerMessage(EventId = 4800, Level = LogLevel.Debug, Message = "Idempotency key of connection {ConnectionId} replayed (first answered {Status})")]
    public static partial void IdempotentReplay(ILogger logger, int connectionId, int status);

    [LoggerMessage(EventId = 4801, Level = LogLevel.Information, Message = "Purged {Count} expired idempotency keys")]
    public static partial void IdempotencyPurged(ILogger logger, int count);

    [LoggerMessage(EventId = 4802, Level = LogLevel.Warning, Message = "Idempotency key of connection {ConnectionId} released after the request failed in our process")]
    public static partial void IdempotencyReleased(ILogger logger, int connectionId, Exception exception);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Debug, Message = "Connection {ConnectionId}: a background call waited {WaitedMs} ms for the request budget (header pause: {Paused})")]
    public static partial void BudgetWaited(ILogger logger, int? connectionId, long waitedMs, bool paused);
}
