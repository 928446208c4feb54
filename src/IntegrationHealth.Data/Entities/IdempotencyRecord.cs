namespace IntegrationHealth.Data.Entities;

/// <summary>
/// The first result of a write sent with an <c>Idempotency-Key</c> (unified API and proxy), per tenant, connection and
/// key, kept until <see cref="ExpiresAt"/> so a repeat is answered from here without a second upstream call. While
/// <see cref="Completed"/> is false the first request is still in flight (a repeat is refused with 409).
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }
    public int TenantId { get; set; }
    public int ConnectionId { get; set; }
    /// <summary>The client's key (1–255 visible ASCII characters).</summary>
    public required string Key { get; set; }
    /// <summary>SHA-256 (hex) of the method, target and body: the same key with another request is refused with 422.</summary>
    public required string RequestHash { get; set; }
    public bool Completed { get; set; }
    public int? Status { get; set; }
    /// <summary>The response headers that matter on a replay, as a JSON object of string arrays.</summary>
    public string? Headers { get; set; }
    public byte[]? Body { get; set; }
    /// <summary>The first response's body was larger than the kept limit; a replay answers without it.</summary>
    public bool BodyOmitted { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}
