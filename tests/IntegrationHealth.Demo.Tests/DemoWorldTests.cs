using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Demo.Tests;

public sealed class DemoWorldTests
{
    private static readonly DateTime End = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    private static DemoWorld DefaultWorld() => DemoWorld.Generate(new DemoWorldOptions { EndUtc = End });

    [Fact]
    public void Generate_SameSeedAndEnd_IdenticalWorldAndEvents()
    {
        var options = new DemoWorldOptions { Seed = 3, Accounts = 60, Days = 12, EndUtc = End };
        var first = WorldFingerprint.Of(DemoWorld.Generate(options));
        var second = WorldFingerprint.Of(DemoWorld.Generate(options));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentWorldAndEvents()
    {
        var options = new DemoWorldOptions { Seed = 3, Accounts = 60, Days = 12, EndUtc = End };
        var a = DemoWorld.Generate(options);
        var b = DemoWorld.Generate(options with { Seed = 4 });
        Assert.NotEqual(WorldFingerprint.Of(a), WorldFingerprint.Of(b));
        var idsA = DemoEventStream.ForDay(a, 0).Select(e => e.Id).ToHashSet();
        Assert.DoesNotContain(DemoEventStream.ForDay(b, 0), e => idsA.Contains(e.Id));
    }

    [Fact]
    public void Generate_MoreAccounts_EarlierAccountsUnchanged()
    {
        // Every account draws from its own stream: growing the world does not reshuffle it.
        var small = DemoWorld.Generate(new DemoWorldOptions { Accounts = 20, EndUtc = End });
        var large = DemoWorld.Generate(new DemoWorldOptions { Accounts = 40, EndUtc = End });
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(small.Accounts[i].Name, large.Accounts[i].Name);
            Assert.Equal(small.Accounts[i].Arr, large.Accounts[i].Arr);
            Assert.Equal(small.Accounts[i].Connections.Select(c => c.ExternalId), large.Accounts[i].Connections.Select(c => c.ExternalId));
        }
    }

    [Fact]
    public void Generate_DefaultWorld_SegmentMixIsRealistic()
    {
        var world = DefaultWorld();
        Assert.Equal(500, world.Accounts.Count);
        double Share(AccountSegment s) => world.Accounts.Count(a => a.Segment == s) / (double)world.Accounts.Count;
        // Expected 62% / 28% / 10%; bounds are about four standard errors for 500 accounts.
        Assert.InRange(Share(AccountSegment.Smb), 0.53, 0.71);
        Assert.InRange(Share(AccountSegment.MidMarket), 0.20, 0.36);
        Assert.InRange(Share(AccountSegment.Enterprise), 0.05, 0.155);
    }

    [Fact]
    public void Generate_DefaultWorld_ArrWithinSegmentRangesAndSkewed()
    {
        var world = DefaultWorld();
        foreach (var a in world.Accounts)
        {
            var (min, max) = a.Segment switch
            {
                AccountSegment.Smb => (5_000m, 30_000m),
                AccountSegment.MidMarket => (30_000m, 150_000m),
                _ => (150_000m, 1_500_000m),
            };
            Assert.InRange(a.Arr, min, max);
            Assert.True(a.Seats > 0);
            Assert.False(string.IsNullOrWhiteSpace(a.Plan));
            Assert.True(a.CreatedAt < world.WindowStart);
        }
        // Log-normal: the mean sits above the median in every segment.
        foreach (var segment in Enum.GetValues<AccountSegment>())
        {
            var arr = world.Accounts.Where(a => a.Segment == segment).Select(a => a.Arr).Order().ToArray();
            Assert.True(arr.Average() > arr[arr.Length / 2], $"{segment}: ARR should be right-skewed");
        }
    }

    [Fact]
    public void Generate_DefaultWorld_OneToSixConnectionsEnterpriseMore()
    {
        var world = DefaultWorld();
        Assert.All(world.Accounts, a =>
        {
            Assert.InRange(a.Connections.Count, 1, 6);
            Assert.Equal(a.Connections.Count, a.Connections.Select(c => c.ProviderIndex).Distinct().Count());
        });
        double Mean(AccountSegment s) => world.Accounts.Where(a => a.Segment == s).Average(a => a.Connections.Count);
        Assert.True(Mean(AccountSegment.Enterprise) > Mean(AccountSegment.MidMarket));
        Assert.True(Mean(AccountSegment.MidMarket) > Mean(AccountSegment.Smb));
        Assert.Equal(DemoCatalog.Providers.Count, world.Connections.Select(c => c.ProviderIndex).Distinct().Count());
        Assert.Equal(world.Connections.Count, world.Connections.Select(c => c.ExternalId).Distinct().Count());
    }

