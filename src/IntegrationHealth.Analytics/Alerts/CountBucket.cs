namespace IntegrationHealth.Analytics.Alerts;

/// <summary>Events in one time bucket: how many there were and how many were bad (errors, failed refreshes or
/// deliveries). The input of every alert computation, whatever store or rollup it came from.</summary>
/// <param name="Start">The bucket's start (UTC).</param>
/// <param name="Total">Events in the bucket.</param>
/// <param name="Bad">Of those, the bad ones.</param>
public readonly record struct CountBucket(DateTime Start, long Total, long Bad)
{
    /// <summary>Bad / total, 0 for an empty bucket.</summary>
    public double Rate => Total == 0 ? 0 : (double)Bad / Total;
}
