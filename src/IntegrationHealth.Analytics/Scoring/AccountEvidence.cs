using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Scoring;

/// <summary>
/// Everything known about one account as of an instant, as the scorers read it: its day rollups (and the hours of the
/// as-of day before the instant, as day rows), active-user days, support tickets, NPS responses and open issues, all
/// restricted to what happened before the instant. Built by <see cref="EvidenceLoader"/> or by hand in tests.
/// </summary>
public sealed class AccountEvidence
{
    public required int AccountId { get; init; }
    public string Name { get; init; } = "";
    public decimal Arr { get; init; }
    /// <summary>Rollup rows of the account (any grain; merged by connection and resource), before the as-of instant.</summary>
    public List<ConnectionRollup> Rollups { get; init; } = [];
    public List<ActiveUserDay> ActiveUsers { get; init; } = [];
    public List<SupportTicket> Tickets { get; init; } = [];
    public List<SurveyResponse> Surveys { get; init; } = [];
    /// <summary>Issues open at the as-of instant that are not muted.</summary>
    public List<ConnectionIssue> OpenIssues { get; init; } = [];
    /// <summary>Connections the account had at the instant (to count those that send nothing at all).</summary>
    public int Connections { get; init; }
}

/// <summary>What is normal for a provider across the tenant's accounts in the recent window: the pooled request error
/// rate (without rate-limit answers), per provider and per provider × resource, so a provider (or one of its
/// resources) every customer sees failing singles nobody out. An account is compared with the <b>other</b> accounts:
/// its own requests are taken out of the pool, so in a small tenant one failing account does not lift its own bar.
/// Also per day (<see cref="DayErrorRate"/>), so a past day on which the provider failed for everyone is normal for
/// that day.</summary>
public sealed class ProviderBaselines
{
    /// <summary>Requests a provider × resource pool needs before its own rate is used instead of the provider's.</summary>
    public const long MinResourcePool = 200;

    private readonly Dictionary<int, (long Requests, long Errors)> _providers;
    private readonly Dictionary<(int, string), (long Requests, long Errors)> _resources;
    private readonly Dictionary<(int, string, DateTime), (long Requests, long Errors)> _resourceDays;
    private readonly Dictionary<(int, DateTime), (long Requests, long Errors)> _providerDays;
    private readonly Dictionary<int, (long ConnectionDays, long FailingDays)> _mappingDays = [];

    public ProviderBaselines(Dictionary<int, (long Requests, long Errors)> providers, Dictionary<(int, string), (long Requests, long Errors)>? resources = null,
        Dictionary<(int, string, DateTime), (long Requests, long Errors)>? resourceDays = null, Dictionary<(int, DateTime), (long Requests, long Errors)>? providerDays = null)
    {
        _providers = providers;
        _resources = resources ?? [];
        _resourceDays = resourceDays ?? [];
        _providerDays = providerDays ?? [];
    }

    /// <summary>The share of the provider's recent connection-days (a connection with any rollup that day) on which
    /// records failed to map, at the other accounts (without the given own counts); 0 when nothing else is known.</summary>
    public double MappingFailureDayShare(int providerId, long ownConnectionDays = 0, long ownFailingDays = 0)
    {
        var pool = _mappingDays.GetValueOrDefault(providerId);
        var days = pool.ConnectionDays - ownConnectionDays;
        return days <= 0 ? 0 : Math.Max(0, pool.FailingDays - ownFailingDays) / (double)days;
    }

    /// <summary>The provider × resource pooled rate on one day (UTC date) without the account's own requests, falling
    /// back to the provider's on that day, then to its recent rate, when the day's pool is small: so a day on which the
    /// provider failed for everyone (a platform outage) is normal for that day.</summary>
    public double DayErrorRate(int providerId, string resource, DateTime day, long ownRequests, long ownErrors)
    {
        var pool = _resourceDays.GetValueOrDefault((providerId, resource, day));
        if (pool.Requests - ownRequests >= MinResourcePool) return Rate(pool, ownRequests, ownErrors, MinResourcePool);
        var provider = _providerDays.GetValueOrDefault((providerId, day));
        return provider.Requests - ownRequests >= MinResourcePool ? Rate(provider, ownRequests, ownErrors, MinResourcePool) : ErrorRate(providerId);
    }

