namespace IntegrationHealth.Web.Store;

/// <summary>
/// How the service lives with storage faults (configuration section <c>Database:Resilience</c>), validated at start-up:
/// the in-request retry of transient PostgreSQL failures, the <c>Retry-After</c> of 503 and 507 answers, what readiness
/// counts as "cannot write", and how the start waits for a database that is not there yet.
/// </summary>
public sealed class StoreResilienceOptions
{
    public const string Section = "Database:Resilience";

    /// <summary>How long one write (or API-key lookup) keeps retrying a transient PostgreSQL failure (restarting, refusing
    /// connections, a pooled connection the restart broke) before the request is answered 503; 0 answers at once. A few hundred milliseconds turn
    /// the stale pooled connections a restart leaves into no refusals at all, and outages shorter than this into
    /// slower answers instead of refusals.</summary>
    public TimeSpan TransientRetryBudget { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The <c>Retry-After</c> of 503 (database unavailable or not ready yet) and 507 (disk full) answers.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Readiness fails while the last storage fault of a request is more recent than this and no write has
    /// succeeded since.</summary>
    public TimeSpan WriteFailureWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SQLite only: readiness fails when the filesystem of the database file has less free space than this
    /// (bytes), before writes start failing on it. 0 turns the check off.</summary>
    public long MinFreeDiskBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long the start waits for the first attempt to reach and migrate the database before listening
    /// anyway (a refused connection does not wait for this; a host that drops packets would otherwise hold the start
    /// for the connect timeout). After it, the service listens and keeps retrying in the background.</summary>
    public TimeSpan StartupWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest pause between two start-up attempts (they back off exponentially, with jitter, from 0.5 s).</summary>
    public TimeSpan StartupRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><see cref="RetryAfter"/> in whole seconds, as the header carries it.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));

    /// <summary>The checks <c>ValidateOnStart</c> runs; each failure names its setting.</summary>
    internal static IEnumerable<string> Problems(StoreResilienceOptions o)
    {
        if (o.TransientRetryBudget < TimeSpan.Zero || o.TransientRetryBudget > TimeSpan.FromSeconds(10))
            yield return $"{Section}:TransientRetryBudget must be between 0 and 10 seconds.";
        if (o.RetryAfter < TimeSpan.FromSeconds(1) || o.RetryAfter > TimeSpan.FromHours(1))
            yield return $"{Section}:RetryAfter must be between 1 second and 1 hour.";
        if (o.WriteFailureWindow < TimeSpan.FromSeconds(1) || o.WriteFailureWindow > TimeSpan.FromHours(1))
            yield return $"{Section}:WriteFailureWindow must be between 1 second and 1 hour.";
        if (o.MinFreeDiskBytes < 0) yield return $"{Section}:MinFreeDiskBytes must not be negative.";
        if (o.StartupWait < TimeSpan.Zero || o.StartupWait > TimeSpan.FromMinutes(5))
            yield return $"{Section}:StartupWait must be between 0 and 5 minutes.";
        if (o.StartupRetryMaxDelay < TimeSpan.FromMilliseconds(100) || o.StartupRetryMaxDelay > TimeSpan.FromMinutes(10))
            yield return $"{Section}:StartupRetryMaxDelay must be between 100 milliseconds and 10 minutes.";
    }
}
