namespace IntegrationHealth.Engine.Idempotency;

/// <summary>How long first results of keyed writes are kept, and how much of them (section <c>Engine:Idempotency</c>).</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Engine:Idempotency";

    /// <summary>How long a key's first result answers its repeats (draft-ietf-httpapi-idempotency-key-header: 24 hours is usual).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a first request may stay in flight before a repeat may take its key over (a process that died
    /// mid-request must not block the key for the whole retention).</summary>
    public TimeSpan InFlightTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest request body of a keyed proxy write (buffered to fingerprint it; unkeyed writes stream) and largest
    /// response body kept for replays, in bytes. A larger response is still answered in full; its replay carries no body.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}
