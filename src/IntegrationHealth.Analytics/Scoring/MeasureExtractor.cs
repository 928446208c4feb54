using System.Globalization;
using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Scoring;

/// <summary>
/// Turns an account's evidence into the eight measures, each a risk 0–1 with its evidence in words. The rules that
/// make scores generalise beyond one customer base:
/// <list type="bullet">
/// <item>reliability is a <b>rate</b> in the recent window (7 days), per connection and per resource, <b>above the
/// provider's baseline</b> at the account's other customers, judged by its Wilson lower bound, not a count: a large
/// account with many errors at the normal rate is healthy, and an outage every customer of the provider sees lifts
/// the baseline with the account, so it singles nobody out. Rate-limit answers are left out (bursts that recover are
/// noise). A resource that failed for days and was fixed still weighs by how long it failed, fading over three weeks
/// (<see cref="ErrorStretch"/>, judged day by day against the provider's other customers on the same days);</item>
/// <item>credential breakage counts by <b>duration</b>: failures after the connection's last success, scaled from a
/// few hours (minor) to a week (severe); a re-authorised connection has no credential risk, so a problem resolved
/// weeks ago has faded;</item>
/// <item>staleness is read from sync outcomes, not request errors: syncs that stopped, or that succeed with zero
/// records, where the connection's baseline (days 8–35) had records;</item>
/// <item>engagement compares the account with its own past (active user-days of the last 14 days against the 14
/// before), and notices the most active user going quiet, judged against that user's own habit (a champion seen
/// every day is missed after a few days; an occasional user's week away is ordinary);</item>
/// <item>depth: no working connection is itself a risk, each healthy one lowers it;</item>
/// <item>open connection issues lift the measure of their kind, by how long they have been open, and are named.</item>
/// </list>
/// </summary>
public static class MeasureExtractor
{
    public static readonly TimeSpan Recent = TimeSpan.FromDays(7);
    private static readonly TimeSpan Baseline = TimeSpan.FromDays(35);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Requests a connection needs in the recent window before its error rate is judged.</summary>
    public const int MinRequestsForRate = 20;

    public static IReadOnlyList<Measure> Extract(AccountEvidence a, ProviderBaselines baselines, DateTime asOf, Func<int, string> providerName)
    {
        var connections = a.Rollups.GroupBy(r => (r.ProviderId, r.ConnectionId)).Select(g => Summarise(g.Key.ProviderId, g.Key.ConnectionId, g.ToList(), asOf)).ToList();
        return
        [
            WithIssues(Reliability(a, connections, baselines, asOf, providerName), a.OpenIssues, asOf),
            WithIssues(Credentials(connections, asOf, providerName), a.OpenIssues, asOf),
            WithIssues(Freshness(a, asOf, providerName), a.OpenIssues, asOf),
            WithIssues(DataQuality(a, connections, baselines, asOf, providerName), a.OpenIssues, asOf),
            Support(a, asOf),
            Sentiment(a),
            Engagement(a, asOf),
            Depth(connections, a.Connections),
        ];
    }

    private sealed record ConnectionSummary(int ProviderId, int ConnectionId, long RecentRequests, long RecentErrors, long BaselineRequests,
        long BaselineErrors, DateTime? LastSuccess, DateTime? BrokenSince, int MappingFailureDays, long RecentMappingFailures, bool RecentSuccess,
        Outage? PastBreakage);

    /// <summary>A problem that lasted <see cref="Days"/> and ended at <see cref="EndedAt"/> (the connection works again).</summary>
    private sealed record Outage(double Days, DateTime EndedAt);

    /// <summary>How long a problem that has been fixed still weighs: fully when it has just ended, nothing after 21 days
    /// (customers remember a week without their integration for a while; three weeks later it has faded).</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromDays(21);

    /// <summary>Share of an ongoing problem's risk that the same problem, just fixed, keeps.</summary>
    private const double FixedShare = 0.6;

    /// <summary>The risk a fixed problem still carries at <paramref name="asOf"/>: its severity (by how long it lasted)
    /// times what is left of <see cref="Memory"/> since it ended.</summary>
    private static double Lingering(double severity, DateTime endedAt, DateTime asOf) =>
        FixedShare * severity * Math.Clamp(1 - (asOf - endedAt) / Memory, 0, 1);

