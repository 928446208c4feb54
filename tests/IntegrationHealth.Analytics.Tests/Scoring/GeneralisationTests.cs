using IntegrationHealth.Analytics.Scoring;
using IntegrationHealth.Data.Entities;
using static IntegrationHealth.Analytics.Tests.Scoring.HandBuiltWorld;

namespace IntegrationHealth.Analytics.Tests.Scoring;

/// <summary>Scores that generalise (issue item 5), each on a hand-built world with known answers.</summary>
public sealed class GeneralisationTests
{
    private static readonly ScoringOptions Options = new();

    [Fact]
    public void Reliability_HugeAccountWithManyErrorsAtTheNormalRate_IsHealthy_SmallOneAboveItIsNot()
    {
        var huge = Account(1, Normal(1, requests: 100_000, errors: 1_000));   // 1,000 errors a day, 1%
        var small = Account(2, Normal(2, requests: 100, errors: 12));          // 12 errors a day, 12%
        var world = Peers().Append(huge).Append(small).ToList();

        Assert.Equal(0, Measures(huge, world).Of(MeasureGroup.IntegrationReliability).Risk);
        var risk = Measures(small, world).Of(MeasureGroup.IntegrationReliability);
        Assert.InRange(risk.Risk, 0.4, 0.6); // ~11 points above the ~1% baseline, of 20 for the worst
        Assert.Contains("12.0%", risk.Evidence);
    }

    [Fact]
    public void Reliability_ProviderWhoseEveryCustomerSeesFivePercentTimeouts_SinglesNobodyOut()
    {
        var world = Enumerable.Range(1, 6).Select(i => Account(i, Enumerable.Range(1, 35).Select(d => Day(i, d, requests: 400, errors: 0, timeouts: 20)))).ToList();

        Assert.All(world, a => Assert.Equal(0, Measures(a, world).Of(MeasureGroup.IntegrationReliability).Risk));
    }

    [Fact]
    public void Reliability_ChronicProblemSinceBeforeTheWindow_ShowsAgainstTheProviderBaseline()
    {
        // 30% errors every day of its history: against its own past nothing changed, against its peers it stands out.
        var chronic = Account(1, Normal(1, errors: 60));
        var world = Peers().Append(chronic).ToList();

        Assert.True(Measures(chronic, world).Of(MeasureGroup.IntegrationReliability).Risk >= 0.99);
    }

    [Fact]
    public void PlatformWideOutage_AffectsEveryoneAlike_AndSinglesOutNoAccount()
    {
        // Day 2 back: the provider fails 80% for everyone; otherwise normal.
        var world = Enumerable.Range(1, 8).Select(i => Account(i,
            Normal(i).Where(r => r.BucketStart != AsOf.AddDays(-2)).Append(Day(i, 2, requests: 200, errors: 160)))).ToList();

        var scores = world.Select(a => ScorecardScorer.Score(a.AccountId, Measures(a, world), Options).Score).Distinct().ToList();
        Assert.Single(scores);
        Assert.All(world, a => Assert.Equal(0, Measures(a, world).Of(MeasureGroup.IntegrationReliability).Risk));
    }

