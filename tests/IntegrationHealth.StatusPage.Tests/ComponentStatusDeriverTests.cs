using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Derivation;

namespace IntegrationHealth.StatusPage.Tests;

public sealed class ComponentStatusDeriverTests
{
    private static readonly DateTime T0 = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
    private static readonly ComponentStatusRules Rules = new()
    {
        WindowMinutes = 5, MinRequests = 20, EnterAfter = TimeSpan.FromMinutes(2), ExitAfter = TimeSpan.FromMinutes(5),
    };
    private static readonly DerivationState Operational = new(ComponentStatus.Operational, null, null);

    /// <summary>Five minutes up to <paramref name="now"/>, each with 100 requests of which <paramref name="errors"/> failed.</summary>
    private static MinuteWindow[] Minutes(DateTime now, int errors, double p95 = 200) =>
        [.. Enumerable.Range(1, 5).Select(i => new MinuteWindow(now.AddMinutes(-i), 100, errors, 100, p95, p95 * 1.5))];

    [Fact]
    public void Next_ErrorsAboveMajorEnter_ShownOnlyAfterEnterDuration()
    {
        var state = ComponentStatusDeriver.Next(Operational, Minutes(T0, 70), Rules, T0);
        Assert.Equal(new DerivationState(ComponentStatus.Operational, ComponentStatus.MajorOutage, T0), state);
        state = ComponentStatusDeriver.Next(state, Minutes(T0.AddMinutes(1), 70), Rules, T0.AddMinutes(1));
        Assert.Equal(ComponentStatus.Operational, state.Derived);
        state = ComponentStatusDeriver.Next(state, Minutes(T0.AddMinutes(2), 70), Rules, T0.AddMinutes(2));
        Assert.Equal(new DerivationState(ComponentStatus.MajorOutage, null, null), state);
    }

    [Fact]
    public void Next_OneBadRunBetweenGoodOnes_DoesNotFlap()
    {
        var state = ComponentStatusDeriver.Next(Operational, Minutes(T0, 70), Rules, T0);
        state = ComponentStatusDeriver.Next(state, Minutes(T0.AddMinutes(1), 0), Rules, T0.AddMinutes(1));
        Assert.Equal(Operational, state);
        state = ComponentStatusDeriver.Next(state, Minutes(T0.AddMinutes(2), 70), Rules, T0.AddMinutes(2));
        Assert.Equal(ComponentStatus.Operational, state.Derived);
        Assert.Equal(T0.AddMinutes(2), state.CandidateSince); // the count restarted
    }

    [Fact]
    public void Next_DeepeningDegradation_KeepsItsStart()
    {
        var state = ComponentStatusDeriver.Next(Operational, Minutes(T0, 10), Rules, T0); // degraded
        state = ComponentStatusDeriver.Next(state, Minutes(T0.AddMinutes(1), 40), Rules, T0.AddMinutes(1)); // partial
        Assert.Equal(new DerivationState(ComponentStatus.Operational, ComponentStatus.PartialOutage, T0), state);
        state = ComponentStatusDeriver.Next(state, Minutes(T0.AddMinutes(2), 40), Rules, T0.AddMinutes(2));
        Assert.Equal(ComponentStatus.PartialOutage, state.Derived);
    }

    [Fact]
    public void Next_RateBetweenExitAndEnter_HoldsTheCurrentLevel()
    {
        // 40% errors: below major's enter (60%) but above its exit (30%): a major outage stays major...
        var major = new DerivationState(ComponentStatus.MajorOutage, null, null);
        Assert.Equal(major, ComponentStatusDeriver.Next(major, Minutes(T0, 40), Rules, T0));
        // ...while from operational the same 40% points at partial outage only.
        Assert.Equal(ComponentStatus.PartialOutage, ComponentStatusDeriver.Next(Operational, Minutes(T0, 40), Rules, T0).Candidate);
    }

    [Fact]
    public void Next_Recovered_BackToOperationalAfterExitDuration()
    {
        var state = new DerivationState(ComponentStatus.MajorOutage, null, null);
        for (var minute = 0; minute < 5; minute++)
        {
            state = ComponentStatusDeriver.Next(state, Minutes(T0.AddMinutes(minute), 0), Rules, T0.AddMinutes(minute));
            Assert.Equal(ComponentStatus.MajorOutage, state.Derived);
        }
        state = ComponentStatusDeriver.Next(state, Minutes(T0.AddMinutes(5), 0), Rules, T0.AddMinutes(5));
        Assert.Equal(Operational, state);
    }

    [Fact]
    public void Next_SlowButNoErrors_DegradedPerformance()
    {
        var state = ComponentStatusDeriver.Next(Operational, Minutes(T0, 0, p95: 2500), Rules, T0);
        state = ComponentStatusDeriver.Next(state, Minutes(T0.AddMinutes(2), 0, p95: 2500), Rules, T0.AddMinutes(2));
        Assert.Equal(ComponentStatus.DegradedPerformance, state.Derived);
        // 1500 ms is under the enter threshold (2000) but over the exit one (1200): it stays degraded.
        state = ComponentStatusDeriver.Next(state, Minutes(T0.AddMinutes(3), 0, p95: 1500), Rules, T0.AddMinutes(3));
        Assert.Equal(new DerivationState(ComponentStatus.DegradedPerformance, null, null), state);
    }

    [Fact]
    public void Next_TooFewRequests_NoEvidenceKeepsStatus()
    {
        var sparse = new[] { new MinuteWindow(T0.AddMinutes(-1), 10, 10, 100, 100, 100) };
        var major = new DerivationState(ComponentStatus.MajorOutage, null, null);
        Assert.Equal(major, ComponentStatusDeriver.Next(major, sparse, Rules, T0));
        Assert.Equal(Operational, ComponentStatusDeriver.Next(Operational, sparse, Rules, T0));
    }

    [Fact]
    public void Next_MinutesOutsideWindow_Ignored()
    {
        var old = Minutes(T0.AddMinutes(-10), 100);
        Assert.Equal(Operational, ComponentStatusDeriver.Next(Operational, old, Rules, T0));
    }

    [Fact]
    public void Rules_ExitAboveEnter_IsAProblem()
    {
        Assert.Null(new ComponentStatusRules().Problem());
        Assert.NotNull(new ComponentStatusRules { MajorExitErrorRate = 0.7 }.Problem());
        Assert.NotNull(new ComponentStatusRules { PartialEnterErrorRate = 0.8 }.Problem());
    }
}
