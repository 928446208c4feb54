namespace IntegrationHealth.Web.Webhooks;

/// <summary>
/// When a failed delivery is tried again: the schedule the Standard Webhooks specification suggests (immediately, then
/// after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: about 27 hours in all), each delay stretched or shrunk by a random
/// jitter of up to ±<see cref="JitterFraction"/> so that endpoints recovering from an outage are not hit by every
/// backlog at the same second.
/// </summary>
public static class WebhookRetrySchedule
{
    /// <summary>The delay before attempt n+1 after attempt n failed (index 0: after the first attempt).</summary>
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>At most this fraction of a delay is added or taken away at random.</summary>
    public const double JitterFraction = 0.2;

    /// <summary>Attempts in all (the first and one per delay).</summary>
    public static int MaxAttempts => Delays.Count + 1;

    /// <summary>
    /// When to try again after <paramref name="attemptsMade"/> attempts failed, or null when they are exhausted.
    /// <paramref name="unitRandom"/> is a number in [0, 1) (0.5 means no jitter).
    /// </summary>
    public static DateTime? NextAttempt(DateTime failedAt, int attemptsMade, double unitRandom)
    {
        if (attemptsMade < 1 || attemptsMade > Delays.Count) return null;
        var delay = Delays[attemptsMade - 1];
        var factor = 1 + JitterFraction * (2 * unitRandom - 1);
        return failedAt + TimeSpan.FromTicks((long)(delay.Ticks * factor));
    }
}