    [Fact]
    public void Credentials_DurationAndRecency_HoursAreMinor_DaysSevere_ResolvedFades()
    {
        var peers = Peers();
        // Re-authorised within hours: a failure, then success again on the same day → no credential risk.
        var reauthorised = Account(1, Normal(1, fromDay: 2).Append(Day(1, 1, credentialFailures: 3, success: true)));
        reauthorised.Rollups[^1].LastFailureAt = AsOf.AddDays(-1).AddHours(2);
        reauthorised.Rollups[^1].LastSuccessAt = AsOf.AddDays(-1).AddHours(5);
        // Broken 5 days ago and still broken (nothing succeeded since).
        var broken = Account(2, Normal(2, fromDay: 6).Concat(Enumerable.Range(1, 5).Select(d => Day(2, d, requests: 10, errors: 0, credentialFailures: 10, success: false, syncRuns: 0, records: 0))));
        // Broken a month ago for two days, fixed since.
        var healed = Account(3, Normal(3).Where(r => r.BucketStart > AsOf.AddDays(-28) || r.BucketStart < AsOf.AddDays(-30))
            .Append(Day(3, 29, credentialFailures: 8, success: false)).Append(Day(3, 30, credentialFailures: 8, success: false)));
        // Broken six hours ago.
        var fresh = Account(4, Normal(4, fromDay: 2).Append(Day(4, 1, credentialFailures: 2, success: true)));
        fresh.Rollups[^1].LastSuccessAt = AsOf.AddHours(-6);
        fresh.Rollups[^1].LastFailureAt = AsOf.AddHours(-1);
        var world = peers.Concat([reauthorised, broken, healed, fresh]).ToList();

        Assert.Equal(0, Measures(reauthorised, world).Of(MeasureGroup.CredentialHealth).Risk);
        Assert.Equal(0, Measures(healed, world).Of(MeasureGroup.CredentialHealth).Risk);
        var minor = Measures(fresh, world).Of(MeasureGroup.CredentialHealth);
        Assert.InRange(minor.Risk, 0.09, 0.15);
        Assert.Contains("6 hours", minor.Evidence);
        var severe = Measures(broken, world).Of(MeasureGroup.CredentialHealth);
        Assert.True(severe.Risk >= 0.7, $"risk {severe.Risk}");
        Assert.Contains("still broken", severe.Evidence);
    }

    [Fact]
    public void Freshness_SyncsSucceedingWithZeroRecordsForDays_IsFoundAlthoughRequestsLookNormal()
    {
        var silent = Account(1, Normal(1, fromDay: 6).Concat(Enumerable.Range(1, 5).Select(d => Day(1, d, records: 0, emptySyncs: 4))));
        var stopped = Account(2, Normal(2, fromDay: 5).Concat(Enumerable.Range(1, 4).Select(d => Day(2, d, syncRuns: 0, records: 0))));
        var world = Peers().Concat([silent, stopped]).ToList();

        var m = Measures(silent, world);
        Assert.Equal(0, m.Of(MeasureGroup.IntegrationReliability).Risk);
        Assert.True(m.Of(MeasureGroup.SyncFreshness).Risk >= 0.5);
        Assert.Contains("returned 0 records for", m.Of(MeasureGroup.SyncFreshness).Evidence);
        Assert.Contains("has not brought records for", Measures(stopped, world).Of(MeasureGroup.SyncFreshness).Evidence);
        Assert.Equal(0, Measures(world[0], world).Of(MeasureGroup.SyncFreshness).Risk);
    }

    [Fact]
    public void RateLimitBurstsThatRecover_AreNoise()
    {
        var bursty = Account(1, Normal(1).Where(r => r.BucketStart != AsOf.AddDays(-3)).Append(Day(1, 3, requests: 400, errors: 2, rateLimited: 200)));
        var world = Peers().Append(bursty).ToList();

        var score = ScorecardScorer.Score(1, Measures(bursty, world), Options);
        var peer = ScorecardScorer.Score(100, Measures(world[0], world), Options);
        Assert.Equal(peer.Score, score.Score);
    }

    /// <summary>An account with normal traffic and users "power", "u1" and "u2", each active on the days of the last 35
    /// for which <paramref name="active"/>(days ago, user) holds.</summary>
    private static AccountEvidence WithUsers(int id, Func<int, string, bool> active)
    {
        var a = Account(id, Normal(id));
        foreach (var user in new[] { "power", "u1", "u2" })
            for (var d = 1; d <= 35; d++)
                if (active(d, user)) a.ActiveUsers.Add(new ActiveUserDay { TenantId = 1, AccountId = id, Day = AsOf.AddDays(-d), UserId = user });
        return a;
    }

