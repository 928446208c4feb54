using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo.World;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Demo.Tests;

public sealed class DemoSeederTests
{
    private static readonly DemoWorldOptions Small = new()
    {
        Accounts = 40,
        Days = 6,
        EndUtc = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc),
        BatchSize = 1_000,
    };

    internal static IntegrationHealthDbContext Context(SqliteTestDatabase store) =>
        store.Services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>().CreateDbContext();

    /// <summary>Collects progress synchronously (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class ProgressLog(Action<DemoProgress>? onReport = null) : IProgress<DemoProgress>
    {
        public List<DemoProgress> Reports { get; } = [];

        public void Report(DemoProgress value)
        {
            lock (Reports)
            {
                Reports.Add(value);
            }
            onReport?.Invoke(value);
        }
    }

    [Fact]
    public async Task SeedIfEmptyAsync_EmptyStore_WritesTheWholeWorld()
    {
        await using var store = await TestDatabase.MigratedSqliteAsync();
        var world = DemoWorld.Generate(Small);

        Assert.True(await DemoSeeder.SeedIfEmptyAsync(store.Services, Small));

        await using var db = Context(store);
        var tenant = await db.Tenants.SingleAsync(t => t.Key == "demo");
        Assert.Equal(["production", "staging"], await db.Environments.Where(e => e.TenantId == tenant.Id).Select(e => e.Key).OrderBy(k => k).ToListAsync());
        Assert.Equal(world.Accounts.Count, await db.Accounts.CountAsync(a => a.TenantId == tenant.Id));
        Assert.Equal(world.Connections.Count, await db.Connections.CountAsync());
        Assert.Equal(world.Tickets.Count, await db.SupportTickets.CountAsync());
        Assert.Equal(world.Surveys.Count, await db.SurveyResponses.CountAsync());
        Assert.Equal(world.Accounts.Count, await db.GroundTruths.CountAsync());
        Assert.Equal(DemoEventStream.All(world).LongCount(), await db.TelemetryEvents.LongCountAsync());
        Assert.Equal(world.Accounts.Count(a => a.ChurnedAt is not null), await db.Accounts.CountAsync(a => a.ChurnedAt != null));
        Assert.Equal(world.Connections.Count(c => c.FinalStatus == ConnectionStatus.NeedsReauth),
            await db.Connections.CountAsync(c => c.Status == ConnectionStatus.NeedsReauth));

        // Spot-check one account end to end: its store row, ground truth and events point at each other.
        var first = world.Accounts[0];
        var account = await db.Accounts.SingleAsync(a => a.ExternalId == first.ExternalId);
        Assert.Equal(first.Arr, account.Arr);
        Assert.Equal(first.Segment, account.Segment);
        var truth = await db.GroundTruths.SingleAsync(g => g.AccountId == account.Id);
        Assert.Equal(first.HealthyConnections, truth.HealthyConnections);
        Assert.Equal(first.LatentRisk, truth.LatentRisk, 6);
        var events = await db.TelemetryEvents.CountAsync(e => e.AccountId == account.Id);
        Assert.Equal(DemoEventStream.All(world).Count(e => e.AccountIndex == 0), events);
    }

    [Fact]
    public async Task SeedIfEmptyAsync_AlreadySeeded_ReturnsFalseAndWritesNothing()
    {
        await using var store = await TestDatabase.MigratedSqliteAsync();
        Assert.True(await DemoSeeder.SeedIfEmptyAsync(store.Services, Small));
        var before = store.Dump();

        Assert.False(await DemoSeeder.SeedIfEmptyAsync(store.Services, Small));
        Assert.False(await DemoSeeder.SeedIfEmptyAsync(store.Services, Small with { Seed = 9, Accounts = 5 }));

        Assert.Equal(before, store.Dump());
    }

    [Fact]
    public async Task SeedIfEmptyAsync_SameOptionsInTwoStores_IdenticalRows()
    {
        await using var a = await TestDatabase.MigratedSqliteAsync();
        await using var b = await TestDatabase.MigratedSqliteAsync();
        await DemoSeeder.SeedIfEmptyAsync(a.Services, Small);
        await DemoSeeder.SeedIfEmptyAsync(b.Services, Small);

        var dumpA = a.Dump();
        Assert.True(dumpA.Count > 2_000, $"only {dumpA.Count} rows");
        Assert.Equal(dumpA, b.Dump());
    }

    [Fact]
    public async Task SeedIfEmptyAsync_DifferentSeed_DifferentRows()
    {
        await using var a = await TestDatabase.MigratedSqliteAsync();
        await using var b = await TestDatabase.MigratedSqliteAsync();
        await DemoSeeder.SeedIfEmptyAsync(a.Services, Small with { Days = 2 });
        await DemoSeeder.SeedIfEmptyAsync(b.Services, Small with { Days = 2, Seed = 43 });

        Assert.NotEqual(a.Dump(), b.Dump());
    }

    [Fact]
    public async Task SeedIfEmptyAsync_WithProgress_ReportsEveryStageWithATotalThatNeverChanges()
    {
        await using var store = await TestDatabase.MigratedSqliteAsync();
        var log = new ProgressLog();

        await DemoSeeder.SeedIfEmptyAsync(store.Services, Small with { Days = 3, BatchSize = 50 }, log);

        Assert.Equal(["world", "accounts", "connections", "feedback", DemoSeeder.TelemetryStage], log.Reports.Select(r => r.Stage).Distinct());
        // Regression: the telemetry total was an estimate that jumped mid-run; every stage's total is now fixed from its
        // first report, and done only grows up to it.
        foreach (var stage in log.Reports.GroupBy(r => r.Stage))
        {
            Assert.Single(stage.Select(r => r.Total).Distinct());
            Assert.Equal(stage.Select(r => r.Done).Order(), stage.Select(r => r.Done));
            Assert.Equal(stage.First().Total, stage.Last().Done);
        }
        Assert.Equal(3, log.Reports[^1].Total);
        await using var db = Context(store);
        Assert.True(await db.TelemetryEvents.LongCountAsync() > 50); // several batches were written
    }

    [Fact]
    public async Task SeedIfEmptyAsync_CancelledDuringTelemetry_RemovesPartialWorldSoNextRunSeeds()
    {
        await using var store = await TestDatabase.MigratedSqliteAsync();
        using var cts = new CancellationTokenSource();
        var log = new ProgressLog(p =>
        {
            if (p.Stage == DemoSeeder.TelemetryStage)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DemoSeeder.SeedIfEmptyAsync(store.Services, Small, log, cts.Token));

        await using (var db = Context(store))
        {
            Assert.Equal(0, await db.Accounts.CountAsync());
            Assert.Equal(0, await db.TelemetryEvents.CountAsync());
        }
        Assert.True(await DemoSeeder.SeedIfEmptyAsync(store.Services, Small with { Days = 1 }));
    }

    [Fact]
    public async Task SeedIfEmptyAsync_BadOptions_ArgumentExceptionBeforeTouchingTheStore()
    {
        await using var store = await TestDatabase.MigratedSqliteAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => DemoSeeder.SeedIfEmptyAsync(store.Services, Small with { BatchSize = 0 }));
        await using var db = Context(store);
        Assert.Equal(0, await db.Tenants.CountAsync(t => t.Key == "demo"));
    }
}
