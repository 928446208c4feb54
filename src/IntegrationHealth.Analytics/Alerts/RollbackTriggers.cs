namespace IntegrationHealth.Analytics.Alerts;

/// <summary>One token refresh: which account, when, and whether it worked.</summary>
public readonly record struct RefreshOutcome(int AccountId, DateTime At, bool Succeeded);

/// <summary>A rollback trigger's verdict.</summary>
public sealed record TriggerVerdict(bool Fires, double Value, string Detail);

/// <summary>
/// The migration playbook's rollback triggers, each a plain function of counts: a provider's error rate above 1% for
/// more than 10 minutes; OAuth refresh failures at more than 5 accounts at once; webhook delivery success below 95%.
/// </summary>
public static class RollbackTriggers
{
    /// <summary>
    /// The error rate stayed above <paramref name="threshold"/> for more than <paramref name="duration"/>: the
    /// unbroken run of minutes ending with the last whole minute before <paramref name="now"/> in which every minute
    /// with traffic was above it (a minute without traffic neither breaks nor extends the run's evidence, only its
    /// span) must be longer than the duration.
    /// </summary>
    public static TriggerVerdict SustainedErrorRate(IReadOnlyList<CountBucket> minutes, DateTime now, double threshold = 0.01,
        TimeSpan? duration = null)
    {
        var limit = duration ?? TimeSpan.FromMinutes(10);
        var byStart = minutes.GroupBy(m => m.Start).ToDictionary(g => g.Key, g => (Total: g.Sum(m => m.Total), Bad: g.Sum(m => m.Bad)));
        var last = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc).AddMinutes(-1);
        var earliest = minutes.Count == 0 ? last : minutes.Min(m => m.Start);
        DateTime? runStart = null;
        long total = 0, bad = 0;
        for (var minute = last; minute >= earliest; minute = minute.AddMinutes(-1))
        {
            if (!byStart.TryGetValue(minute, out var counts) || counts.Total == 0)
            {
                if (runStart is null) break; // the latest minute must have traffic above the threshold
                continue;
            }
            if ((double)counts.Bad / counts.Total <= threshold) break;
            runStart = minute;
            total += counts.Total;
            bad += counts.Bad;
        }
        if (runStart is null) return new TriggerVerdict(false, 0, "the last minute was within the threshold");
        var span = last.AddMinutes(1) - runStart.Value;
        var rate = (double)bad / total;
        return new TriggerVerdict(span > limit, rate,
            FormattableString.Invariant($"error rate {rate:P2} above {threshold:P0} for {span.TotalMinutes:F0} minutes"));
    }

    /// <summary>More than <paramref name="maxAccounts"/> accounts whose latest token refresh within
    /// <paramref name="window"/> before <paramref name="now"/> failed.</summary>
    public static TriggerVerdict RefreshFailureSpread(IReadOnlyList<RefreshOutcome> refreshes, DateTime now, int maxAccounts = 5,
        TimeSpan? window = null)
    {
        var from = now - (window ?? TimeSpan.FromMinutes(15));
        var failing = refreshes.Where(r => r.At >= from && r.At < now)
            .GroupBy(r => r.AccountId)
            .Count(g => !g.OrderBy(r => r.At).ThenBy(r => r.Succeeded).Last().Succeeded);
        return new TriggerVerdict(failing > maxAccounts, failing, $"{failing} accounts failing OAuth token refresh at once (more than {maxAccounts} triggers a rollback)");
    }

    /// <summary>Webhook delivery success below <paramref name="minSuccess"/> over <paramref name="window"/> before
    /// <paramref name="now"/>, once there were at least <paramref name="minDeliveries"/> deliveries.</summary>
    public static TriggerVerdict WebhookDeliverySuccess(IReadOnlyList<CountBucket> deliveries, DateTime now, double minSuccess = 0.95,
        TimeSpan? window = null, long minDeliveries = 20)
    {
        var from = now - (window ?? TimeSpan.FromHours(1));
        long total = 0, bad = 0;
        foreach (var b in deliveries.Where(b => b.Start >= from && b.Start < now))
        {
            total += b.Total;
            bad += b.Bad;
        }
        if (total < minDeliveries) return new TriggerVerdict(false, 1, $"only {total} deliveries");
        var success = 1 - (double)bad / total;
        return new TriggerVerdict(success < minSuccess, success,
            FormattableString.Invariant($"webhook delivery success {success:P1} of {total} (below {minSuccess:P0} triggers a rollback)"));
    }
}