    [Fact]
    public void Engagement_UsageDeclineAndTheMostActiveUserGoingQuiet_AddRisk()
    {
        var steady = WithUsers(1, (d, u) => u == "power" || d % 2 == 0);
        var topQuiet = WithUsers(2, (d, u) => u == "power" ? d > 7 : d % 2 == 0);
        var declining = WithUsers(3, (d, u) => d > 14 || (u == "power" && d % 3 == 0));
        var world = new List<AccountEvidence> { steady, topQuiet, declining };

        Assert.Equal(0, Measures(steady, world).Of(MeasureGroup.Engagement).Risk);
        var quiet = Measures(topQuiet, world).Of(MeasureGroup.Engagement);
        Assert.True(quiet.Risk >= 0.4);
        Assert.Contains("most active user", quiet.Evidence);
        var decline = Measures(declining, world).Of(MeasureGroup.Engagement);
        Assert.True(decline.Risk >= 0.8, $"risk {decline.Risk}");
        Assert.Contains("fell", decline.Evidence);
    }

    [Fact]
    public void Depth_NoWorkingIntegrationIsARisk_AndEachHealthyConnectionLowersIt()
    {
        var none = Account(1, [], connections: 2);
        var one = Account(2, Normal(2));
        var three = Account(3, Normal(3, provider: 1).Concat(Normal(3, provider: 2)).Concat(Normal(3, provider: 3)));
        var world = new List<AccountEvidence> { none, one, three };

        var risks = world.Select(a => Measures(a, world).Of(MeasureGroup.IntegrationDepth).Risk).ToList();
        Assert.Equal([1.0, 0.6, 0.0], risks);
        Assert.Contains("none of 2 connections working", Measures(none, world).Of(MeasureGroup.IntegrationDepth).Evidence);
    }

    [Fact]
    public void SoftSignals_IntegrationTicketsAndAnNpsDetractor_AddToTheScore()
    {
        var calm = Account(1, Normal(1));
        var unhappy = Account(2, Normal(2));
        unhappy.Tickets.AddRange(Enumerable.Range(1, 3).Select(i => new SupportTicket
        {
            AccountId = 2, ExternalId = "t" + i, Subject = "Sync broken", ProviderId = 1, Category = SupportTicketCategory.Integration, OpenedAt = AsOf.AddDays(-i * 3),
        }));
        unhappy.Surveys.Add(new SurveyResponse { AccountId = 2, ExternalId = "n1", Score = 9, RespondedAt = AsOf.AddDays(-60) });
        unhappy.Surveys.Add(new SurveyResponse { AccountId = 2, ExternalId = "n2", Score = 4, RespondedAt = AsOf.AddDays(-5) });
        var world = Peers().Concat([calm, unhappy]).ToList();

        var a = ScorecardScorer.Score(1, Measures(calm, world), Options);
        var b = ScorecardScorer.Score(2, Measures(unhappy, world), Options);
        // Support: 3 tickets, all open → full 10 points; sentiment: detractor 4 (0.733) + fall of 5 (0.2) → 9.3 of 10.
        Assert.Equal(a.Score + 10 + 9.3, b.Score, 1);
        Assert.Contains("NPS fell from 9 to 4", b.Explanation);
        Assert.Contains("3 integration tickets in 30 days (3 still open)", b.Explanation);
    }

