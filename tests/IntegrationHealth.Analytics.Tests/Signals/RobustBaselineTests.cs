using IntegrationHealth.Analytics.Alerts;

namespace IntegrationHealth.Analytics.Tests.Signals;

public sealed class RobustBaselineTests
{
    private static readonly DateTime Monday9 = new(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void MedianAndMad_KnownValues()
    {
        double[] values = [1, 1, 2, 2, 4, 6, 9];
        Assert.Equal(2, RobustBaseline.Median(values));
        Assert.Equal(1, RobustBaseline.Mad(values)); // deviations 1,1,0,0,2,4,7 → median 1
        Assert.Equal(2.5, RobustBaseline.Median([1, 2, 3, 4]));
    }

    [Fact]
    public void SameHourOfWeek_TakesOnlyThatHourInEarlierWeeks()
    {
        var hourly = new Dictionary<DateTime, double>
        {
            [Monday9.AddDays(-7)] = 0.01,
            [Monday9.AddDays(-14)] = 0.02,
            [Monday9.AddDays(-21)] = 0.50, // one past outage: the median ignores it
            [Monday9.AddDays(-1)] = 0.90, // Sunday 09:00, another hour of the week
            [Monday9.AddDays(-7).AddHours(1)] = 0.90, // Monday 10:00
        };
        var baseline = RobustBaseline.SameHourOfWeek(hourly, Monday9, weeks: 4)!;
        Assert.Equal(3, baseline.Samples);
        Assert.Equal(0.02, baseline.Median, 10);
        Assert.Equal(0.01, baseline.Mad, 10); // deviations 0.01, 0, 0.48
    }

    [Fact]
    public void Judge_FarAboveTheBaseline_IsAnAnomaly()
    {
        var hourly = Weeks(0.010, 0.012, 0.011, 0.009);
        var verdict = RobustBaseline.Judge(hourly, Monday9.AddDays(-28), Monday9, 0.20, floor: 0.001);
        Assert.True(verdict.IsAnomaly);
        // median 0.0105, MAD 0.001 → scale 0.0014826; z = (0.20 − 0.0105) / 0.0014826
        Assert.Equal((0.20 - 0.0105) / 0.0014826, verdict.Score, 3);
    }

    [Fact]
    public void Judge_WithinTheUsualSpread_IsNoAnomaly()
    {
        var verdict = RobustBaseline.Judge(Weeks(0.010, 0.012, 0.011, 0.009), Monday9.AddDays(-28), Monday9, 0.013, floor: 0.001);
        Assert.False(verdict.IsAnomaly);
    }

    [Fact]
    public void Judge_FlatHistory_UsesTheFloorSoAWobbleIsNoAnomaly()
    {
        // MAD 0 would make any change an infinite z; the floor (0.01) keeps 0.02 against 0 at z 2.
        var verdict = RobustBaseline.Judge(Weeks(0, 0, 0, 0), Monday9.AddDays(-28), Monday9, 0.02);
        Assert.Equal(2, verdict.Score, 6);
        Assert.False(verdict.IsAnomaly);
    }

    [Fact]
    public void Judge_LessThanSevenDaysOfHistory_GivesNoVerdict()
    {
        var verdict = RobustBaseline.Judge(Weeks(0.01), Monday9.AddDays(-6), Monday9, 0.9);
        Assert.False(verdict.IsAnomaly);
        Assert.Null(verdict.Baseline);
    }

    private static Dictionary<DateTime, double> Weeks(params double[] values) =>
        values.Select((v, i) => (Key: Monday9.AddDays(-7 * (i + 1)), v)).ToDictionary(x => x.Key, x => x.v);
}
