using IntegrationHealth.Analytics.Reliability;
using IntegrationHealth.Analytics.Retention;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Tests.Signals;

public sealed class ScorecardAndRetentionTests
{
    private static readonly DateTime Monday = new(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void PeriodStart_IsoWeekFromMonday_AndCalendarMonth()
    {
        Assert.Equal(Monday, ReliabilityScorecard.PeriodStart(new DateTime(2026, 11, 8, 23, 0, 0, DateTimeKind.Utc), ScorecardPeriod.Weekly)); // Sunday
        Assert.Equal(Monday, ReliabilityScorecard.PeriodStart(Monday.AddHours(5), ScorecardPeriod.Weekly));
        Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), ReliabilityScorecard.PeriodStart(Monday.AddDays(20), ScorecardPeriod.Monthly));
    }

    [Fact]
    public void Compute_KnownWeek_GivesEachMeasureAgainstItsBenchmark()
    {
        IncidentTimes[] incidents =
        [
            new(1, Monday.AddHours(1), Monday.AddHours(1.5), Monday.AddHours(3)), // ack 0.5 h, resolve 2 h
            new(1, Monday.AddHours(10), Monday.AddHours(11.5), Monday.AddHours(16)), // ack 1.5 h, resolve 6 h
            new(1, Monday.AddDays(-1), Monday, Monday), // previous week: left out
        ];
        TicketTimes[] tickets =
        [
            new(1, Monday.AddHours(1), Monday.AddHours(1.5)), // within 1 h
            new(1, Monday.AddHours(2), Monday.AddHours(4)), // 2 h: missed
            new(1, Monday.AddHours(3), null), // never answered, long past the SLA: missed
            new(1, Monday.AddDays(7).AddHours(-0.5), null), // opened 30 min before the end, not yet past the SLA: not judged
        ];
        var line = ReliabilityScorecard.Compute(1, Monday, ScorecardPeriod.Weekly, requests: 100_000, successes: 99_950,
            incidents, tickets, now: Monday.AddDays(7), new ScorecardTargets());
        var m = line.Measures.ToDictionary(x => x.Name);
        Assert.Equal(0.9995, m["uptime"].Value!.Value, 10);
        Assert.True(m["uptime"].MeetsTarget);
        Assert.Equal(1.0, m["mean_time_to_acknowledge"].Value!.Value, 10);
        Assert.False(m["mean_time_to_acknowledge"].MeetsTarget); // not under 1 h
        Assert.Equal(4.0, m["mean_time_to_resolve"].Value!.Value, 10);
        Assert.False(m["mean_time_to_resolve"].MeetsTarget);
        Assert.Equal(1 / 3.0, m["first_response_sla_attainment"].Value!.Value, 10);
        Assert.Equal(3, m["first_response_sla_attainment"].Samples);
        Assert.Equal(Monday.AddDays(7), line.PeriodEnd);
    }

    [Fact]
    public void Compute_OpenIncident_CountsUpToNow()
    {
        var line = ReliabilityScorecard.Compute(null, Monday, ScorecardPeriod.Weekly, 0, 0,
            [new IncidentTimes(null, Monday.AddHours(1), null, null)], [], now: Monday.AddHours(3), new ScorecardTargets());
        var m = line.Measures.ToDictionary(x => x.Name);
        Assert.Equal(2, m["mean_time_to_acknowledge"].Value!.Value, 10);
        Assert.Null(m["uptime"].Value);
    }

    private static RetentionAccount Account(AccountSegment segment, decimal arr, int connections, int healthy, bool churned, int? nps = null,
        int integrationTickets = 0, int tickets = 0) => new(segment, arr, connections, healthy, true, churned, nps, integrationTickets, tickets);

    [Fact]
    public void Compute_KnownAccounts_GivesChurnNrrNpsAndAdoption()
    {
        RetentionAccount[] accounts =
        [
            Account(AccountSegment.Smb, 10_000, 0, 0, churned: true, nps: 3, tickets: 2),
            Account(AccountSegment.Smb, 10_000, 0, 0, churned: false, nps: 7),
            Account(AccountSegment.Smb, 20_000, 2, 1, churned: true, nps: 5, integrationTickets: 2, tickets: 2),
            Account(AccountSegment.Enterprise, 200_000, 4, 3, churned: false, nps: 10, integrationTickets: 1, tickets: 1),
            Account(AccountSegment.Enterprise, 160_000, 3, 3, churned: false, nps: 9),
            new(AccountSegment.Smb, 5_000, 1, 1, ActiveAtStart: false, ChurnedInPeriod: false, Nps: null, 0, 0), // joined later
        ];
        var report = RetentionSummary.Compute(accounts, dailyActiveUsers: [10, 20, 30], monthlyActiveUsers: 80);
        var use = report.ByIntegrationUse.ToDictionary(g => g.Group);
        Assert.Equal(1 / 3.0, use["integration users"].ChurnRate!.Value, 10);
        Assert.Equal(0.5, use["non-users"].ChurnRate!.Value, 10);
        var healthy = report.ByHealthyIntegrations.ToDictionary(g => g.Group);
        Assert.Equal(2, healthy["0"].Accounts);
        Assert.Equal(1.0, healthy["1"].ChurnRate!.Value, 10);
        Assert.Equal(0.0, healthy["3+"].ChurnRate!.Value, 10);
        Assert.Null(healthy["2"].ChurnRate);
        Assert.Equal(0.0, report.BySegmentAndUse.Single(g => g.Group == "enterprise: integration users").ChurnRate!.Value, 10);
        Assert.Equal(370_000.0 / 400_000.0, report.NrrProxy!.Value, 10);
        Assert.Equal(100, report.NpsPowerUsers!.Value, 10); // 10 and 9: both promoters
        Assert.Equal(-200 / 3.0, report.NpsOthers!.Value, 10); // 3, 7, 5: two detractors, one passive
        Assert.Equal(100 + 200 / 3.0, report.NpsDelta!.Value, 10);
        Assert.Equal(0.75, report.IntegrationAdoption!.Value, 10); // of the 4 not churned, 3 have a connection
        Assert.Equal(0.25, report.DauOverMau!.Value, 10);
        Assert.Equal(3, report.IntegrationTickets);
        Assert.Equal(0.6, report.IntegrationTicketShare!.Value, 10);
    }
}