    [Fact]
    public void Reliability_OneResourceFailingWhileTheRestWorks_IsFoundAgainstThatResourceAtOtherCustomers()
    {
        // Contacts and deals at 1% errors for everyone; this account's deals fail at 40% (the connection overall ~20%).
        static IEnumerable<ConnectionRollup> TwoResources(int account, int dealErrors) => Enumerable.Range(1, 35).SelectMany(d => new[]
        {
            Day(account, d, requests: 100, errors: 1, resource: "contacts"),
            Day(account, d, requests: 20, errors: d <= 7 ? dealErrors : 0, resource: "deals"),
        });
        var peers = Enumerable.Range(100, 6).Select(i => Account(i, TwoResources(i, 0))).ToList();
        var failing = Account(1, TwoResources(1, 8));
        var world = peers.Append(failing).ToList();

        var measure = Measures(failing, world).Of(MeasureGroup.IntegrationReliability);
        Assert.True(measure.Risk >= 0.99, $"risk {measure.Risk}");
        Assert.Contains("Provider1 deals error rate 40.0% over 7 days (56 of 140 requests)", measure.Evidence);
        Assert.All(peers, p => Assert.Equal(0, Measures(p, world).Of(MeasureGroup.IntegrationReliability).Risk));
    }

    [Fact]
    public void Reliability_AFewErrorsOnASmallResource_AreNotReadAsASustainedProblem()
    {
        // Two errors in a week on a resource called five times: the Wilson bound (and the three-error floor) keep it noise.
        var small = Account(1, Normal(1).Concat(Enumerable.Range(1, 5).Select(d => Day(1, d, requests: 1, errors: d <= 2 ? 1 : 0, resource: "deals"))));
        var world = Peers().Append(small).ToList();

        Assert.Equal(0, Measures(small, world).Of(MeasureGroup.IntegrationReliability).Risk);
    }

    [Fact]
    public void OpenIssues_AreFactorsOfTheirMeasure_GrowingWithAge_AndAProviderOutageIsNot()
    {
        ConnectionIssue Issue(IssueKind kind, double daysOpen, string summary) => new()
        {
            TenantId = 1, AccountId = 1, ProviderId = 1, ConnectionId = 11, Kind = kind, FirstSeenAt = AsOf.AddDays(-daysOpen),
            LastSeenAt = AsOf.AddHours(-1), Summary = summary,
        };
        var fresh = Account(1, Normal(1));
        fresh.OpenIssues.Add(Issue(IssueKind.EmptySync, 0.25, "HubSpot contacts sync returned 0 records"));
        var old = Account(1, Normal(1));
        old.OpenIssues.Add(Issue(IssueKind.EmptySync, 5, "HubSpot contacts sync returned 0 records"));
        old.OpenIssues.Add(Issue(IssueKind.ProviderOffline, 5, "HubSpot failing for several customers at once"));
        var world = Peers().Append(fresh).ToList();

        var young = Measures(fresh, world).Of(MeasureGroup.SyncFreshness);
        var aged = Measures(old, world).Of(MeasureGroup.SyncFreshness);
        Assert.InRange(young.Risk, 0.3, 0.4);
        Assert.Equal("open issue for 6 hours: HubSpot contacts sync returned 0 records", young.Evidence);
        Assert.True(aged.Risk > 0.99);
        Assert.Contains("open issue for 5 days", aged.Evidence);
        // The outage issue lifts nothing: the old account's score is the young one's plus only the freshness difference.
        var oldScore = ScorecardScorer.Score(1, Measures(old, world), Options);
        var freshScore = ScorecardScorer.Score(1, Measures(fresh, world), Options);
        Assert.Equal(Options.WeightOf(MeasureGroup.SyncFreshness) * (aged.Risk - young.Risk), oldScore.Score - freshScore.Score, 0.15);
        Assert.DoesNotContain("several customers", oldScore.Explanation);
    }
    [Fact]
    public void Reliability_AResourceThatFailedForDaysAndWasFixed_StillWeighs_FadingOverThreeWeeks()
    {
        // A small account calls deals three times a day; on five days it failed two of three (against ~1% elsewhere).
        static IEnumerable<ConnectionRollup> Deals(int account, int lastFailingDay) => Enumerable.Range(1, 35)
            .Select(d => Day(account, d, requests: 3, errors: d <= lastFailingDay + 4 && d >= lastFailingDay ? 2 : 0, resource: "deals"));
        var recent = Account(1, Normal(1).Concat(Deals(1, lastFailingDay: 10)));  // failing days 14…10 back, fixed 9 days ago
        var old = Account(2, Normal(2).Concat(Deals(2, lastFailingDay: 26)));     // failing days 30…26 back, fixed 25 days ago
        var world = Peers().Concat([recent, old]).ToList();

        var measure = Measures(recent, world).Of(MeasureGroup.IntegrationReliability);
        // Severity 1 (the rate) × 5/7 (five days) × 0.6 (fixed) × (1 − 9/21) (faded for nine days) = 0.245.
        Assert.InRange(measure.Risk, 0.23, 0.26);
        Assert.Equal("Provider1 deals failed 66.7% of requests for 5 days (10 of 15, against 1.0% for its other customers) until 9 days ago", measure.Evidence);
        Assert.Equal(0, Measures(old, world).Of(MeasureGroup.IntegrationReliability).Risk);
    }

