using IntegrationHealth.Analytics.Issues;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Tests.Issues;

public sealed class IssueLifecycleTests
{
    private static readonly DateTime T0 = new(2026, 11, 10, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Quiet = TimeSpan.FromHours(24);

    private static IssueFinding Finding(DateTime seen, int occurrences = 3) =>
        new(1, 2, 3, IssueKind.CredentialsRevoked, "", occurrences, seen, $"credentials rejected {occurrences} times");

    private static Dictionary<(int, int, int), DateTime> Success(DateTime at) => new() { [(1, 2, 3)] = at };

    [Fact]
    public void Apply_RepeatingProblem_OpensOnceThenUpdates_ResolvesAfterQuietSuccess_ReopensOnRecurrence()
    {
        var issues = new List<ConnectionIssue>();

        var opened = IssueLifecycle.Apply(1, issues, [Finding(T0)], Success(T0.AddHours(-5)), T0, Quiet);
        var updated = IssueLifecycle.Apply(1, issues, [Finding(T0.AddHours(1), 7)], Success(T0.AddHours(-5)), T0.AddHours(1), Quiet);
        var rerun = IssueLifecycle.Apply(1, issues, [Finding(T0.AddHours(1), 7)], Success(T0.AddHours(-5)), T0.AddHours(1), Quiet);
        // Success again 2 hours after the last failure, but the quiet period has not passed.
        var early = IssueLifecycle.Apply(1, issues, [], Success(T0.AddHours(3)), T0.AddHours(10), Quiet);
        // No success since the last failure: stays open however long it is quiet.
        var silent = IssueLifecycle.Apply(1, issues.Select(i => i).ToList(), [], Success(T0.AddHours(-5)), T0.AddDays(3), Quiet);
        var resolved = IssueLifecycle.Apply(1, issues, [], Success(T0.AddHours(3)), T0.AddHours(26), Quiet);
        var reopened = IssueLifecycle.Apply(1, issues, [Finding(T0.AddHours(30))], Success(T0.AddHours(3)), T0.AddHours(30), Quiet);

        var issue = Assert.Single(issues);
        Assert.Equal(IssueTransition.Opened, Assert.Single(opened).Transition);
        Assert.Equal(IssueTransition.Updated, Assert.Single(updated).Transition);
        Assert.Empty(rerun);
        Assert.Empty(early);
        Assert.Empty(silent);
        Assert.Equal(IssueTransition.Resolved, Assert.Single(resolved).Transition);
        Assert.Equal(IssueTransition.Reopened, Assert.Single(reopened).Transition);
        Assert.Equal((IssueStatus.Open, 1, T0, T0.AddHours(30), 7), (issue.Status, issue.Reopened, issue.FirstSeenAt, issue.LastSeenAt, issue.Occurrences));
        Assert.Null(issue.ResolvedAt);
    }

    [Fact]
    public void Apply_DifferentKindsOrResourcesOfOneConnection_AreSeparateIssues()
    {
        var issues = new List<ConnectionIssue>();
        IssueLifecycle.Apply(1, issues,
        [
            Finding(T0),
            new IssueFinding(1, 2, 3, IssueKind.SustainedErrors, "contacts", 9, T0, "errors"),
            new IssueFinding(1, 2, 3, IssueKind.SustainedErrors, "deals", 9, T0, "errors"),
            new IssueFinding(1, 2, 3, IssueKind.SustainedErrors, "deals", 4, T0.AddMinutes(-5), "older duplicate"),
        ], Success(T0), T0, Quiet);

        Assert.Equal(3, issues.Count);
    }
}
