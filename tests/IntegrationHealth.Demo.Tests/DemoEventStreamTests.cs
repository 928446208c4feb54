using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Demo.Tests;

public sealed class DemoEventStreamTests
{
    private static readonly DateTime End = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DemoWorld World = DemoWorld.Generate(new DemoWorldOptions { EndUtc = End });

    private static int DayOf(DateTime instant) => (int)(instant - World.WindowStart).TotalDays;

    private static List<DemoEvent> EventsDuring(DemoIncident incident)
    {
        var list = new List<DemoEvent>();
        for (var day = DayOf(incident.Start); day <= Math.Min(DayOf(incident.End), World.Days - 1); day++)
        {
            list.AddRange(DemoEventStream.ForDay(World, day).Where(e => e.ProviderIndex == incident.ProviderIndex));
        }
        return list;
    }

    [Fact]
    public void ForDay_AnyDay_EventsValidForTheWireFormat()
    {
        var events = DemoEventStream.ForDay(World, 10);
        Assert.True(events.Count > 5_000, $"a weekday should carry thousands of events, got {events.Count}");
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        var day = World.WindowStart.AddDays(10);
        Assert.All(events, e =>
        {
            Assert.InRange(e.OccurredAt, day, day.AddDays(1).AddTicks(-1));
            var account = World.Accounts[e.AccountIndex];
            Assert.True(account.ChurnedAt is null || e.OccurredAt < account.ChurnedAt);
            var connection = World.Connections[e.ConnectionIndex];
            Assert.Equal(e.AccountIndex, connection.AccountIndex);
            Assert.Equal(e.ProviderIndex, connection.ProviderIndex);
            Assert.Equal(e.ErrorClass == ErrorClass.None ? TelemetryOutcome.Success : TelemetryOutcome.Failure, e.Outcome);
            if (e.HttpStatus is { } status)
            {
                Assert.InRange(status, (short)100, (short)599);
            }
            Assert.True(e.LatencyMs is null or >= 0 and <= 3_600_000);
            Assert.True(e.Records is null or >= 0);
            Assert.True(e.RateLimitRemaining is null || e.RateLimitRemaining <= e.RateLimitLimit);
            Assert.True(e.Kind != TelemetryKind.Usage || e.UserId is not null);
            Assert.True(e.Resource is null || e.Resource.Length <= 200);
        });
        foreach (var kind in Enum.GetValues<TelemetryKind>())
        {
            Assert.Contains(events, e => e.Kind == kind);
        }
    }

    [Fact]
    public void ForDay_SameDayTwice_SameEvents()
    {
        Assert.Equal(DemoEventStream.ForDay(World, 33), DemoEventStream.ForDay(World, 33));
    }

    [Fact]
    public void ForDay_TokenWave_InvalidGrantBurstOnHubSpot()
    {
        var wave = Assert.Single(World.IncidentsOf("token_wave"));
        var during = EventsDuring(wave).Where(e => wave.Covers(e.OccurredAt)).ToList();
        var invalidGrant = during.Count(e => e.Kind == TelemetryKind.TokenRefresh && e.ErrorClass == ErrorClass.InvalidGrant);
        Assert.True(invalidGrant >= 20, $"expected an invalid_grant burst, got {invalidGrant}");
        // Compared with a quiet day a week earlier, when invalid_grant is rare.
        var before = DemoEventStream.ForDay(World, DayOf(wave.Start) - 7)
            .Count(e => e.ProviderIndex == wave.ProviderIndex && e.ErrorClass == ErrorClass.InvalidGrant);
        Assert.True(invalidGrant > 5 * Math.Max(1, before));
        // Some of those connections stay broken to the end.
        Assert.Contains(World.Connections, c => c.ProviderIndex == wave.ProviderIndex && c.FinalStatus == ConnectionStatus.NeedsReauth
            && c.Episodes.Exists(e => e.Cause == "revoked-token wave" && e.End is null));
        Assert.Contains(World.Connections, c => c.Episodes.Exists(e => e.Cause == "revoked-token wave" && e.End is not null));
    }