    /// <summary>The provider's pooled recent error rate without the given requests and errors (the account's own), 0
    /// when nothing else is known.</summary>
    public double ErrorRate(int providerId, long ownRequests = 0, long ownErrors = 0) =>
        Rate(_providers.GetValueOrDefault(providerId), ownRequests, ownErrors, 1);

    /// <summary>The provider × resource pooled rate without the account's own, or the provider's when that pool is small.</summary>
    public double ErrorRate(int providerId, string resource, long ownRequests, long ownErrors)
    {
        var pool = _resources.GetValueOrDefault((providerId, resource));
        return pool.Requests - ownRequests >= MinResourcePool ? Rate(pool, ownRequests, ownErrors, MinResourcePool) : ErrorRate(providerId);
    }

    private static double Rate((long Requests, long Errors) pool, long ownRequests, long ownErrors, long minimum)
    {
        var requests = pool.Requests - ownRequests;
        return requests < minimum ? 0 : Math.Max(0, pool.Errors - ownErrors) / (double)requests;
    }

    /// <summary>Pools the recent windows of all accounts' rollups by provider and by provider × resource, and every day
    /// of them by provider (× resource) and day.</summary>
    public static ProviderBaselines From(IEnumerable<AccountEvidence> accounts, DateTime asOf, TimeSpan recent)
    {
        var providers = new Dictionary<int, (long Requests, long Errors)>();
        var resources = new Dictionary<(int, string), (long Requests, long Errors)>();
        var resourceDays = new Dictionary<(int, string, DateTime), (long Requests, long Errors)>();
        var providerDays = new Dictionary<(int, DateTime), (long Requests, long Errors)>();
        foreach (var account in accounts)
        foreach (var r in account.Rollups)
        {
            var d = resourceDays.GetValueOrDefault((r.ProviderId, r.Resource, r.BucketStart.Date));
            resourceDays[(r.ProviderId, r.Resource, r.BucketStart.Date)] = (d.Requests + r.Requests - r.RateLimited, d.Errors + r.Errors - r.RateLimited);
            var p = providerDays.GetValueOrDefault((r.ProviderId, r.BucketStart.Date));
            providerDays[(r.ProviderId, r.BucketStart.Date)] = (p.Requests + r.Requests - r.RateLimited, p.Errors + r.Errors - r.RateLimited);
            if (r.BucketStart < asOf - recent) continue;
            var s = providers.GetValueOrDefault(r.ProviderId);
            providers[r.ProviderId] = (s.Requests + r.Requests - r.RateLimited, s.Errors + r.Errors - r.RateLimited);
            var t = resources.GetValueOrDefault((r.ProviderId, r.Resource));
            resources[(r.ProviderId, r.Resource)] = (t.Requests + r.Requests - r.RateLimited, t.Errors + r.Errors - r.RateLimited);
        }

        var baselines = new ProviderBaselines(providers, resources, resourceDays, providerDays);
        foreach (var g in accounts.SelectMany(a => a.Rollups).Where(r => r.BucketStart >= asOf - recent)
                     .GroupBy(r => (r.ProviderId, r.ConnectionId, r.BucketStart.Date)))
        {
            var m = baselines._mappingDays.GetValueOrDefault(g.Key.ProviderId);
            baselines._mappingDays[g.Key.ProviderId] = (m.ConnectionDays + 1, m.FailingDays + (g.Any(r => r.MappingFailures > 0) ? 1 : 0));
        }

        return baselines;
    }
}
