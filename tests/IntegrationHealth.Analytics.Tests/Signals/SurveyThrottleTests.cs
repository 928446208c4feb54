using IntegrationHealth.Analytics.Surveys;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Tests.Signals;

public sealed class SurveyThrottleTests
{
    private static readonly DateTime Now = new(2026, 11, 10, 12, 0, 0, DateTimeKind.Utc);

    private static SurveyRule Rule(SurveyDisplayOption option, int? limit = null, int? recontact = 0, double percentage = 100) => new()
    {
        SurveyKey = "nps-after-sync", DisplayOption = option, DisplayLimit = limit, RecontactDays = recontact, Percentage = percentage,
    };

    private static SurveyHistory History(int shown = 0, bool answered = false, DateTime? last = null) => new(
        new Dictionary<string, int> { ["nps-after-sync"] = shown },
        answered ? new HashSet<string> { "nps-after-sync" } : new HashSet<string>(), last);

    private static SurveyDecision Decide(SurveyRule rule, SurveyHistory history, bool blocked = false, int defaultRecontact = 7) =>
        SurveyThrottle.Decide(rule, "acct-1", "user-1", history, Now, defaultRecontact, blocked);

    [Fact]
    public void DisplayOnce_ShownOnce_NeverAgain()
    {
        Assert.Equal(SurveyDecision.Show, Decide(Rule(SurveyDisplayOption.DisplayOnce), History()));
        Assert.Equal(SurveyDecision.AlreadyShown, Decide(Rule(SurveyDisplayOption.DisplayOnce), History(shown: 1)));
    }

    [Fact]
    public void DisplayMultiple_UntilAnswered()
    {
        Assert.Equal(SurveyDecision.Show, Decide(Rule(SurveyDisplayOption.DisplayMultiple), History(shown: 5)));
        Assert.Equal(SurveyDecision.AlreadyAnswered, Decide(Rule(SurveyDisplayOption.DisplayMultiple), History(shown: 1, answered: true)));
    }

    [Fact]
    public void DisplayFixed_UpToTheLimit()
    {
        Assert.Equal(SurveyDecision.Show, Decide(Rule(SurveyDisplayOption.DisplayFixed, limit: 3), History(shown: 2)));
        Assert.Equal(SurveyDecision.DisplayLimitReached, Decide(Rule(SurveyDisplayOption.DisplayFixed, limit: 3), History(shown: 3)));
        Assert.Equal(SurveyDecision.AlreadyAnswered, Decide(Rule(SurveyDisplayOption.DisplayFixed, limit: 3), History(shown: 1, answered: true)));
    }

    [Fact]
    public void RespondMultiple_AlwaysEvenAfterAnswers() =>
        Assert.Equal(SurveyDecision.Show, Decide(Rule(SurveyDisplayOption.RespondMultiple), History(shown: 9, answered: true)));

    [Fact]
    public void RecontactWait_AcrossSurveys_RuleOverridesTheDefault()
    {
        var seenThreeDaysAgo = History(last: Now.AddDays(-3));
        Assert.Equal(SurveyDecision.RecontactWait, Decide(Rule(SurveyDisplayOption.RespondMultiple, recontact: null), seenThreeDaysAgo, defaultRecontact: 7));
        Assert.Equal(SurveyDecision.Show, Decide(Rule(SurveyDisplayOption.RespondMultiple, recontact: null), seenThreeDaysAgo, defaultRecontact: 2));
        Assert.Equal(SurveyDecision.Show, Decide(Rule(SurveyDisplayOption.RespondMultiple, recontact: 0), seenThreeDaysAgo, defaultRecontact: 7));
        Assert.Equal(SurveyDecision.RecontactWait, Decide(Rule(SurveyDisplayOption.RespondMultiple, recontact: 4), seenThreeDaysAgo, defaultRecontact: 0));
    }

    [Fact]
    public void OpenProblem_HoldsBack() =>
        Assert.Equal(SurveyDecision.HeldBack, Decide(Rule(SurveyDisplayOption.RespondMultiple), History(), blocked: true));

    [Fact]
    public void Sampling_IsStable_AndCloseToThePercentage()
    {
        var users = Enumerable.Range(0, 10_000).Select(i => $"user-{i}").ToList();
        var sampled = users.Count(u => SurveyThrottle.Sampled("s", "a", u, 25));
        Assert.InRange(sampled, 2_300, 2_700);
        Assert.All(users.Take(200), u => Assert.Equal(SurveyThrottle.Sampled("s", "a", u, 25), SurveyThrottle.Sampled("s", "a", u, 25)));
        Assert.All(users.Take(200), u => Assert.True(!SurveyThrottle.Sampled("s", "a", u, 25) || SurveyThrottle.Sampled("s", "a", u, 50)));
        Assert.False(SurveyThrottle.Sampled("s", "a", "u", 0));
        Assert.True(SurveyThrottle.Sampled("s", "a", "u", 100));
    }
}
