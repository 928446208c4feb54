namespace IntegrationHealth.Ingestion;

/// <summary>What a write does with a provider key that is neither a platform provider nor one the tenant registered
/// (setting <c>Ingestion:UnknownProviders</c>).</summary>
public enum UnknownProviderPolicy
{
    /// <summary>Refuse the batch (400), naming the key and how to register it (<c>POST /v1/providers</c>).</summary>
    Reject = 0,

    /// <summary>Register the key as one of the tenant's providers, named after the key, and accept the batch (the key
    /// must still follow the key rule, and the tenant stay within <see cref="IngestionOptions.MaxProvidersPerTenant"/>).</summary>
    Register = 1,
}

/// <summary>Limits of the write endpoints (configuration section <c>Ingestion</c>).</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Most events one <c>POST /v1/events</c> may carry; more is answered 413.</summary>
    public int MaxBatchEvents { get; set; } = 10_000;

    /// <summary>Largest request body of any write endpoint, in bytes; more is answered 413 (also for chunked bodies).</summary>
    public long MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most items one bulk upsert may carry; more is answered 413.</summary>
    public int MaxUpsertItems { get; set; } = 10_000;

    /// <summary>Most errors listed in a 400 response (all are counted in <c>errorCount</c>).</summary>
    public int MaxReportedErrors { get; set; } = 1_000;

    /// <summary>How far in the future <c>occurredAt</c> may be (clock skew between senders and us).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>What events, connections and support tickets naming an unknown provider key get: <c>reject</c> (400, the
    /// default) or <c>register</c> (registered for the tenant on first sight).</summary>
    public UnknownProviderPolicy UnknownProviders { get; set; } = UnknownProviderPolicy.Reject;

    /// <summary>Most providers one tenant may register (explicitly or on first sight), so a sender's typos or an attacker
    /// cannot grow a tenant's catalogue, held in memory by every web process, without bound.</summary>
    public int MaxProvidersPerTenant { get; set; } = 1_000;
}
