namespace IntegrationHealth.Analytics.Alerts;

/// <summary>A baseline: the median and the median absolute deviation of comparable past values.</summary>
public sealed record Baseline(double Median, double Mad, int Samples)
{
    /// <summary>The MAD scaled to estimate a normal distribution's standard deviation (× 1.4826).</summary>
    public double Scale => 1.4826 * Mad;
}

/// <summary>The verdict on one value against its baseline.</summary>
public sealed record AnomalyVerdict(double Value, Baseline? Baseline, double Score, bool IsAnomaly, string Reason);

/// <summary>
/// Anomalies against a robust baseline: the same hour of the week in earlier weeks (traffic and error rates follow
/// the weekly rhythm: a Monday 09:00 is compared with Mondays 09:00), summarised by median and MAD, which one past
/// outage does not drag along as it would a mean and a standard deviation. A value is anomalous when its robust z score
/// (value − median) / max(1.4826·MAD, floor) passes the threshold; the floor keeps a perfectly flat history (MAD 0)
/// from making every wobble an anomaly. Before <see cref="MinHistory"/> of history there is no verdict.
/// </summary>
public static class RobustBaseline
{
    /// <summary>The least history a baseline needs (the "at least 7 days").</summary>
    public static readonly TimeSpan MinHistory = TimeSpan.FromDays(7);

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("No values.", nameof(values));
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static double Mad(IReadOnlyList<double> values)
    {
        var median = Median(values);
        return Median([.. values.Select(v => Math.Abs(v - median))]);
    }

    /// <summary>The baseline of the hour starting at <paramref name="hour"/>: the values of the buckets starting exactly
    /// 1, 2, … <paramref name="weeks"/> weeks earlier (hours without events are left out, not counted as zero).</summary>
    public static Baseline? SameHourOfWeek(IReadOnlyDictionary<DateTime, double> hourly, DateTime hour, int weeks)
    {
        var samples = new List<double>();
        for (var w = 1; w <= weeks; w++)
        {
            if (hourly.TryGetValue(hour.AddDays(-7 * w), out var value)) samples.Add(value);
        }
        return samples.Count == 0 ? null : new Baseline(Median(samples), Mad(samples), samples.Count);
    }

    /// <summary>Judges <paramref name="value"/> (the hour at <paramref name="hour"/>) against the same hour of week.</summary>
    /// <param name="hourly">Past hourly values by bucket start.</param>
    /// <param name="historyStart">When the data begins: a baseline needs <see cref="MinHistory"/> of it.</param>
    /// <param name="threshold">Robust z score above which the value is anomalous (only upward: error rates).</param>
    /// <param name="floor">The least scale used, in the value's units.</param>
    public static AnomalyVerdict Judge(IReadOnlyDictionary<DateTime, double> hourly, DateTime historyStart, DateTime hour, double value,
        int weeks = 4, double threshold = 4, double floor = 0.01)
    {
        if (hour - historyStart < MinHistory) return new AnomalyVerdict(value, null, 0, false, "less than 7 days of history");
        var baseline = SameHourOfWeek(hourly, hour, weeks);
        if (baseline is null) return new AnomalyVerdict(value, null, 0, false, "no value at this hour of the week before");
        var score = (value - baseline.Median) / Math.Max(baseline.Scale, floor);
        return new AnomalyVerdict(value, baseline, score, score >= threshold,
            FormattableString.Invariant($"{value:P1} against a median of {baseline.Median:P1} (MAD {baseline.Mad:P1}, {baseline.Samples} weeks): robust z {score:F1}"));
    }
}