    [Fact]
    public void Generate_DefaultWorld_GroundTruthConsistentWithConnections()
    {
        var world = DefaultWorld();
        Assert.All(world.Accounts, a =>
        {
            Assert.Equal(a.Connections.Count(c => c.HealthyAtEnd), a.HealthyConnections);
            Assert.InRange(a.LatentRisk, 0.0, 0.99);
            Assert.True(a.LatentRisk > 0);
            Assert.StartsWith($"{a.HealthyConnections} of {a.Connections.Count} connections healthy", a.Drivers);
        });
        var broken = world.Accounts.Where(a => a.HealthyConnections < a.Connections.Count).ToList();
        Assert.NotEmpty(broken);
        Assert.All(broken, a => Assert.Contains("unresolved", a.Drivers));
        // Unhealthy-at-end connections are exactly those with an open episode, and their status says so (unless the
        // only open problem is mapping drift, which leaves the connection active).
        Assert.All(world.Connections.Where(c => c.Episodes.Exists(e => e.End is null && e.Kind is DemoEpisodeKind.AuthBroken or DemoEpisodeKind.Disabled)),
            c => Assert.NotEqual(ConnectionStatus.Active, c.FinalStatus));
    }

    [Fact]
    public void Generate_LargeWorld_ChurnFollowsProblemsThatLasted_NotQuickFixes()
    {
        // 30,000 accounts: those with no problem at all churn at about the background rate; a credential left broken for
        // days makes churn many times likelier, a re-auth within hours does not.
        var world = DemoWorld.Generate(new DemoWorldOptions { Accounts = 30_000, EndUtc = End, Seed = 1234 });
        static bool Quiet(DemoAccount a) => a.DisengagedAt is null && a.UnhappyAt is null && a.Connections.All(c => c.Episodes.Count == 0);
        var clean = world.Accounts.Where(Quiet).ToList();
        var brokenForDays = world.Accounts.Where(a => a.Connections.Any(c => c.Episodes.Exists(e =>
            e.Kind == DemoEpisodeKind.AuthBroken && e.Start < world.WindowEnd.AddDays(-30) && (e.End ?? world.WindowEnd) - e.Start > TimeSpan.FromDays(3)))).ToList();
        var quickReauth = world.Accounts.Where(a => a.DisengagedAt is null && a.UnhappyAt is null && a.Connections.All(c =>
            c.Episodes.TrueForAll(e => e.Kind == DemoEpisodeKind.AuthBroken && e.End - e.Start < TimeSpan.FromHours(12))) &&
            a.Connections.Any(c => c.Episodes.Count > 0)).ToList();
        Assert.True(clean.Count >= 8_000 && brokenForDays.Count >= 500 && quickReauth.Count >= 300,
            $"{clean.Count} clean, {brokenForDays.Count} broken for days, {quickReauth.Count} re-authorised within hours");
        double Rate(List<DemoAccount> group) => group.Count(a => a.ChurnedAt is not null) / (double)group.Count;
        Assert.InRange(Rate(clean), 0.005, 0.035);
        Assert.InRange(Rate(quickReauth), 0.005, 0.035);
        Assert.True(Rate(brokenForDays) > 6 * Rate(clean), $"{Rate(brokenForDays):0.000} vs {Rate(clean):0.000}");
    }

    [Fact]
    public void Generate_DefaultWorld_ChurnFollowsItsDriverAfterADelayAndFallsInWindow()
    {
        var world = DefaultWorld();
        var churned = world.Accounts.Where(a => a.ChurnedAt is not null).ToList();
        Assert.NotEmpty(churned);
        Assert.All(churned, a => Assert.InRange(a.ChurnedAt!.Value, world.WindowStart, world.WindowEnd));
        Assert.All(world.Accounts.Where(a => a.ChurnedAt is null), a => Assert.Equal("none", a.ChurnDriver));
        Assert.Contains(churned, a => a.ChurnDriver == "background");
        // Churn caused by a problem comes at least six days after the problem began (delays, not instant reactions).
        Assert.All(churned.Where(a => a.ChurnDriver != "background"), a =>
        {
            var starts = a.Connections.SelectMany(c => c.Episodes).Select(e => e.Start)
                .Concat(new[] { a.DisengagedAt, a.UnhappyAt }.Where(d => d is not null).Select(d => d!.Value));
            Assert.Contains(starts, s => s <= a.ChurnedAt!.Value.AddDays(-6));
        });
        // Several drivers, not one: the world's churn is not the count of healthy connections.
        Assert.True(churned.Select(a => a.ChurnDriver).Distinct().Count() >= 5);
        var meanRiskBroken = world.Accounts.Where(a => a.Connections.Any(c => c.Episodes.Exists(e => e.End is null))).Average(a => a.LatentRisk);
        var meanRiskClean = world.Accounts.Where(a => a.Connections.All(c => c.Episodes.Count == 0)).Average(a => a.LatentRisk);
        Assert.True(meanRiskBroken > 2 * meanRiskClean);
    }

