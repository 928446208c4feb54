using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Scoring;

/// <summary>
/// A stretch of consecutive days on which one connection × resource failed well above what the provider's other
/// customers saw on the same days: found by a scan statistic (Kulldorff's, over time), the run of days whose error
/// count is least likely under the day-by-day baseline, by the binomial log-likelihood ratio of its own rate against
/// that baseline. A day on which the provider failed for everyone raises that day's baseline too, so a platform
/// outage is no stretch. Rate-limit answers and credential failures (the credential measure's) are left out. A resource called once a day is judged on the days together, so a small account's problem
/// of several days is found although no single day proves it.
/// </summary>
internal sealed record ErrorStretch(int ProviderId, int ConnectionId, string Resource, DateTime From, DateTime Until, long Requests, long Errors,
    double BaselineRate, double LogLikelihoodRatio)
{
    /// <summary>The log-likelihood ratio a stretch needs. About 1 in 20,000 by chance for one stretch (a χ² with one
    /// degree of freedom above 2 × 10), which leaves well under 1% for the few hundred stretches of a connection ×
    /// resource over the lookback.</summary>
    public const double Significant = 10;

    /// <summary>Days the stretch covers, first to last failing day.</summary>
    public double Days => (Until - From).TotalDays;

    /// <summary>The most significant stretch of each connection × resource (null when none is significant), over the
    /// account's day rollups before <paramref name="before"/>.</summary>
    public static IEnumerable<ErrorStretch> Find(IEnumerable<ConnectionRollup> rollups, ProviderBaselines baselines, DateTime before)
    {
        foreach (var g in rollups.Where(r => r.Resource.Length > 0 && r.BucketStart < before).GroupBy(r => (r.ProviderId, r.ConnectionId, r.Resource)))
        {
            var days = g.GroupBy(r => r.BucketStart.Date).OrderBy(d => d.Key)
                .Select(d =>
                {
                    long n = d.Sum(r => (long)r.Requests - r.RateLimited), k = d.Sum(r => Math.Max(0, (long)r.Errors - r.RateLimited - r.CredentialFailures));
                    return (Day: d.Key, N: n, K: k, Expected: n * baselines.DayErrorRate(g.Key.ProviderId, g.Key.Resource, d.Key, n, k));
                })
                .Where(d => d.N > 0).ToList();
            ErrorStretch? best = null;
            for (var i = 0; i < days.Count; i++)
            {
                if (days[i].K == 0) continue; // a stretch starts and ends on failing days
                long n = 0, k = 0;
                double expected = 0;
                for (var j = i; j < days.Count; j++)
                {
                    n += days[j].N;
                    k += days[j].K;
                    expected += days[j].Expected;
                    if (days[j].K == 0 || k < 3) continue;
                    var llr = Llr(k, n, expected / n);
                    if (llr >= Significant && (best is null || llr > best.LogLikelihoodRatio))
                        best = new ErrorStretch(g.Key.ProviderId, g.Key.ConnectionId, g.Key.Resource, days[i].Day, days[j].Day.AddDays(1), n, k, expected / n, llr);
                }
            }

            if (best is not null) yield return best;
        }
    }

    /// <summary>The binomial log-likelihood ratio of <paramref name="k"/> errors in <paramref name="n"/> requests at their
    /// own rate against <paramref name="baseline"/>; 0 when the rate is not above it.</summary>
    internal static double Llr(long k, long n, double baseline)
    {
        var p = (double)k / n;
        if (p <= baseline) return 0;
        var b = Math.Clamp(baseline, 1e-4, 1 - 1e-9);
        var failing = k * Math.Log(p / b);
        var working = k == n ? 0 : (n - k) * Math.Log((1 - p) / (1 - b));
        return failing + working;
    }
}
