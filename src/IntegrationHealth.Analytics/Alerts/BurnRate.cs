using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Alerts;

/// <summary>One multiwindow burn-rate rule: it fires when the error budget burns at least <see cref="Factor"/> times
/// the sustainable rate over both the long window and the short one (the short one makes it stop soon after the
/// problem does).</summary>
public sealed record BurnRateRule(string Name, AlertSeverity Severity, double Factor, TimeSpan LongWindow, TimeSpan ShortWindow);

/// <summary>A rule's verdict: the burn rates over both windows and whether it fires.</summary>
public sealed record BurnRateVerdict(BurnRateRule Rule, double LongBurn, double ShortBurn, long LongTotal, bool Fires);

/// <summary>
/// Multiwindow, multi-burn-rate alerts as the Google SRE workbook ("Alerting on SLOs", its recommended table for a
/// 30-day objective) sets them: page at 14.4× over 1 h and 5 min (2% of the month's budget in an hour) and at 6× over
/// 6 h and 30 min (5% in 6 h); ticket at 3× over 1 d and 2 h (10% in a day) and at 1× over 3 d and 6 h. The burn rate of a
/// window is its error rate divided by the budget (1 − objective).
/// </summary>
public static class BurnRate
{
    /// <summary>The workbook's four rules.</summary>
    public static readonly IReadOnlyList<BurnRateRule> WorkbookRules =
    [
        new("page-1h", AlertSeverity.Page, 14.4, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)),
        new("page-6h", AlertSeverity.Page, 6, TimeSpan.FromHours(6), TimeSpan.FromMinutes(30)),
        new("ticket-1d", AlertSeverity.Ticket, 3, TimeSpan.FromDays(1), TimeSpan.FromHours(2)),
        new("ticket-3d", AlertSeverity.Ticket, 1, TimeSpan.FromDays(3), TimeSpan.FromHours(6)),
    ];

    /// <summary>The burn rate of the buckets that start in [<paramref name="now"/> − <paramref name="window"/>,
    /// <paramref name="now"/>), with their total; 0 when there were no events.</summary>
    public static (double Burn, long Total) Over(IReadOnlyList<CountBucket> buckets, DateTime now, TimeSpan window, double objective)
    {
        long total = 0, bad = 0;
        var from = now - window;
        foreach (var b in buckets)
        {
            if (b.Start < from || b.Start >= now) continue;
            total += b.Total;
            bad += b.Bad;
        }
        var budget = 1 - objective;
        return (total == 0 ? 0 : (double)bad / total / budget, total);
    }

    /// <summary>Every rule's verdict at <paramref name="now"/>; a window with fewer than <paramref name="minEvents"/>
    /// events never fires (one failure in three requests is not an outage).</summary>
    public static IReadOnlyList<BurnRateVerdict> Evaluate(IReadOnlyList<CountBucket> buckets, DateTime now, double objective,
        long minEvents = 1, IReadOnlyList<BurnRateRule>? rules = null)
    {
        if (objective is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(objective), "The objective must be between 0 and 1.");
        var verdicts = new List<BurnRateVerdict>();
        foreach (var rule in rules ?? WorkbookRules)
        {
            var (longBurn, longTotal) = Over(buckets, now, rule.LongWindow, objective);
            var (shortBurn, shortTotal) = Over(buckets, now, rule.ShortWindow, objective);
            // A burn exactly at the factor fires: compare with a relative tolerance, since 0.003 / 0.001 is 2.9999999999999996
            // in floating point.
            var atLeast = rule.Factor * (1 - 1e-9);
            var fires = longTotal >= minEvents && shortTotal >= 1 && longBurn >= atLeast && shortBurn >= atLeast;
            verdicts.Add(new BurnRateVerdict(rule, longBurn, shortBurn, longTotal, fires));
        }
        return verdicts;
    }

    /// <summary>The most severe firing verdict (pages before tickets, then the higher factor), or null.</summary>
    public static BurnRateVerdict? Worst(IReadOnlyList<BurnRateVerdict> verdicts) =>
        verdicts.Where(v => v.Fires).OrderByDescending(v => v.Rule.Severity).ThenByDescending(v => v.Rule.Factor).FirstOrDefault();
}