    [Fact]
    public void Reliability_APastDayOnWhichTheProviderFailedForEveryone_SinglesNobodyOut()
    {
        // Twelve days back the provider failed 80% for everyone (a platform outage then); otherwise normal.
        var world = Enumerable.Range(1, 8).Select(i => Account(i,
            Normal(i).Where(r => r.BucketStart != AsOf.AddDays(-12)).Append(Day(i, 12, requests: 200, errors: 160)))).ToList();

        Assert.All(world, a => Assert.Equal(0, Measures(a, world).Of(MeasureGroup.IntegrationReliability).Risk));
    }

    [Fact]
    public void Engagement_TheMostActiveUsersAbsence_IsJudgedAgainstTheirOwnHabit()
    {
        // A champion seen every day until four days ago: four days away is already far outside their habit.
        var daily = WithUsers(1, (d, u) => u == "power" ? d >= 5 : d % 2 == 0);
        // The "most active" user of an account where nobody is very active (6 of 28 days): nine days away is ordinary.
        var occasional = WithUsers(2, (d, u) => u == "power" ? d % 5 == 0 : u == "u1" && d % 7 == 0);
        var world = new List<AccountEvidence> { daily, occasional };

        var quiet = Measures(daily, world).Of(MeasureGroup.Engagement);
        Assert.True(quiet.Risk >= 0.4, $"risk {quiet.Risk}");
        Assert.Contains("the most active user (28 of 28 days active before) has not been seen for 4 days", quiet.Evidence);
        Assert.DoesNotContain("most active user", Measures(occasional, world).Of(MeasureGroup.Engagement).Evidence);
    }
    [Fact]
    public void DataQuality_AStrayMappingFailureEveryoneSees_IsNoise_FailuresEveryDayAreNot()
    {
        // Every peer has one day of the last seven with a record that failed to map (the provider's normal: 1 day in 7).
        AccountEvidence WithFailures(int id, Func<int, bool> failing) => Account(id, Normal(id).Select(r =>
        {
            var daysBack = (int)(AsOf - r.BucketStart).TotalDays;
            if (failing(daysBack)) r.MappingFailures = 3;
            return r;
        }));
        var peers = Enumerable.Range(100, 7).Select(i => WithFailures(i, d => d == i - 99)).ToList();
        var stray = WithFailures(1, d => d == 3);
        var drifted = WithFailures(2, d => d <= 5);
        var world = peers.Concat([stray, drifted]).ToList();

        Assert.Equal(0, Measures(stray, world).Of(MeasureGroup.DataQuality).Risk);
        var drift = Measures(drifted, world).Of(MeasureGroup.DataQuality);
        Assert.Equal(5 / 7.0, drift.Risk, 3);
        Assert.Equal("Provider1: 15 records failed to map on 5 of the last 7 days (its other customers on 14.3% of days)", drift.Evidence);
    }
}