    private static ConnectionSummary Summarise(int provider, int connection, List<ConnectionRollup> rows, DateTime asOf)
    {
        long rr = 0, re = 0, br = 0, be = 0, mappings = 0;
        DateTime? lastSuccess = null;
        var mappingDays = new HashSet<DateTime>();
        var recentSuccess = false;
        foreach (var r in rows)
        {
            var recent = r.BucketStart >= asOf - Recent;
            if (recent)
            {
                rr += r.Requests - r.RateLimited;
                re += r.Errors - r.RateLimited;
                if (r.MappingFailures > 0) mappingDays.Add(r.BucketStart.Date);
                mappings += r.MappingFailures;
                if (r.LastSuccessAt is not null) recentSuccess = true;
            }
            else if (r.BucketStart >= asOf - Baseline)
            {
                br += r.Requests - r.RateLimited;
                be += r.Errors - r.RateLimited;
            }

            if (r.LastSuccessAt is { } s && (lastSuccess is null || s > lastSuccess)) lastSuccess = s;
        }

        // Broken credentials: credential failures after the last success. It began at the first such failure (at the
        // last success itself when that was the same day: re-auths within hours stay minor).
        DateTime? brokenSince = null;
        foreach (var r in rows.Where(r => r.CredentialFailures > 0 && r.LastFailureAt is { } f && (lastSuccess is null || f > lastSuccess)))
        {
            var start = lastSuccess is { } s && r.BucketStart <= s ? s : r.BucketStart;
            if (brokenSince is null || start < brokenSince) brokenSince = start;
        }

        return new ConnectionSummary(provider, connection, rr, re, br, be, lastSuccess, brokenSince, mappingDays.Count, mappings, recentSuccess,
            PastBreakage(rows));
    }

    /// <summary>The longest fixed credential breakage: a credential failure after which nothing succeeded for more than a
    /// day, until a later day succeeded again (re-auths within hours are left out).</summary>
    private static Outage? PastBreakage(List<ConnectionRollup> rows)
    {
        Outage? worst = null;
        DateTime? failedAt = null;
        foreach (var day in rows.GroupBy(r => r.BucketStart.Date).OrderBy(g => g.Key))
        {
            var success = day.Max(r => r.LastSuccessAt);
            var failure = day.Where(r => r.CredentialFailures > 0).Max(r => r.LastFailureAt);
            if (failedAt is { } f && success is not null)
            {
                var days = (day.Key - f).TotalDays;
                if (days > 1 && (worst is null || days > worst.Days)) worst = new Outage(days, day.Key);
                failedAt = null;
            }

            if (failure is { } at && (success is null || success < at)) failedAt ??= at;
        }

        return worst;
    }

    /// <summary>
    /// The worst error rate of the recent window, per connection and per connection × resource (a resource can fail
    /// while the rest works), against the same provider (× resource) at the account's other customers. The rate is
    /// judged by its 95% Wilson lower bound, so few requests need a clear excess and a huge account's many errors at
    /// the normal rate stay healthy; a resource needs at least 3 errors. Connections with broken credentials are left
    /// to the credential measure.
    /// </summary>
    private static Measure Reliability(AccountEvidence a, List<ConnectionSummary> connections, ProviderBaselines baselines, DateTime asOf,
        Func<int, string> name)
    {
        var broken = connections.Where(c => c.BrokenSince is not null).Select(c => c.ConnectionId).ToHashSet();
        var units = new List<(int Provider, int Connection, string Resource, long Requests, long Errors, double Base)>();
        foreach (var c in connections.Where(c => !broken.Contains(c.ConnectionId) && c.RecentRequests > 0))
            units.Add((c.ProviderId, c.ConnectionId, "", c.RecentRequests, c.RecentErrors, baselines.ErrorRate(c.ProviderId, c.RecentRequests, c.RecentErrors)));
        foreach (var g in a.Rollups.Where(r => r.BucketStart >= asOf - Recent && !broken.Contains(r.ConnectionId) && r.Resource.Length > 0)
                     .GroupBy(r => (r.ProviderId, r.ConnectionId, r.Resource)))
        {
            long n = g.Sum(r => (long)r.Requests - r.RateLimited), k = g.Sum(r => (long)r.Errors - r.RateLimited);
            if (n > 0 && k >= 3) units.Add((g.Key.ProviderId, g.Key.ConnectionId, g.Key.Resource, n, k, baselines.ErrorRate(g.Key.ProviderId, g.Key.Resource, n, k)));
        }

        var worst = units.Select(u => (u, Excess: WilsonLower(u.Errors, u.Requests) - u.Base)).OrderByDescending(x => x.Excess).FirstOrDefault();
        var past = PastErrors(a, broken, baselines, asOf, name);
        // 20 percentage points above the provider's normal is as bad as it gets; under 2 points is noise.
        if (worst.u.Requests == 0 || worst.Excess < 0.02) return past ?? new Measure(MeasureGroup.IntegrationReliability, 0, "");
        var risk = Math.Clamp(worst.Excess / 0.20, 0, 1);
        if (past is not null && past.Risk > risk) return past;
        var u = worst.u;
        var own = connections.First(c => c.ConnectionId == u.Connection);
        var before = own.BaselineRequests >= MinRequestsForRate ? (double)own.BaselineErrors / own.BaselineRequests : (double?)null;
        var what = u.Resource.Length == 0 ? name(u.Provider) : name(u.Provider) + " " + u.Resource;
        var evidence = string.Create(Inv, $"{what} error rate {(double)u.Errors / u.Requests * 100:0.0}% over 7 days ({u.Errors} of {u.Requests} requests) against {u.Base * 100:0.0}% for its other customers")
            + (before is { } o && u.Resource.Length == 0 ? string.Create(Inv, $" and {o * 100:0.0}% for this account before") : "");
        return new Measure(MeasureGroup.IntegrationReliability, risk, evidence);
    }

