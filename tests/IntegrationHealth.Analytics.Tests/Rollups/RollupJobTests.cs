using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Analytics.Tests.Rollups;

/// <summary>The rollup job on a real store: buckets, late events, re-runs and re-reads, incremental reads. Run on
/// SQLite and PostgreSQL by the subclasses below.</summary>
public abstract class RollupJobSuite
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static readonly DateTime Now = new(2026, 11, 10, 12, 30, 0, DateTimeKind.Utc);

    private static TelemetryEvent Request(int account, DateTime at, bool ok = true, int latency = 100, string resource = "contacts",
        int provider = 1, string? user = null) => new()
    {
        Id = Guid.NewGuid(), TenantId = 1, AccountId = account, ProviderId = provider, ConnectionId = account * 10 + provider,
        Kind = TelemetryKind.Request, Outcome = ok ? TelemetryOutcome.Success : TelemetryOutcome.Failure,
        ErrorClass = ok ? ErrorClass.None : ErrorClass.Server5xx, HttpStatus = (short)(ok ? 200 : 503), LatencyMs = latency,
        OccurredAt = at, Resource = resource, UserId = user,
    };

    private static (RollupJob Job, FakeTimeProvider Clock) Job(TestDatabase database, TimeSpan? settle = null)
    {
        var clock = new FakeTimeProvider(Now);
        var options = Options.Create(new RollupOptions { SettleWindow = settle ?? TimeSpan.Zero });
        return (new RollupJob(database.ContextFactory, clock, options, NullLogger<RollupJob>.Instance), clock);
    }

    private static async Task WriteAsync(TestDatabase database, IEnumerable<TelemetryEvent> events) =>
        await database.Services.GetRequiredService<ITelemetryWriter>().WriteAsync(events.ToList());

    private static async Task<List<ConnectionRollup>> RowsAsync(TestDatabase database, RollupGrain grain)
    {
        await using var db = database.CreateContext();
        return (await db.ConnectionRollups.AsNoTracking().Where(r => r.Grain == grain).ToListAsync())
            .OrderBy(r => r.BucketStart).ThenBy(r => r.AccountId).ThenBy(r => r.Resource).ToList();
    }

    [StoreFact]
    public async Task RunOnce_FoldsIntoHourDayAndProviderMinuteBuckets()
    {
        await using var database = await CreateDatabaseAsync();
        var h9 = new DateTime(2026, 11, 10, 9, 15, 0, DateTimeKind.Utc);
        await WriteAsync(database,
        [
            Request(1, h9), Request(1, h9.AddMinutes(1), ok: false, latency: 2000), Request(1, h9.AddMinutes(50), resource: "deals"),
            Request(1, h9.AddHours(1)), Request(2, h9), Request(2, h9.AddSeconds(30), user: "u1"), Request(2, h9.AddHours(2), user: "u2"),
        ]);
        var (job, _) = Job(database);

        var result = await job.RunOnceAsync();

        Assert.Equal(7, result.EventsRead);
        var hours = await RowsAsync(database, RollupGrain.Hour);
        var a1h9 = hours.Single(r => r.AccountId == 1 && r.BucketStart == h9.AddMinutes(-15) && r.Resource == "contacts");
        Assert.Equal((2, 1, 1, 11), (a1h9.Requests, a1h9.Errors, a1h9.ServerErrors, a1h9.ConnectionId));
        Assert.Equal(5, hours.Count); // a1: 9h contacts, 9h deals, 10h; a2: 9h, 11h
        var day = (await RowsAsync(database, RollupGrain.Day)).Where(r => r.AccountId == 1).ToList();
        Assert.Equal((3, 1), (day.Single(r => r.Resource == "contacts").Requests, day.Single(r => r.Resource == "deals").Requests));
        Assert.InRange(RollupRates.LatencyPercentile(day.Single(r => r.Resource == "contacts"), 0.99)!.Value, 1600, 2100);
        await using var db = database.CreateContext();
        var minute = await db.ProviderRollups.AsNoTracking().SingleAsync(r => r.BucketStart == h9 && r.Resource == "contacts");
        Assert.Equal((3, 2), (minute.Requests, minute.Accounts)); // a1 at 9:15, a2 at 9:15 and 9:15:30
        Assert.Equal(2, await db.ActiveUserDays.CountAsync(u => u.AccountId == 2 && u.Day == h9.Date));
    }

    [StoreFact]
    public async Task RunOnce_LateEvent_IsFoldedIntoItsOldBucketAndTooLateOneIsSkipped()
    {
        await using var database = await CreateDatabaseAsync();
        var old = Now.AddHours(-40);
        await WriteAsync(database, [Request(1, old), Request(1, Now.AddMinutes(-5))]);
        var (job, _) = Job(database);
        await job.RunOnceAsync();

        // Arrive now: one 40 hours late (within the default 48 h), one 50 hours late.
        await WriteAsync(database, [Request(1, old.AddMinutes(10), ok: false), Request(1, Now.AddHours(-50))]);
        var result = await job.RunOnceAsync();

        Assert.Equal(1, result.TooLate);
        var hour = (await RowsAsync(database, RollupGrain.Hour)).Single(r => r.BucketStart == RollupFold.Floor(old, TimeSpan.FromHours(1)));
        Assert.Equal((2, 1), (hour.Requests, hour.Errors));
        var day = (await RowsAsync(database, RollupGrain.Day)).Single(r => r.BucketStart == old.Date);
        Assert.Equal((2, 1), (day.Requests, day.Errors));
        Assert.DoesNotContain(await RowsAsync(database, RollupGrain.Hour), r => r.BucketStart <= Now.AddHours(-49));
    }

    [StoreFact]
    public async Task RunOnce_Rerun_AndFullReread_ChangeNothing()
    {
        await using var database = await CreateDatabaseAsync();
        var random = new Random(3);
        await WriteAsync(database, Enumerable.Range(0, 500).Select(i =>
            Request(1 + i % 7, Now.AddMinutes(-random.Next(0, 47 * 60)), ok: random.Next(10) > 0, latency: random.Next(5, 5000),
                resource: i % 3 == 0 ? "deals" : "contacts", provider: 1 + i % 2, user: $"u{i % 11}")));
        var (job, _) = Job(database);
        await job.RunOnceAsync();
        var first = await RowsAsync(database, RollupGrain.Hour);
        var firstDays = await RowsAsync(database, RollupGrain.Day);

        await job.RunOnceAsync();
        await using (var db = database.CreateContext())
        {
            // Forget the position: everything is read again.
            await db.RollupCursors.ExecuteDeleteAsync();
        }

        var reread = await job.RunOnceAsync();

        Assert.Equal(500, reread.EventsRead);
        Assert.Equal(500, first.Sum(r => r.Requests));
        Assert.Equivalent(first, await RowsAsync(database, RollupGrain.Hour), strict: true);
        Assert.Equivalent(firstDays, await RowsAsync(database, RollupGrain.Day), strict: true);
    }

    [StoreFact]
    public async Task RunOnce_AfterThePositionSettles_ReadsOnlyNewEvents()
    {
        await using var database = await CreateDatabaseAsync();
        await WriteAsync(database, Enumerable.Range(0, 300).Select(i => Request(1, Now.AddMinutes(-i))));
        var (job, clock) = Job(database, settle: TimeSpan.FromMinutes(10));
        Assert.Equal(300, (await job.RunOnceAsync()).EventsRead);
        clock.Advance(TimeSpan.FromMinutes(2));
        // Within the settle window the last positions are read again (a transaction may still commit below them).
        Assert.Equal(300, (await job.RunOnceAsync()).EventsRead);
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(300, (await job.RunOnceAsync()).EventsRead);
        await WriteAsync(database, Enumerable.Range(0, 20).Select(i => Request(2, Now.AddMinutes(-i))));
        clock.Advance(TimeSpan.FromMinutes(11));

        var result = await job.RunOnceAsync();

        Assert.Equal(20, result.EventsRead);
        Assert.Equal(320, (await RowsAsync(database, RollupGrain.Day)).Sum(r => r.Requests));
    }
}

public sealed class SqliteRollupJobTests : RollupJobSuite
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedSqliteAsync();
}

public sealed class PostgresRollupJobTests : RollupJobSuite, IRequiresPostgres
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedPostgresAsync();
}
