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
/// rate (without rate-limit answers), so a provider every customer sees failing singles nobody out.</summary>
public sealed class ProviderBaselines
{
    private readonly Dictionary<int, double> _errorRates;

    public ProviderBaselines(Dictionary<int, double> errorRates) => _errorRates = errorRates;

    /// <summary>The provider's pooled recent error rate, 0 when unknown.</summary>
    public double ErrorRate(int providerId) => _errorRates.GetValueOrDefault(providerId);

    /// <summary>Pools the recent windows of all accounts' rollups by provider.</summary>
    public static ProviderBaselines From(IEnumerable<AccountEvidence> accounts, DateTime asOf, TimeSpan recent)
    {
        var sums = new Dictionary<int, (long Requests, long Errors)>();
        foreach (var account in accounts)
        foreach (var r in account.Rollups)
        {
            if (r.BucketStart < asOf - recent) continue;
            var s = sums.GetValueOrDefault(r.ProviderId);
            sums[r.ProviderId] = (s.Requests + r.Requests - r.RateLimited, s.Errors + r.Errors - r.RateLimited);
        }

        return new ProviderBaselines(sums.Where(p => p.Value.Requests > 0)
            .ToDictionary(p => p.Key, p => (double)p.Value.Errors / p.Value.Requests));
    }
}