    /// <summary>
    /// A resource that failed for days and has stopped failing still weighs, like fixed credentials: the most
    /// significant <see cref="ErrorStretch"/> of each connection × resource whose last failing day is before today,
    /// with a severity of its excess (as for the recent window) times its duration (a day is minor, a week severe),
    /// fading over <see cref="Memory"/> from its last failing day. Null when there is none.
    /// </summary>
    private static Measure? PastErrors(AccountEvidence a, HashSet<int> broken, ProviderBaselines baselines, DateTime asOf, Func<int, string> name)
    {
        var today = RollupFold.Floor(asOf, TimeSpan.FromDays(1));
        var worst = ErrorStretch.Find(a.Rollups.Where(r => !broken.Contains(r.ConnectionId)), baselines, asOf)
            .Where(s => s.Until <= today)
            .Select(s => (s, Risk: Lingering(Math.Clamp((WilsonLower(s.Errors, s.Requests) - s.BaselineRate) / 0.20, 0, 1) * Math.Clamp(s.Days / 7, 0.1, 1), s.Until, asOf)))
            .OrderByDescending(x => x.Risk).FirstOrDefault();
        if (worst.s is null || worst.Risk <= 0) return null;
        var s = worst.s;
        return new Measure(MeasureGroup.IntegrationReliability, worst.Risk, string.Create(Inv,
            $"{name(s.ProviderId)} {s.Resource} failed {(double)s.Errors / s.Requests * 100:0.0}% of requests for {s.Days:0} days ({s.Errors} of {s.Requests}, against {s.BaselineRate * 100:0.0}% for its other customers) until {Ago(asOf - s.Until)}"));
    }

    private static string Ago(TimeSpan span) => span.TotalDays < 1 ? "yesterday" : string.Create(Inv, $"{span.TotalDays:0.#} days ago");

