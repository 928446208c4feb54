namespace IntegrationHealth.Engine;

/// <summary>Limits and timings of the engine's upstream calls (configuration section <c>Engine</c>).</summary>
public sealed class EngineOptions
{
    public const string Section = "Engine";

    /// <summary>How long a process reuses its lookup of a connection by external id (its row and provider key) for the
    /// unified API and the proxy, which look one up on every call; zero looks it up every time. A connection not found
    /// is never remembered (one just imported or connected works at once); a change to a connection's values or instance
    /// URL is seen within this.</summary>
    public TimeSpan ConnectionLookupCache { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Pages one listing may read when its definition sets no <c>max_pages</c>; more ends it with an error.</summary>
    public int MaxPages { get; set; } = 1_000;

    /// <summary>Time one upstream attempt may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest response body read, in bytes; a larger one fails the call.</summary>
    public long MaxResponseBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Largest provider definition document accepted for validation (later: upload), in bytes; more is answered 413.</summary>
    public int MaxDefinitionBytes { get; set; } = 1024 * 1024;

    /// <summary>Retries of a transient failure in background contexts (never in the request path).</summary>
    public int BackgroundRetries { get; set; } = 3;

    /// <summary>First backoff of a background retry; doubled each time, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest rate-limit wait a background call sits out; a longer one ends the call as rate-limited.</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Per provider key, an origin (<c>http://127.0.0.1:5123</c>) that replaces the scheme, host and port of every URL
    /// of that provider's definition (base, token), paths kept: local provider doubles for tests and the demo, or a
    /// provider's sandbox. Operator configuration, like a connection string.
    /// </summary>
    public Dictionary<string, string> OriginOverrides { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Networks (CIDR) the executor and the token requests may connect to although they are loopback, link-local,
    /// private or unspecified (refused by default, as for the proxy, whose <c>Engine:Proxy:AllowedNetworks</c> are
    /// allowed here too): a tenant may upload a definition whose base or token URL names any host. The origins of
    /// <see cref="OriginOverrides"/> are operator configuration and always allowed, at their exact host and port.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>The URL with its origin replaced when <paramref name="providerKey"/> has an override.</summary>
    public Uri ApplyOriginOverride(string providerKey, Uri url)
    {
        if (!OriginOverrides.TryGetValue(providerKey, out var origin) || !Uri.TryCreate(origin, UriKind.Absolute, out var to)) return url;
        return new UriBuilder(url) { Scheme = to.Scheme, Host = to.Host, Port = to.Port }.Uri;
    }

    /// <summary>Telemetry events written per batch.</summary>
    public int TelemetryBatchSize { get; set; } = 500;

    /// <summary>Longest time an event waits in memory before its batch is written.</summary>
    public TimeSpan TelemetryFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events held in memory at most; beyond it new events are dropped and counted (calls never block on telemetry).</summary>
    public int TelemetryQueueCapacity { get; set; } = 100_000;

    /// <summary>How stale a process's view of a tenant's uploaded definitions and overrides may be: each process checks
    /// the tenant's change counter at most this often (the process that made the change sees it at once). Zero checks on
    /// every use.</summary>
    public TimeSpan DefinitionRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest override document accepted, in bytes; more is answered 413.</summary>
    public int MaxOverrideBytes { get; set; } = 256 * 1024;

    /// <summary>The sync settings (section <c>Engine:Syncs</c>).</summary>
    public SyncOptions Syncs { get; set; } = new();
}

/// <summary>Record-cache syncs: scheduling, leases and the records endpoint (section <c>Engine:Syncs</c>).</summary>
public sealed class SyncOptions
{
    /// <summary>CRON (UTC) of the dispatcher job that queues due syncs: every minute, so a resource's
    /// <c>every_minutes</c> is kept to within a minute.</summary>
    public const string DispatcherCron = "* * * * *";

    /// <summary>How long a run holds its (connection, resource) lease without finishing before another may take it over
    /// (a killed process's lease runs out; the next run resumes from the checkpoint).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a run may wait in the queue before the dispatcher takes its job for lost (a process with
    /// in-memory job storage restarted, or the job was deleted) and fails it, so the resource is queued again instead
    /// of blocked for ever. Longer than any honest queue wait; a lost job that starts after all finds its run failed
    /// and does nothing.</summary>
    public TimeSpan QueuedTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
