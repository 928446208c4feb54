namespace IntegrationHealth.Ingestion;

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
}
