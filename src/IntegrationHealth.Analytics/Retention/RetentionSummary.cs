using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Retention;

/// <summary>What the summary needs to know about one account.</summary>
/// <param name="Connections">Connections it has.</param>
/// <param name="HealthyConnections">Connections that are active and whose latest sync or request succeeded.</param>
/// <param name="ChurnedInPeriod">It churned within the summary's period.</param>
/// <param name="ActiveAtStart">It was a customer when the period began (created before, not churned before).</param>
/// <param name="Nps">Its latest NPS score in the period, if any.</param>
/// <param name="IntegrationTickets">Integration-category tickets opened in the period.</param>
/// <param name="Tickets">All tickets opened in the period.</param>
public sealed record RetentionAccount(AccountSegment Segment, decimal Arr, int Connections, int HealthyConnections, bool ActiveAtStart,
    bool ChurnedInPeriod, int? Nps, int IntegrationTickets, int Tickets);

/// <summary>Churn of one group: accounts active at the start and how many churned.</summary>
public sealed record ChurnGroup(string Group, int Accounts, int Churned, double? ChurnRate);

/// <summary>The executives' retention summary over one period.</summary>
public sealed record RetentionReport(
    IReadOnlyList<ChurnGroup> ByIntegrationUse,
    IReadOnlyList<ChurnGroup> ByHealthyIntegrations,
    IReadOnlyList<ChurnGroup> BySegmentAndUse,
    double? NrrProxy,
    double? NpsPowerUsers,
    double? NpsOthers,
    double? NpsDelta,
    double? IntegrationAdoption,
    double? DauOverMau,
    int IntegrationTickets,
    double? IntegrationTicketShare);

/// <summary>
/// The retention summary: churn among accounts using integrations (at least one connection) against those who do
/// not, and by number of healthy integrations (0, 1, 2, 3+), overall and by segment; an NRR proxy, the ARR kept (of the
/// ARR active at the start, the share not churned: we know no expansion, so it is gross retention, an upper bound of
/// what churn takes away); the NPS (promoters 9–10 minus detractors 0–6, in points) of integration power users
/// (at least <see cref="PowerUserConnections"/> healthy connections) minus everyone else's; adoption (share of
/// active accounts with a connection); DAU/MAU on integration features; integration-related ticket volume and share.
/// </summary>
public static class RetentionSummary
{
    public const int PowerUserConnections = 3;

    public static double? Nps(IEnumerable<int> scores)
    {
        var list = scores.ToList();
        if (list.Count == 0) return null;
        return 100.0 * (list.Count(s => s >= 9) - list.Count(s => s <= 6)) / list.Count;
    }

    /// <param name="accounts">Every account of the tenant.</param>
    /// <param name="dailyActiveUsers">Distinct users of integration features on each day of the last 30 days.</param>
    /// <param name="monthlyActiveUsers">Distinct users of integration features over those 30 days.</param>
    public static RetentionReport Compute(IReadOnlyList<RetentionAccount> accounts, IReadOnlyList<int> dailyActiveUsers, int monthlyActiveUsers)
    {
        var cohort = accounts.Where(a => a.ActiveAtStart).ToList();
        static ChurnGroup Group(string name, IEnumerable<RetentionAccount> members)
        {
            var list = members.ToList();
            var churned = list.Count(a => a.ChurnedInPeriod);
            return new ChurnGroup(name, list.Count, churned, list.Count == 0 ? null : (double)churned / list.Count);
        }
        static string Use(RetentionAccount a) => a.Connections > 0 ? "integration users" : "non-users";
        static string Healthy(RetentionAccount a) => a.HealthyConnections >= 3 ? "3+" : a.HealthyConnections.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var byUse = new[] { "integration users", "non-users" }.Select(g => Group(g, cohort.Where(a => Use(a) == g))).ToList();
        var byHealthy = new[] { "0", "1", "2", "3+" }.Select(g => Group(g, cohort.Where(a => Healthy(a) == g))).ToList();
        var bySegment = Enum.GetValues<AccountSegment>()
            .SelectMany(s => new[] { "integration users", "non-users" }.Select(g =>
                Group($"{IntegrationHealth.Data.WireNames.Of(s)}: {g}", cohort.Where(a => a.Segment == s && Use(a) == g))))
            .ToList();

        var startArr = cohort.Sum(a => a.Arr);
        double? nrr = startArr == 0 ? null : (double)(cohort.Where(a => !a.ChurnedInPeriod).Sum(a => a.Arr) / startArr);

        var power = Nps(accounts.Where(a => a.HealthyConnections >= PowerUserConnections && a.Nps is not null).Select(a => a.Nps!.Value));
        var others = Nps(accounts.Where(a => a.HealthyConnections < PowerUserConnections && a.Nps is not null).Select(a => a.Nps!.Value));
        var active = accounts.Where(a => !a.ChurnedInPeriod).ToList();
        double? adoption = active.Count == 0 ? null : (double)active.Count(a => a.Connections > 0) / active.Count;
        double? stickiness = monthlyActiveUsers == 0 || dailyActiveUsers.Count == 0 ? null : dailyActiveUsers.Average() / monthlyActiveUsers;
        var integrationTickets = accounts.Sum(a => a.IntegrationTickets);
        var tickets = accounts.Sum(a => a.Tickets);
        return new RetentionReport(byUse, byHealthy, bySegment, nrr, power, others, power is { } p && others is { } o ? p - o : null,
            adoption, stickiness, integrationTickets, tickets == 0 ? null : (double)integrationTickets / tickets);
    }
}
