using System.Globalization;
using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Issues;

/// <summary>A problem found on a connection in the current window.</summary>
public sealed record IssueFinding(int AccountId, int ProviderId, int ConnectionId, IssueKind Kind, string Resource, int Occurrences,
    DateTime LastSeenAt, string Summary)
{
    public (int, int, int, IssueKind, string) Key => (AccountId, ProviderId, ConnectionId, Kind, Resource);
}

/// <summary>
/// Finds connection problems in a tenant's rollups: hourly rows of the detection window and daily rows of the week
/// before it (for what is usual). Pure: tests call it with hand-built rows.
/// </summary>
public static class IssueDetector
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static List<IssueFinding> Detect(IReadOnlyList<ConnectionRollup> hours, IReadOnlyList<ConnectionRollup> days, DateTime now,
        IssueOptions o, Func<int, string> providerName)
    {
        var findings = new List<IssueFinding>();
        var windowStart = now - o.Window;
        var recent = hours.Where(h => h.BucketStart >= windowStart && h.BucketStart < now).ToList();
        // Provider-wide bad hours: hours where the provider fails for OfflineAccounts or more accounts.
        var offlineHours = recent.GroupBy(h => (h.ProviderId, h.BucketStart))
            .Where(g => g.Where(h => h.Requests >= 5 && BadRate(h) >= 0.5).Select(h => h.AccountId).Distinct().Count() >= o.OfflineAccounts)
            .Select(g => g.Key).ToHashSet();

        foreach (var connection in recent.GroupBy(h => (h.AccountId, h.ProviderId, h.ConnectionId)))
        {
            var (account, provider, conn) = connection.Key;
            var rows = connection.ToList();
            var lastSuccess = rows.Max(r => r.LastSuccessAt);
            var credential = rows.Where(r => r.CredentialFailures > 0 && (lastSuccess is null || r.LastFailureAt > lastSuccess)).ToList();
            if (credential.Count > 0)
            {
                var n = credential.Sum(r => r.CredentialFailures);
                findings.Add(new IssueFinding(account, provider, conn, IssueKind.CredentialsRevoked, "", n, credential.Max(r => r.LastFailureAt!.Value),
                    string.Create(Inv, $"{providerName(provider)} credentials rejected {n} times (revoked or expired) with no success since")));
            }

            var forbidden = rows.Where(r => r.Forbidden > 0).GroupBy(r => r.Resource);
            foreach (var f in forbidden)
            {
                var n = f.Sum(r => r.Forbidden);
                if (n < 3) continue;
                findings.Add(new IssueFinding(account, provider, conn, IssueKind.MissingPermission, f.Key, n, f.Max(r => r.LastFailureAt ?? r.BucketStart),
                    string.Create(Inv, $"{providerName(provider)} refused {n} requests{On(f.Key)} with 403 (missing permission or scope)")));
            }

            var offline = rows.Where(r => offlineHours.Contains((provider, r.BucketStart)) && r.Requests >= 5 && BadRate(r) >= 0.5).ToList();
            if (offline.Count > 0)
            {
                findings.Add(new IssueFinding(account, provider, conn, IssueKind.ProviderOffline, "", offline.Sum(r => r.Errors),
                    offline.Max(r => r.LastFailureAt ?? r.BucketStart),
                    string.Create(Inv, $"{providerName(provider)} failing for several customers at once for {offline.Count} hours")));
            }

            foreach (var resource in rows.GroupBy(r => r.Resource))
            {
                var bad = resource.Where(r => r.Requests >= 5 && BadRate(r) >= o.ErrorRate && !offlineHours.Contains((provider, r.BucketStart))).ToList();
                if (bad.Count >= o.SustainedHours)
                {
                    var requests = bad.Sum(r => r.Requests - r.RateLimited);
                    var errors = bad.Sum(r => r.Errors - r.RateLimited - r.AuthErrors);
                    findings.Add(new IssueFinding(account, provider, conn, IssueKind.SustainedErrors, resource.Key, errors, bad.Max(r => r.LastFailureAt ?? r.BucketStart),
                        string.Create(Inv, $"{providerName(provider)}{On(resource.Key)}: {errors} of {requests} requests failed in {bad.Count} bad hours")));
                }

                var mapping = resource.Sum(r => r.MappingFailures);
                if (mapping >= o.MappingFailures)
                {
                    findings.Add(new IssueFinding(account, provider, conn, IssueKind.MappingFailures, resource.Key, mapping, resource.Max(r => r.BucketStart) + TimeSpan.FromHours(1),
                        string.Create(Inv, $"{providerName(provider)}{On(resource.Key)}: {mapping} records failed to map in {o.Window.TotalHours:0} hours (schema change?)")));
                }
            }
        }

        // Syncs: usual in the whole days of the week before (daily rows), absent or only empty in the last StaleDays
        // (hourly rows, which the caller loads for at least that long).
        var staleFrom = now.AddDays(-o.StaleDays);
        var latestBySync = hours.Where(h => h.BucketStart >= staleFrom && h.BucketStart < now).ToLookup(r => (r.AccountId, r.ProviderId, r.ConnectionId, r.Resource));
        foreach (var sync in days.Where(d => d.BucketStart + TimeSpan.FromDays(1) <= staleFrom && d.BucketStart >= staleFrom.AddDays(-8))
                     .GroupBy(r => (r.AccountId, r.ProviderId, r.ConnectionId, r.Resource)))
        {
            var (account, provider, conn, resource) = sync.Key;
            var usualRuns = sync.Sum(r => r.SyncRuns);
            if (usualRuns < 3) continue;
            var latest = latestBySync[sync.Key].ToList();
            var runs = latest.Sum(r => r.SyncRuns);
            var usualRecords = sync.Sum(r => r.SyncRecords);
            if (runs == 0)
            {
                findings.Add(new IssueFinding(account, provider, conn, IssueKind.StalledSync, resource, o.StaleDays, now,
                    string.Create(Inv, $"{providerName(provider)}{On(resource)} sync has not run for {o.StaleDays} days (it ran {usualRuns} times the week before)")));
            }
            else if (usualRecords > 0 && latest.Sum(r => r.SyncRecords) == 0 && latest.Sum(r => r.EmptySyncs) > 0)
            {
                var empty = latest.Sum(r => r.EmptySyncs);
                var perRun = usualRecords / Math.Max(1, usualRuns - sync.Sum(r => r.SyncFailures));
                findings.Add(new IssueFinding(account, provider, conn, IssueKind.EmptySync, resource, empty, now,
                    string.Create(Inv, $"{providerName(provider)}{On(resource)} sync returned 0 records in {empty} runs over {o.StaleDays} days (usually {perRun} per run)")));
            }
        }

        return findings;
    }

    /// <summary>Failed requests per request, without rate-limit answers.</summary>
    private static double BadRate(ConnectionRollup r) => RollupRates.ErrorRateExcludingRateLimits(r);

    private static string On(string resource) => resource.Length == 0 ? "" : " on " + resource;
}
