using IntegrationHealth.Analytics.Surveys;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Tests.Signals;

public sealed class SurveyEventsTests
{
    private static readonly DateTime Window = new(2026, 11, 10, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void FromSyncRuns_FirstSuccessEver_IsFirstSuccessfulSync_Once()
    {
        SyncRunOutcome[] runs = [new(1, 10, Window.AddHours(-2), false), new(1, 10, Window.AddHours(1), true), new(1, 10, Window.AddHours(2), true)];
        var e = Assert.Single(SurveyEvents.FromSyncRuns(runs, Window, new HashSet<int>()));
        Assert.Equal((SurveyTriggerEvent.FirstSuccessfulSync, 10, "first-sync:1"), (e.Event, e.AccountId, e.SourceKey));
    }

    [Fact]
    public void FromSyncRuns_SuccessAfterFailures_IsRecovered_ButNotForANewConnection()
    {
        SyncRunOutcome[] runs = [new(2, 20, Window.AddHours(1), false), new(2, 20, Window.AddHours(2), false), new(2, 20, Window.AddHours(3), true)];
        var e = Assert.Single(SurveyEvents.FromSyncRuns(runs, Window, new HashSet<int> { 2 }));
        Assert.Equal(SurveyTriggerEvent.SyncRecovered, e.Event);
        Assert.Equal(Window.AddHours(3), e.At);
    }

    [Fact]
    public void FromSyncRuns_HealthyRunsOrEventsBeforeTheWindow_GiveNothing()
    {
        SyncRunOutcome[] runs = [new(3, 30, Window.AddHours(-3), false), new(3, 30, Window.AddHours(-2), true), new(3, 30, Window.AddHours(1), true)];
        Assert.Empty(SurveyEvents.FromSyncRuns(runs, Window, new HashSet<int> { 3 }));
    }
}
