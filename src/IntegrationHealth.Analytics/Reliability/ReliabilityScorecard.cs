namespace IntegrationHealth.Analytics.Reliability;

/// <summary>Weekly (ISO weeks, from Monday) or monthly (calendar months) periods, in UTC.</summary>
public enum ScorecardPeriod
{
    Weekly,
    Monthly,
}

/// <summary>An incident as the scorecard sees it (an alert): when it opened, was acknowledged and resolved.</summary>
public readonly record struct IncidentTimes(int? ProviderId, DateTime OpenedAt, DateTime? AcknowledgedAt, DateTime? ResolvedAt);

/// <summary>A support ticket's first-response time.</summary>
public readonly record struct TicketTimes(int? ProviderId, DateTime OpenedAt, DateTime? FirstResponseAt);

/// <summary>The benchmarks: 99.9% uptime, acknowledge within 1 hour, resolve within 4 hours, first response within
/// the support SLA.</summary>
public sealed record ScorecardTargets(double Uptime = 0.999, double AcknowledgeHours = 1, double ResolveHours = 4, double FirstResponseHours = 1);

/// <summary>One measure against its benchmark; null values mean there was nothing to measure.</summary>
public sealed record ScorecardMeasure(string Name, double? Value, double Target, string Unit, bool? MeetsTarget, int Samples);

/// <summary>One provider's (or, with a null provider, everything's) scorecard for one period.</summary>
public sealed record ScorecardLine(int? ProviderId, DateTime PeriodStart, DateTime PeriodEnd, IReadOnlyList<ScorecardMeasure> Measures);

/// <summary>
/// Reliability scorecards: uptime as request success (successful / all requests), mean time to acknowledge and to
/// resolve incidents (alerts opened in the period; a still unacknowledged or unresolved one counts up to the period's
/// end, so hiding from an incident does not improve the score), and the share of support tickets opened in the period
/// whose first response came within the SLA (an unanswered ticket past the SLA misses it; one not yet past it is left
/// out).
/// </summary>
public static class ReliabilityScorecard
{
    public static DateTime PeriodStart(DateTime instant, ScorecardPeriod period)
    {
        var day = instant.Date;
        return period == ScorecardPeriod.Monthly
            ? new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc)
            : DateTime.SpecifyKind(day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), DateTimeKind.Utc);
    }

    public static DateTime PeriodEnd(DateTime start, ScorecardPeriod period) =>
        period == ScorecardPeriod.Monthly ? start.AddMonths(1) : start.AddDays(7);

    /// <summary>The scorecard of one period. <paramref name="requests"/> and <paramref name="successes"/> are the
    /// period's counts; incidents and tickets are filtered to those opened in it.</summary>
    public static ScorecardLine Compute(int? providerId, DateTime periodStart, ScorecardPeriod period, long requests, long successes,
        IEnumerable<IncidentTimes> incidents, IEnumerable<TicketTimes> tickets, DateTime now, ScorecardTargets targets)
    {
        var end = PeriodEnd(periodStart, period);
        var cutoff = now < end ? now : end;
        double? uptime = requests == 0 ? null : (double)successes / requests;

        var inPeriod = incidents.Where(i => i.OpenedAt >= periodStart && i.OpenedAt < end).ToList();
        var ackHours = inPeriod.Select(i => ((i.AcknowledgedAt ?? i.ResolvedAt ?? cutoff) - i.OpenedAt).TotalHours).ToList();
        var resolveHours = inPeriod.Select(i => ((i.ResolvedAt ?? cutoff) - i.OpenedAt).TotalHours).ToList();

        var sla = TimeSpan.FromHours(targets.FirstResponseHours);
        var judged = tickets.Where(t => t.OpenedAt >= periodStart && t.OpenedAt < end)
            .Where(t => t.FirstResponseAt is not null || now - t.OpenedAt > sla)
            .Select(t => t.FirstResponseAt is { } first && first - t.OpenedAt <= sla).ToList();

        ScorecardMeasure[] measures =
        [
            new("uptime", uptime, targets.Uptime, "ratio", uptime is { } u ? u >= targets.Uptime : null, (int)Math.Min(requests, int.MaxValue)),
            Mean("mean_time_to_acknowledge", ackHours, targets.AcknowledgeHours),
            Mean("mean_time_to_resolve", resolveHours, targets.ResolveHours),
            new("first_response_sla_attainment", judged.Count == 0 ? null : judged.Count(x => x) / (double)judged.Count, 1,
                "ratio", judged.Count == 0 ? null : judged.All(x => x), judged.Count),
        ];
        return new ScorecardLine(providerId, periodStart, end, measures);
    }

    private static ScorecardMeasure Mean(string name, List<double> hours, double target)
    {
        double? mean = hours.Count == 0 ? null : hours.Average();
        return new ScorecardMeasure(name, mean, target, "hours", mean is { } m ? m < target : null, hours.Count);
    }
}
