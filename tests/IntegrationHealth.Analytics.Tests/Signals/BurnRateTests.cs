using IntegrationHealth.Analytics.Alerts;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Tests.Signals;

public sealed class BurnRateTests
{
    private static readonly DateTime Now = new(2026, 11, 10, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>Per-minute buckets over the last <paramref name="minutes"/> minutes, 1,000 requests each, of which
    /// <paramref name="bad"/> failed.</summary>
    private static List<CountBucket> Minutes(int minutes, long bad, DateTime? end = null) =>
        [.. Enumerable.Range(1, minutes).Select(i => new CountBucket((end ?? Now).AddMinutes(-i), 1000, bad))];

    [Fact]
    public void Over_ErrorRateOverBudget_IsTheBurnRate()
    {
        // 2% errors against a 99.9% objective (0.1% budget) burn at 20x.
        var (burn, total) = BurnRate.Over(Minutes(60, 20), Now, TimeSpan.FromHours(1), 0.999);
        Assert.Equal(20, burn, 6);
        Assert.Equal(60_000, total);
    }

    [Fact]
    public void Over_BucketsOutsideTheWindow_AreLeftOut()
    {
        var buckets = Minutes(60, 0);
        buckets.Add(new CountBucket(Now.AddHours(-2), 1000, 1000)); // before the window
        buckets.Add(new CountBucket(Now, 1000, 1000)); // at now: the window is [now - 1h, now)
        Assert.Equal(0, BurnRate.Over(buckets, Now, TimeSpan.FromHours(1), 0.999).Burn);
    }

    [Fact]
    public void Evaluate_FifteenTimesBurnForAnHour_PagesOnTheFastRule()
    {
        var verdicts = BurnRate.Evaluate(Minutes(60, 15), Now, 0.999); // 1.5% = 15x
        var fast = verdicts.Single(v => v.Rule.Name == "page-1h");
        Assert.True(fast.Fires);
        Assert.Equal(15, fast.LongBurn, 6);
        Assert.Equal(AlertSeverity.Page, BurnRate.Worst(verdicts)!.Rule.Severity);
        Assert.Equal("page-1h", BurnRate.Worst(verdicts)!.Rule.Name);
    }

    [Fact]
    public void Evaluate_BurnJustUnder14Point4_DoesNotPageOnTheFastRule()
    {
        var verdicts = BurnRate.Evaluate(Minutes(60, 14), Now, 0.999); // 14x
        Assert.False(verdicts.Single(v => v.Rule.Name == "page-1h").Fires);
    }

    [Fact]
    public void Evaluate_ProblemEndedTenMinutesAgo_ShortWindowStopsThePage()
    {
        // 55 minutes at 30x, then 10 clean minutes: the 1 h window still burns at ~25x, the 5 min window at 0.
        var buckets = Minutes(55, 30, Now.AddMinutes(-10));
        buckets.AddRange(Minutes(10, 0));
        var fast = BurnRate.Evaluate(buckets, Now, 0.999).Single(v => v.Rule.Name == "page-1h");
        Assert.True(fast.LongBurn > 14.4);
        Assert.Equal(0, fast.ShortBurn);
        Assert.False(fast.Fires);
    }

    [Fact]
    public void Evaluate_SixTimesBurnForSixHours_PagesOnTheSlowRuleOnly()
    {
        var verdicts = BurnRate.Evaluate(Minutes(6 * 60, 7), Now, 0.999); // 7x
        Assert.False(verdicts.Single(v => v.Rule.Name == "page-1h").Fires);
        Assert.True(verdicts.Single(v => v.Rule.Name == "page-6h").Fires);
        Assert.Equal("page-6h", BurnRate.Worst(verdicts)!.Rule.Name);
    }

    [Fact]
    public void Evaluate_ThreeTimesBurnForADay_Tickets()
    {
        var verdicts = BurnRate.Evaluate(Minutes(24 * 60, 3), Now, 0.999);
        var worst = BurnRate.Worst(verdicts)!;
        Assert.Equal("ticket-1d", worst.Rule.Name);
        Assert.Equal(AlertSeverity.Ticket, worst.Rule.Severity);
    }

    [Fact]
    public void Evaluate_OnceBurnForThreeDays_TicketsOnTheSlowestRule()
    {
        var verdicts = BurnRate.Evaluate(Minutes(3 * 24 * 60, 1), Now, 0.999); // exactly 1x
        Assert.Equal("ticket-3d", BurnRate.Worst(verdicts)!.Rule.Name);
    }

    [Fact]
    public void Evaluate_TooFewEvents_NeverFires()
    {
        List<CountBucket> buckets = [new(Now.AddMinutes(-1), 3, 1)];
        Assert.Null(BurnRate.Worst(BurnRate.Evaluate(buckets, Now, 0.999, minEvents: 100)));
        Assert.NotNull(BurnRate.Worst(BurnRate.Evaluate(buckets, Now, 0.999, minEvents: 1)));
    }

    [Fact]
    public void Evaluate_ObjectiveOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BurnRate.Evaluate([], Now, 1));
}
