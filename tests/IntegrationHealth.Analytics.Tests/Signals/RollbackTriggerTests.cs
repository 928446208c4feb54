using IntegrationHealth.Analytics.Alerts;

namespace IntegrationHealth.Analytics.Tests.Signals;

public sealed class RollbackTriggerTests
{
    private static readonly DateTime Now = new(2026, 11, 10, 12, 0, 30, DateTimeKind.Utc);
    private static readonly DateTime LastMinute = new(2026, 11, 10, 11, 59, 0, DateTimeKind.Utc);

    private static List<CountBucket> BadMinutes(int count, double rate) =>
        [.. Enumerable.Range(0, count).Select(i => new CountBucket(LastMinute.AddMinutes(-i), 1000, (long)(1000 * rate)))];

    [Fact]
    public void SustainedErrorRate_ElevenMinutesAboveOnePercent_Fires()
    {
        var verdict = RollbackTriggers.SustainedErrorRate(BadMinutes(11, 0.02), Now);
        Assert.True(verdict.Fires);
        Assert.Equal(0.02, verdict.Value, 6);
    }

    [Fact]
    public void SustainedErrorRate_ExactlyTenMinutes_DoesNotFire() =>
        Assert.False(RollbackTriggers.SustainedErrorRate(BadMinutes(10, 0.02), Now).Fires);

    [Fact]
    public void SustainedErrorRate_OneCleanMinuteInside_BreaksTheRun()
    {
        var buckets = BadMinutes(20, 0.02);
        buckets[5] = buckets[5] with { Bad = 5 }; // 0.5% at 11:54
        Assert.False(RollbackTriggers.SustainedErrorRate(buckets, Now).Fires);
    }

    [Fact]
    public void SustainedErrorRate_ExactlyOnePercent_IsNotAbove() =>
        Assert.False(RollbackTriggers.SustainedErrorRate(BadMinutes(30, 0.01), Now).Fires);

    [Fact]
    public void RefreshFailureSpread_SixAccountsFailing_Fires()
    {
        var refreshes = Enumerable.Range(1, 6).Select(a => new RefreshOutcome(a, Now.AddMinutes(-3), false)).ToList();
        var verdict = RollbackTriggers.RefreshFailureSpread(refreshes, Now);
        Assert.True(verdict.Fires);
        Assert.Equal(6, verdict.Value);
    }

    [Fact]
    public void RefreshFailureSpread_AccountThatRecovered_IsNotCounted()
    {
        var refreshes = Enumerable.Range(1, 6).Select(a => new RefreshOutcome(a, Now.AddMinutes(-5), false)).ToList();
        refreshes.Add(new RefreshOutcome(6, Now.AddMinutes(-1), true));
        refreshes.Add(new RefreshOutcome(7, Now.AddHours(-1), false)); // outside the window
        var verdict = RollbackTriggers.RefreshFailureSpread(refreshes, Now);
        Assert.Equal(5, verdict.Value);
        Assert.False(verdict.Fires);
    }

    [Fact]
    public void WebhookDeliverySuccess_Below95Percent_Fires()
    {
        List<CountBucket> deliveries = [new(Now.AddMinutes(-30), 100, 6)];
        var verdict = RollbackTriggers.WebhookDeliverySuccess(deliveries, Now);
        Assert.True(verdict.Fires);
        Assert.Equal(0.94, verdict.Value, 6);
        Assert.False(RollbackTriggers.WebhookDeliverySuccess([new(Now.AddMinutes(-30), 100, 5)], Now).Fires);
        Assert.False(RollbackTriggers.WebhookDeliverySuccess([new(Now.AddMinutes(-30), 10, 9)], Now).Fires); // too few to judge
    }
}
