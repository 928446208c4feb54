using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Issues;

/// <summary>What happened to an issue in one detection pass (the webhook event types are <c>connection_issue.*</c>).</summary>
public enum IssueTransition
{
    Opened,
    Reopened,
    Updated,
    Resolved,
}

/// <summary>
/// The issue lifecycle, pure: one issue per (account, provider, connection, kind, resource); a finding opens it, or
/// updates it while it repeats (last occurrence, count, summary), or reopens it after it resolved; an open issue with
/// no finding resolves only once the connection has succeeded after the issue was last seen <b>and</b> the quiet
/// period has passed since. Muting changes nothing here (a muted issue still opens, resolves and reopens; it is only
/// kept out of notifications and scores).
/// </summary>
public static class IssueLifecycle
{
    /// <param name="issues">The tenant's issues (mutated; new ones are added).</param>
    /// <param name="findings">This pass's findings.</param>
    /// <param name="lastSuccess">Last success per (account, provider, connection).</param>
    public static List<(ConnectionIssue Issue, IssueTransition Transition)> Apply(int tenantId, List<ConnectionIssue> issues,
        IReadOnlyList<IssueFinding> findings, IReadOnlyDictionary<(int, int, int), DateTime> lastSuccess, DateTime now, TimeSpan quiet)
    {
        var changes = new List<(ConnectionIssue, IssueTransition)>();
        var byKey = issues.ToDictionary(i => (i.AccountId, i.ProviderId, i.ConnectionId, i.Kind, i.Resource));
        var found = new HashSet<(int, int, int, IssueKind, string)>();
        foreach (var f in findings.GroupBy(f => f.Key).Select(g => g.OrderByDescending(f => f.LastSeenAt).First()))
        {
            found.Add(f.Key);
            if (!byKey.TryGetValue(f.Key, out var issue))
            {
                issue = new ConnectionIssue
                {
                    TenantId = tenantId, AccountId = f.AccountId, ProviderId = f.ProviderId, ConnectionId = f.ConnectionId, Kind = f.Kind,
                    Resource = f.Resource, Status = IssueStatus.Open, FirstSeenAt = f.LastSeenAt, LastSeenAt = f.LastSeenAt,
                    Occurrences = f.Occurrences, Summary = f.Summary, UpdatedAt = now,
                };
                issues.Add(issue);
                byKey[f.Key] = issue;
                changes.Add((issue, IssueTransition.Opened));
                continue;
            }

            if (issue.Status == IssueStatus.Resolved)
            {
                if (f.LastSeenAt <= issue.ResolvedAt) continue; // what resolved it is older than the resolution
                issue.Status = IssueStatus.Open;
                issue.ResolvedAt = null;
                issue.Reopened++;
                Update(issue, f, now);
                changes.Add((issue, IssueTransition.Reopened));
            }
            else if (f.LastSeenAt > issue.LastSeenAt || f.Summary != issue.Summary)
            {
                Update(issue, f, now);
                changes.Add((issue, IssueTransition.Updated));
            }
        }

        foreach (var issue in issues.Where(i => i.Status == IssueStatus.Open && !found.Contains((i.AccountId, i.ProviderId, i.ConnectionId, i.Kind, i.Resource))))
        {
            if (!lastSuccess.TryGetValue((issue.AccountId, issue.ProviderId, issue.ConnectionId), out var success) || success <= issue.LastSeenAt) continue;
            if (now - issue.LastSeenAt < quiet) continue;
            issue.Status = IssueStatus.Resolved;
            issue.ResolvedAt = now;
            issue.UpdatedAt = now;
            changes.Add((issue, IssueTransition.Resolved));
        }

        return changes;
    }

    private static void Update(ConnectionIssue issue, IssueFinding f, DateTime now)
    {
        if (f.LastSeenAt > issue.LastSeenAt) issue.LastSeenAt = f.LastSeenAt;
        issue.Occurrences = Math.Max(issue.Occurrences, f.Occurrences);
        issue.Summary = f.Summary;
        issue.UpdatedAt = now;
    }
}