    /// <summary>The 95% Wilson score lower bound of a rate of <paramref name="k"/> in <paramref name="n"/>.</summary>
    internal static double WilsonLower(long k, long n)
    {
        if (n <= 0) return 0;
        const double z = 1.96;
        double p = (double)k / n, z2 = z * z;
        return Math.Max(0, (p + z2 / (2 * n) - z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n))) / (1 + z2 / n));
    }

    /// <summary>
    /// Open connection issues (not muted) are factors of their account's score: each lifts the measure its kind belongs
    /// to to at least a risk that grows with how long it has been open, and is named in the evidence with its age. A
    /// provider that is offline for everyone is not held against any one account.
    /// </summary>
    private static Measure WithIssues(Measure measure, List<ConnectionIssue> issues, DateTime asOf)
    {
        var risk = measure.Risk;
        var words = new List<string>();
        foreach (var issue in issues.Where(i => GroupOf(i.Kind) == measure.Group && i.FirstSeenAt < asOf).OrderBy(i => i.FirstSeenAt))
        {
            var days = Math.Max(0, (asOf - issue.FirstSeenAt).TotalDays);
            var floor = issue.Kind switch
            {
                // Hours are minor, a week is severe.
                IssueKind.CredentialsRevoked or IssueKind.MissingPermission => Math.Clamp(days / 7, 0.1, 1),
                IssueKind.StalledSync or IssueKind.EmptySync => Math.Clamp(0.3 + days / 7, 0, 1),
                _ => Math.Clamp(0.2 + days / 7, 0, 1),
            };
            risk = Math.Max(risk, floor);
            var age = days < 1 ? string.Create(Inv, $"{days * 24:0} hours") : string.Create(Inv, $"{days:0.#} days");
            words.Add(string.Create(Inv, $"open issue for {age}: {issue.Summary}"));
        }

        if (words.Count == 0) return measure;
        var evidence = string.Join("; ", new[] { measure.Evidence }.Where(e => e.Length > 0).Concat(words));
        return measure with { Risk = risk, Evidence = evidence };
    }

    private static MeasureGroup? GroupOf(IssueKind kind) => kind switch
    {
        IssueKind.CredentialsRevoked or IssueKind.MissingPermission => MeasureGroup.CredentialHealth,
        IssueKind.SustainedErrors => MeasureGroup.IntegrationReliability,
        IssueKind.StalledSync or IssueKind.EmptySync => MeasureGroup.SyncFreshness,
        IssueKind.MappingFailures => MeasureGroup.DataQuality,
        _ => null, // ProviderOffline: the provider fails for everyone; it singles nobody out
    };

    private static Measure Credentials(List<ConnectionSummary> connections, DateTime asOf, Func<int, string> name)
    {
        var broken = connections.Where(c => c.BrokenSince is not null).OrderBy(c => c.BrokenSince).ToList();
        if (broken.Count == 0) return FixedBreakage(connections, asOf, name);
        var days = (asOf - broken[0].BrokenSince!.Value).TotalDays;
        // A few hours is minor (0.1), a week or more severe (1); more broken connections weigh more.
        var severity = Math.Clamp(days / 7, 0.1, 1);
        var share = (double)broken.Count / Math.Max(1, connections.Count);
        var risk = Math.Clamp(severity * (0.6 + 0.4 * share), 0, 1);
        var age = days < 1 ? string.Create(Inv, $"{days * 24:0} hours") : string.Create(Inv, $"{days:0.#} days");
        var evidence = string.Create(Inv, $"{name(broken[0].ProviderId)} credentials failing for {age} and still broken") +
            (broken.Count > 1 ? string.Create(Inv, $" ({broken.Count} of {connections.Count} connections)") : "");
        return new Measure(MeasureGroup.CredentialHealth, risk, evidence);
    }

    /// <summary>No connection is broken now, but one was for days and has been fixed: it still weighs, fading over
    /// <see cref="Memory"/> ("HubSpot credentials were broken for 4 days until 6 days ago").</summary>
    private static Measure FixedBreakage(List<ConnectionSummary> connections, DateTime asOf, Func<int, string> name)
    {
        var worst = connections.Where(c => c.PastBreakage is not null)
            .Select(c => (c, Risk: Lingering(Math.Clamp(c.PastBreakage!.Days / 7, 0.1, 1), c.PastBreakage.EndedAt, asOf)))
            .OrderByDescending(x => x.Risk).FirstOrDefault();
        if (worst.c is null || worst.Risk <= 0) return new Measure(MeasureGroup.CredentialHealth, 0, "");
        var o = worst.c.PastBreakage!;
        return new Measure(MeasureGroup.CredentialHealth, worst.Risk,
            string.Create(Inv, $"{name(worst.c.ProviderId)} credentials were broken for {o.Days:0.#} days until {(asOf - o.EndedAt).TotalDays:0.#} days ago"));
    }

    private static Measure Freshness(AccountEvidence a, DateTime asOf, Func<int, string> name)
    {
        // Per connection that had records in its baseline: days since its last sync with records (any resource), against
        // its own usual gap between days with records (a connection synced weekly is not stale after 3 days).
        (double Risk, double Days, int Provider, string Resource, bool Empty)? worst = null;
        foreach (var g in a.Rollups.GroupBy(r => (r.ProviderId, r.ConnectionId, Resource: "")))
        {
            var baselineDays = g.Count(r => r.BucketStart < asOf - Recent && r.BucketStart >= asOf - Baseline && r.SyncRecords > 0);
            if (baselineDays < 2) continue;
            var last = g.Max(r => r.LastSyncWithRecordsAt);
            if (last is null) continue;
            var days = (asOf - last.Value).TotalDays;
            var usualGap = (Baseline - Recent).TotalDays / baselineDays;
            var threshold = Math.Max(2, 2 * usualGap);
            if (days < threshold) continue;
            var risk = Math.Clamp(0.3 + (days - threshold) / 7, 0, 1);
            var emptyRecently = g.Where(r => r.BucketStart >= last.Value).Sum(r => r.EmptySyncs) > 0;
            if (worst is null || risk > worst.Value.Risk) worst = (risk, days, g.Key.ProviderId, g.Key.Resource, emptyRecently);
        }

        if (worst is not { } w) return new Measure(MeasureGroup.SyncFreshness, 0, "");
        var what = w.Resource.Length == 0 ? "sync" : w.Resource + " sync";
        var evidence = w.Empty
            ? string.Create(Inv, $"{name(w.Provider)} {what} returned 0 records for {w.Days:0.#} days")
            : string.Create(Inv, $"{name(w.Provider)} {what} has not brought records for {w.Days:0.#} days");
        return new Measure(MeasureGroup.SyncFreshness, w.Risk, evidence);
    }

    /// <summary>
    /// Days of the last 7 with mapping failures, counted only when more such days than the provider's other customers
    /// see are unlikely by chance (binomial tail under 1% at the provider's share of failing connection-days): a stray
    /// record that fails now and then everywhere is the provider's normal, a schema change that fails every day is not.
    /// </summary>
    private static Measure DataQuality(AccountEvidence a, List<ConnectionSummary> connections, ProviderBaselines baselines, DateTime asOf, Func<int, string> name)
    {
        var own = a.Rollups.Where(r => r.BucketStart >= asOf - Recent).GroupBy(r => (r.ProviderId, r.ConnectionId, r.BucketStart.Date))
            .GroupBy(g => g.Key.ProviderId).ToDictionary(p => p.Key, p => (Days: (long)p.Count(), Failing: (long)p.Count(g => g.Any(r => r.MappingFailures > 0))));
        var worst = connections.Where(c => c.MappingFailureDays > 0)
            .Select(c =>
            {
                var mine = own.GetValueOrDefault(c.ProviderId);
                return (c, Share: baselines.MappingFailureDayShare(c.ProviderId, mine.Days, mine.Failing));
            })
            .Where(x => BinomialTail(x.c.MappingFailureDays, 7, x.Share) < 0.01)
            .OrderByDescending(x => x.c.MappingFailureDays).FirstOrDefault();
        if (worst.c is null) return new Measure(MeasureGroup.DataQuality, 0, "");
        var risk = Math.Clamp(worst.c.MappingFailureDays / 7.0, 0, 1);
        return new Measure(MeasureGroup.DataQuality, risk, string.Create(Inv,
            $"{name(worst.c.ProviderId)}: {worst.c.RecentMappingFailures} records failed to map on {worst.c.MappingFailureDays} of the last 7 days (its other customers on {worst.Share * 100:0.#}% of days)"));
    }

    /// <summary>P(X ≥ k) for X binomial with <paramref name="n"/> trials at <paramref name="p"/>.</summary>
    internal static double BinomialTail(int k, int n, double p)
    {
        if (k <= 0) return 1;
        if (p <= 0) return 0;
        var tail = 0.0;
        for (var i = k; i <= n; i++)
        {
            var c = 1.0;
            for (var j = 0; j < i; j++) c = c * (n - j) / (j + 1);
            tail += c * Math.Pow(p, i) * Math.Pow(1 - p, n - i);
        }

        return tail;
    }

    private static Measure Support(AccountEvidence a, DateTime asOf)
    {
        var recent = a.Tickets.Where(t => t.OpenedAt >= asOf.AddDays(-30) && t.OpenedAt < asOf && t.Category is SupportTicketCategory.Integration or null && t.ProviderId is not null).ToList();
        var open = recent.Count(t => t.ResolvedAt is null || t.ResolvedAt > asOf);
        if (recent.Count == 0) return new Measure(MeasureGroup.SupportFriction, 0, "");
        var risk = Math.Clamp(recent.Count / 3.0 + 0.15 * open, 0, 1);
        return new Measure(MeasureGroup.SupportFriction, risk,
            string.Create(Inv, $"{recent.Count} integration tickets in 30 days ({open} still open)"));
    }

    private static Measure Sentiment(AccountEvidence a)
    {
        var responses = a.Surveys.OrderBy(s => s.RespondedAt).ToList();
        if (responses.Count == 0) return new Measure(MeasureGroup.Sentiment, 0, "");
        var latest = responses[^1].Score;
        var risk = latest >= 9 ? 0 : latest >= 7 ? 0.25 : 0.6 + 0.4 * (6 - latest) / 6.0;
        string evidence;
        if (responses.Count > 1 && responses[^2].Score - latest >= 3)
        {
            risk = Math.Clamp(risk + 0.2, 0, 1);
            evidence = string.Create(Inv, $"NPS fell from {responses[^2].Score} to {latest}");
        }
        else
        {
            evidence = latest <= 6 ? string.Create(Inv, $"NPS detractor (last answer {latest})") : "";
        }

        return new Measure(MeasureGroup.Sentiment, risk, risk == 0 ? "" : evidence.Length > 0 ? evidence : string.Create(Inv, $"NPS passive ({latest})"));
    }

    private static Measure Engagement(AccountEvidence a, DateTime asOf)
    {
        var recent = a.ActiveUsers.Count(u => u.Day >= asOf.AddDays(-14));
        var before = a.ActiveUsers.Count(u => u.Day >= asOf.AddDays(-28) && u.Day < asOf.AddDays(-14));
        var risk = 0.0;
        var parts = new List<string>();
        if (before >= 5)
        {
            var decline = 1 - (double)recent / before;
            if (decline > 0.2)
            {
                risk = Math.Clamp((decline - 0.2) / 0.6, 0, 1);
                parts.Add(string.Create(Inv, $"active user-days fell {decline * 100:0}% (from {before} to {recent} in 14 days)"));
            }
        }

        // The last week against the four before it, per week: a decline that began days ago shows here first. Judged
        // with one standard deviation of the usual weekly count in the account's favour, so a small account's chance
        // quiet week is not read as a decline.
        var lastWeek = a.ActiveUsers.Count(u => u.Day >= asOf.AddDays(-7));
        var usualWeek = a.ActiveUsers.Count(u => u.Day >= asOf.AddDays(-35) && u.Day < asOf.AddDays(-7)) / 4.0;
        if (usualWeek >= 5)
        {
            var weekly = 1 - (lastWeek + Math.Sqrt(usualWeek)) / usualWeek;
            var weekRisk = Math.Clamp((weekly - 0.1) / 0.5, 0, 1);
            if (weekRisk > risk)
            {
                risk = weekRisk;
                parts.Insert(0, string.Create(Inv, $"active user-days in the last 7 days {lastWeek} against {usualWeek:0.#} in a usual week"));
            }
        }

        var top = a.ActiveUsers.Where(u => u.Day < asOf.AddDays(-7) && u.Day >= asOf.AddDays(-35))
            .GroupBy(u => u.UserId).Select(g => (User: g.Key, Days: g.Count())).OrderByDescending(x => x.Days).FirstOrDefault();
        if (top.User is not null && top.Days >= 5)
        {
            // Judged against the user's own habit: absent for g days when active on a share f of the usual days happens
            // by chance with probability (1 − f)^g; 10% is nothing, 0.1% is as bad as it gets.
            var lastSeen = a.ActiveUsers.Where(u => u.UserId == top.User).Max(u => u.Day).AddDays(1);
            var away = Math.Floor((asOf - lastSeen).TotalDays);
            var share = top.Days / (Baseline - Recent).TotalDays;
            var chance = Math.Pow(1 - Math.Min(share, 0.99), away);
            var add = 0.4 * Math.Clamp((-Math.Log10(chance) - 1) / 2, 0, 1);
            if (add > 0)
            {
                risk = Math.Clamp(risk + add, 0, 1);
                parts.Add(string.Create(Inv, $"the most active user ({top.Days} of {(Baseline - Recent).TotalDays:0} days active before) has not been seen for {away:0} days"));
            }
        }

        return new Measure(MeasureGroup.Engagement, risk, string.Join("; ", parts));
    }

    private static Measure Depth(List<ConnectionSummary> connections, int declared)
    {
        var total = Math.Max(declared, connections.Count);
        var healthy = connections.Count(c => c.RecentSuccess && c.BrokenSince is null);
        var risk = healthy switch { 0 => 1.0, 1 => 0.6, 2 => 0.3, _ => 0.0 };
        var evidence = healthy == 0
            ? (total == 0 ? "no integration set up" : string.Create(Inv, $"none of {total} connections working"))
            : healthy < total ? string.Create(Inv, $"{total - healthy} of {total} connections degraded") : "";
        if (risk == 0 && evidence.Length > 0) risk = 0.1;
        return new Measure(MeasureGroup.IntegrationDepth, risk, risk == 0 ? "" : evidence);
    }
}
