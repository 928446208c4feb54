using System.Globalization;
using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Scoring;

/// <summary>
/// Turns an account's evidence into the eight measures, each a risk 0–1 with its evidence in words. The rules that
/// make scores generalise beyond one customer base:
/// <list type="bullet">
/// <item>reliability is a <b>rate</b> in the recent window (7 days) <b>above the provider's baseline</b> across all
/// accounts, not a count: a large account with many errors at the normal rate is healthy, and an outage every
/// customer of the provider sees lifts the baseline with the account, so it singles nobody out. Rate-limit answers
/// are left out (bursts that recover are noise);</item>
/// <item>credential breakage counts by <b>duration</b>: failures after the connection's last success, scaled from a
/// few hours (minor) to a week (severe); a re-authorised connection has no credential risk, so a problem resolved
/// weeks ago has faded;</item>
/// <item>staleness is read from sync outcomes, not request errors: syncs that stopped, or that succeed with zero
/// records, where the connection's baseline (days 8–35) had records;</item>
/// <item>engagement compares the account with its own past (active user-days of the last 14 days against the 14
/// before), and notices the most active user going quiet;</item>
/// <item>depth: no working connection is itself a risk, each healthy one lowers it.</item>
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
            Reliability(connections, baselines, providerName),
            Credentials(connections, asOf, providerName),
            Freshness(a, asOf, providerName),
            DataQuality(connections, providerName),
            Support(a, asOf),
            Sentiment(a),
            Engagement(a, asOf),
            Depth(connections, a.Connections),
        ];
    }

    private sealed record ConnectionSummary(int ProviderId, int ConnectionId, long RecentRequests, long RecentErrors, long BaselineRequests,
        long BaselineErrors, DateTime? LastSuccess, DateTime? BrokenSince, int MappingFailureDays, long RecentMappingFailures, bool RecentSuccess);

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

        return new ConnectionSummary(provider, connection, rr, re, br, be, lastSuccess, brokenSince, mappingDays.Count, mappings, recentSuccess);
    }

    private static Measure Reliability(List<ConnectionSummary> connections, ProviderBaselines baselines, Func<int, string> name)
    {
        var worst = connections.Where(c => c.RecentRequests >= MinRequestsForRate && c.BrokenSince is null)
            .Select(c => (c, Rate: (double)c.RecentErrors / c.RecentRequests, Base: baselines.ErrorRate(c.ProviderId)))
            .OrderByDescending(x => x.Rate - x.Base).FirstOrDefault();
        if (worst.c is null) return new Measure(MeasureGroup.IntegrationReliability, 0, "");
        var excess = Math.Max(0, worst.Rate - worst.Base);
        // 20 percentage points above the provider's normal is as bad as it gets; under 2 points is noise.
        var risk = excess < 0.02 ? 0 : Math.Clamp(excess / 0.20, 0, 1);
        var own = worst.c.BaselineRequests >= MinRequestsForRate ? (double)worst.c.BaselineErrors / worst.c.BaselineRequests : (double?)null;
        var evidence = risk == 0 ? ""
            : string.Create(Inv, $"{name(worst.c.ProviderId)} error rate {worst.Rate * 100:0.0}% over 7 days against {worst.Base * 100:0.0}% for its other customers")
              + (own is { } o ? string.Create(Inv, $" and {o * 100:0.0}% for this account before") : "");
        return new Measure(MeasureGroup.IntegrationReliability, risk, evidence);
    }

    private static Measure Credentials(List<ConnectionSummary> connections, DateTime asOf, Func<int, string> name)
    {
        var broken = connections.Where(c => c.BrokenSince is not null).OrderBy(c => c.BrokenSince).ToList();
        if (broken.Count == 0) return new Measure(MeasureGroup.CredentialHealth, 0, "");
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

    private static Measure DataQuality(List<ConnectionSummary> connections, Func<int, string> name)
    {
        var worst = connections.OrderByDescending(c => c.MappingFailureDays).FirstOrDefault();
        if (worst is null || worst.MappingFailureDays == 0) return new Measure(MeasureGroup.DataQuality, 0, "");
        var risk = Math.Clamp(worst.MappingFailureDays / 7.0, 0, 1);
        return new Measure(MeasureGroup.DataQuality, risk,
            string.Create(Inv, $"{name(worst.ProviderId)}: {worst.RecentMappingFailures} records failed to map on {worst.MappingFailureDays} of the last 7 days"));
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

        var top = a.ActiveUsers.Where(u => u.Day < asOf.AddDays(-7) && u.Day >= asOf.AddDays(-35))
            .GroupBy(u => u.UserId).Select(g => (User: g.Key, Days: g.Count())).OrderByDescending(x => x.Days).FirstOrDefault();
        if (top.User is not null && top.Days >= 5 && !a.ActiveUsers.Any(u => u.UserId == top.User && u.Day >= asOf.AddDays(-7)))
        {
            risk = Math.Clamp(risk + 0.4, 0, 1);
            parts.Add(string.Create(Inv, $"the most active user ({top.Days} days active before) has not been seen for 7 days"));
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
