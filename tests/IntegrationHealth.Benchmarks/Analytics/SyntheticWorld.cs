using IntegrationHealth.Analytics.Scoring;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Benchmarks.Analytics;

/// <summary>
/// A second world with mechanics unlike the demo's, built straight as day rollups: three providers; accounts of very
/// different sizes (10 to 20,000 requests a day); churn driven by a <b>chronic</b> error rate above the provider's
/// (present from the first day, so no change over time shows it), by syncs that keep succeeding with <b>zero
/// records</b>, by the <b>most active user</b> going quiet and by NPS detractors, not by connection counts. Noise that
/// must not be read as risk: a platform-wide outage of one provider for everyone, rate-limit bursts that recover, and
/// large accounts with many errors at the normal rate.
/// </summary>
internal static class SyntheticWorld
{
    public static EvaluationWorld Build(int seed, int accounts, int days)
    {
        var random = new Random(seed);
        var end = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var start = end.AddDays(-days);
        var list = new List<EvaluationAccount>();
        for (var i = 1; i <= accounts; i++)
        {
            var size = Math.Exp(random.NextDouble() * Math.Log(2000)) * 10; // 10 … 20,000 requests a day, log-uniform
            var chronic = random.NextDouble() < 0.12;
            var emptyFrom = random.NextDouble() < 0.10 ? start.AddDays(random.Next(days / 3, days)) : (DateTime?)null;
            var quietFrom = random.NextDouble() < 0.12 ? start.AddDays(random.Next(days / 3, days)) : (DateTime?)null;
            var detractor = random.NextDouble() < 0.15;
            var logit = -3.6 + (chronic ? 2.2 : 0) + (emptyFrom is not null ? 2.0 : 0) + (quietFrom is not null ? 2.0 : 0) + (detractor ? 1.3 : 0);
            var churns = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            var drivers = new List<string>();
            if (chronic) drivers.Add("chronic error rate");
            if (emptyFrom is not null) drivers.Add("silently empty syncs");
            if (quietFrom is not null) drivers.Add("top user quiet");
            if (detractor) drivers.Add("nps detractor");
            var latestSignal = new[] { emptyFrom, quietFrom }.Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(start.AddDays(days * 0.3)).Max();
            DateTime? churnedAt = churns ? latestSignal.AddDays(3 + random.NextDouble() * Math.Max(1, (end - latestSignal).TotalDays - 3)) : null;
            if (churnedAt >= end) churnedAt = end.AddHours(-1);
            var provider = 1 + random.Next(3);
            var account = new EvaluationAccount
            {
                Id = i, Arr = (decimal)(size * 50), CreatedAt = start.AddDays(-400), ChurnedAt = churnedAt, Connections = 1,
                Driver = drivers.Count == 0 ? "none named" : drivers[0],
            };
            for (var d = 0; d < days; d++)
            {
                var day = start.AddDays(d);
                if (churnedAt is { } c && day >= c) break;
                var requests = (int)Math.Max(5, size * (0.8 + 0.4 * random.NextDouble()));
                var rate = (chronic ? 0.15 : 0.01) + (provider == 2 && d == days / 2 ? 0.7 : 0); // provider 2's outage day hits all
                var errors = Binomial(random, requests, rate);
                var rateLimited = random.NextDouble() < 0.05 ? requests / 3 : 0; // bursts that recover the same day
                var empty = emptyFrom is { } ef && day >= ef;
                var runs = 4;
                account.Days.Add(new ConnectionRollup
                {
                    TenantId = 1, Grain = RollupGrain.Day, BucketStart = day, AccountId = i, ProviderId = provider, ConnectionId = i, Resource = "records",
                    Requests = requests + rateLimited, Errors = errors + rateLimited, ServerErrors = errors, RateLimited = rateLimited, SyncRuns = runs,
                    SyncRecords = empty ? 0 : runs * 50, EmptySyncs = empty ? runs : 0, LastSyncWithRecordsAt = empty ? null : day.AddHours(20),
                    LastSuccessAt = day.AddHours(22), LastFailureAt = errors > 0 ? day.AddHours(21) : null,
                });
                for (var u = 0; u < 4; u++)
                {
                    var active = u == 0 ? !(quietFrom is { } q && day >= q) : random.NextDouble() < 0.4;
                    if (active) account.Users.Add(new ActiveUserDay { TenantId = 1, AccountId = i, Day = day, UserId = "user-" + u });
                }
            }

            var npsAt = start.AddDays(random.Next(5, days - 5));
            account.Surveys.Add(new SurveyResponse { AccountId = i, ExternalId = "nps-" + i, Score = detractor ? random.Next(0, 6) : random.Next(7, 11), RespondedAt = npsAt });
            list.Add(account);
        }

        return new EvaluationWorld
        {
            Start = start, End = end, Accounts = list,
            ProviderNames = new Dictionary<int, string> { [1] = "Alpha", [2] = "Beta", [3] = "Gamma" },
        };
    }

    private static int Binomial(Random random, int n, double p)
    {
        if (n > 200) return (int)Math.Max(0, Math.Round(n * p + Math.Sqrt(n * p * (1 - p)) * Normal(random)));
        var k = 0;
        for (var i = 0; i < n; i++) if (random.NextDouble() < p) k++;
        return k;
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