    [Fact]
    public void ForDay_Outage_MostNetSuiteRequestsFail()
    {
        var outage = Assert.Single(World.IncidentsOf("outage"));
        var requests = EventsDuring(outage).Where(e => e.Kind == TelemetryKind.Request && outage.Covers(e.OccurredAt)).ToList();
        Assert.NotEmpty(requests);
        var failed = requests.Count(e => e.ErrorClass is ErrorClass.Server5xx or ErrorClass.Timeout);
        Assert.True(failed > requests.Count / 2, $"{failed} of {requests.Count} failed during the outage");
    }

    [Fact]
    public void ForDay_SchemaDrift_MappingFailuresOnSalesforce()
    {
        var drift = Assert.Single(World.IncidentsOf("schema_drift"));
        var failures = EventsDuring(drift).Count(e => e.Kind == TelemetryKind.MappingFailure && e.Resource == "opportunities");
        Assert.True(failures >= 50, $"expected a mapping-failure spike, got {failures}");
    }

    [Fact]
    public void ForDay_RateLimitStorm_429sWithRemainingNearZero()
    {
        var storm = World.IncidentsOf("rate_limit_storm").First();
        var requests = EventsDuring(storm).Where(e => e.Kind == TelemetryKind.Request && storm.Covers(e.OccurredAt)).ToList();
        var limited = requests.Where(e => e.HttpStatus == 429).ToList();
        Assert.True(limited.Count > requests.Count / 3, $"{limited.Count} of {requests.Count} were 429");
        Assert.All(limited, e => Assert.Equal(0, e.RateLimitRemaining));
        Assert.All(requests.Where(e => e.HttpStatus is >= 200 and < 300), e => Assert.True(e.RateLimitRemaining < e.RateLimitLimit / 10));
    }

    [Fact]
    public void ForDay_BrokenAccount_NoUsageOfDisabledConnections()
    {
        var day = World.Days - 1;
        var events = DemoEventStream.ForDay(World, day);
        foreach (var e in events.Where(e => e.Kind is TelemetryKind.Usage or TelemetryKind.SyncRun))
        {
            var state = World.Connections[e.ConnectionIndex].StateAt(e.OccurredAt);
            Assert.True(state is DemoConnectionState.Healthy or DemoConnectionState.MappingDrift);
        }
    }

    [Fact]
    public void All_ChurnedAccounts_UsageFadesBeforeChurnAndStopsAtIt()
    {
        var churned = World.Accounts.Where(a => a.ChurnedAt is { } at && at > World.WindowStart.AddDays(35)).Take(8).ToList();
        Assert.NotEmpty(churned);
        var indexes = churned.Select(a => a.Index).ToHashSet();
        var usage = new List<DemoEvent>();
        var all = new List<DemoEvent>();
        for (var day = 0; day < World.Days; day++)
        {
            foreach (var e in DemoEventStream.ForDay(World, day))
            {
                if (indexes.Contains(e.AccountIndex))
                {
                    all.Add(e);
                    if (e.Kind == TelemetryKind.Usage)
                    {
                        usage.Add(e);
                    }
                }
            }
        }
        Assert.All(all, e => Assert.True(e.OccurredAt < World.Accounts[e.AccountIndex].ChurnedAt));
        // Usage per account in the last week before churn against the same account's weeks three and four before it.
        var lastWeek = 0;
        var earlier = 0;
        foreach (var a in churned)
        {
            var at = a.ChurnedAt!.Value;
            lastWeek += usage.Count(e => e.AccountIndex == a.Index && e.OccurredAt >= at.AddDays(-7));
            earlier += usage.Count(e => e.AccountIndex == a.Index && e.OccurredAt >= at.AddDays(-28) && e.OccurredAt < at.AddDays(-14));
        }
        Assert.True(lastWeek * 2 < earlier, $"usage should fade before churn: {lastWeek} in the last week vs {earlier} in two earlier weeks");
    }

    [Fact]
    public void EstimateCount_DefaultWorld_WithinFifteenPercentOfActual()
    {
        var sample = DemoWorld.Generate(new DemoWorldOptions { EndUtc = End, Accounts = 120, Days = 14 });
        long actual = DemoEventStream.All(sample).LongCount();
        var estimate = DemoEventStream.EstimateCount(sample);
        Assert.InRange(estimate, actual * 0.85, actual * 1.15);
    }
}