    [Fact]
    public void Generate_DefaultWorld_HasSilentProblemsAndHugeAccounts()
    {
        var world = DefaultWorld();
        Assert.Contains(world.Connections, c => c.Episodes.Exists(e => e.Kind == DemoEpisodeKind.SyncStalled));
        Assert.Contains(world.Connections, c => c.Episodes.Exists(e => e.Kind == DemoEpisodeKind.SyncEmpty));
        Assert.All(world.Connections.SelectMany(c => c.Episodes.Where(e => e.Kind == DemoEpisodeKind.ErrorSpike).Select(e => (c, e))),
            x => Assert.Contains(x.e.Resource, x.c.Provider.Resources));
        Assert.Contains(world.Accounts, a => a.DisengagedAt is not null);
        Assert.Contains(world.Accounts, a => a.RequestScale >= 3);
        Assert.All(world.Accounts.Where(a => a.Segment != AccountSegment.Enterprise), a => Assert.Equal(1, a.RequestScale));
    }

    [Fact]
    public void Generate_DefaultWorld_HasTheFourIncidents()
    {
        var world = DefaultWorld();
        Assert.Single(world.IncidentsOf("outage"));
        Assert.Single(world.IncidentsOf("token_wave"));
        Assert.Single(world.IncidentsOf("schema_drift"));
        Assert.Equal(3, world.IncidentsOf("rate_limit_storm").Count());
        Assert.All(world.Incidents, i => Assert.True(i.Start >= world.WindowStart && i.End <= world.WindowEnd && i.Start < i.End));
    }

    [Fact]
    public void Generate_DefaultWorld_TicketsAndSurveysReactToBreakage()
    {
        var world = DefaultWorld();
        Assert.NotEmpty(world.Tickets);
        Assert.NotEmpty(world.Surveys);
        Assert.All(world.Surveys, s => Assert.InRange(s.Score, 0, 10));
        Assert.All(world.Tickets, t => Assert.Contains(t.Priority, new[] { "low", "normal", "high", "urgent" }));
        Assert.Equal(world.Tickets.Count, world.Tickets.Select(t => t.ExternalId).Distinct().Count());
        Assert.Equal(world.Surveys.Count, world.Surveys.Select(s => s.ExternalId).Distinct().Count());
        var brokenAccounts = world.Accounts.Where(a => a.Connections.Any(c => c.Episodes.Count > 0)).Select(a => a.Index).ToHashSet();
        double TicketsPerAccount(bool broken)
        {
            var accounts = world.Accounts.Where(a => brokenAccounts.Contains(a.Index) == broken).ToList();
            return world.Tickets.Count(t => brokenAccounts.Contains(t.AccountIndex) == broken) / (double)accounts.Count;
        }
        Assert.True(TicketsPerAccount(true) > TicketsPerAccount(false));
        var withInvalidGrant = world.Tickets.Count(t => t.Subject.Contains("invalid_grant", StringComparison.Ordinal));
        Assert.True(withInvalidGrant > 0);
    }

    [Fact]
    public void Generate_BadOptions_ClearArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => DemoWorld.Generate(new DemoWorldOptions { Accounts = 0 }));
        Assert.Contains("Accounts", ex.Message);
        Assert.Throws<ArgumentException>(() => DemoWorld.Generate(new DemoWorldOptions { Days = 0 }));
        Assert.Throws<ArgumentException>(() => DemoWorld.Generate(new DemoWorldOptions { EventDensity = double.NaN }));
        Assert.Throws<ArgumentException>(() => DemoWorld.Generate(new DemoWorldOptions { TenantKey = " " }));
    }

    [Fact]
    public void Generate_NoEndGiven_EndsAtStartOfCurrentHour()
    {
        var world = DemoWorld.Generate(new DemoWorldOptions { Accounts = 2, Days = 1 });
        Assert.Equal(0, world.WindowEnd.Minute);
        Assert.Equal(0, world.WindowEnd.Second);
        Assert.Equal(DateTimeKind.Utc, world.WindowEnd.Kind);
        Assert.True(world.WindowEnd <= DateTime.UtcNow && world.WindowEnd > DateTime.UtcNow.AddHours(-1));
    }
}
