namespace IntegrationHealth.Web.Webhooks;

/// <summary>Settings of the webhook outbox (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Accept and deliver to loopback, private and link-local addresses and plain http (development and
    /// tests only: it lets a tenant make the service post into its network).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Deliveries one drain claims at a time.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a claimed delivery is held; a drain that dies leaves it to another after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Timeout of one HTTP attempt (the spec suggests receivers answer within 15 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the previous secret still signs after a rotation, so receivers can switch over.</summary>
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most endpoints one tenant may register.</summary>
    public int MaxEndpointsPerTenant { get; set; } = 20;

    /// <summary>Attempts sent in parallel by one drain.</summary>
    public int Parallelism { get; set; } = 8;
}
