using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Data.Tests.Compliance;

// The telemetry store at volume: exactly-once inside the deduplication window (concurrent writers, day boundaries,
// late events), what happens outside it, and retention. Writers here have their own clocks (FakeTimeProvider) so the
// receiving day is the test's; every test uses days of its own, far from today's partitions.
public abstract partial class StoreComplianceTests
{
    private static FakeTimeProvider ClockAt(DateTime utc) => new(new DateTimeOffset(utc, TimeSpan.Zero));

    private static async Task<TelemetryWriteResult> WriteWithAsync(StoreFixture store, TimeProvider time, IReadOnlyList<TelemetryEvent> events)
    {
        var writer = store.CreateWriter(time);
        try
        {
            return await writer.WriteAsync(events);
        }
        finally
        {
            (writer as IDisposable)?.Dispose();
        }
    }

    private async Task<int> CountAsync(TestWorld world)
    {
        await using var db = Store.CreateContext();
        return await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id);
    }

    /// <summary>Copies of <paramref name="events"/> (same tenant and ids, new objects), as a replaying sender sends them.</summary>
    private static List<TelemetryEvent> Replay(IEnumerable<TelemetryEvent> events, TimeSpan? shift = null) => events.Select(e => new TelemetryEvent
    {
        Id = e.Id, OccurredAt = e.OccurredAt + (shift ?? TimeSpan.Zero), TenantId = e.TenantId, AccountId = e.AccountId,
        ProviderId = e.ProviderId, ConnectionId = e.ConnectionId, Kind = e.Kind, Outcome = e.Outcome, ErrorClass = e.ErrorClass,
        Method = e.Method, HttpStatus = e.HttpStatus, LatencyMs = e.LatencyMs, Resource = e.Resource,
    }).ToList();

    [StoreFact]
    public async Task WriteAsync_TwoWritersReplayingOverlappingBatchesConcurrently_StoreEachEventOnce()
    {
        var world = await TestWorld.CreateAsync(Store);
        var clock = ClockAt(new DateTime(2031, 5, 6, 12, 0, 0, DateTimeKind.Utc));
        var events = world.Events(2_000);
        var first = Store.CreateWriter(clock);
        var second = Store.CreateWriter(clock);
        try
        {
            // 16 batches of 500 cut at different offsets, so every event is in four batches, on two writers at once.
            var batches = Enumerable.Range(0, 16).Select(i => events.Skip((i * 125) % 1_500).Take(500).ToList()).ToList();
            batches.Add(events);
            var results = await Task.WhenAll(batches.Select((b, i) => Task.Run(() => (i % 2 == 0 ? first : second).WriteAsync(Replay(b)))));

            Assert.Equal(2_000, results.Sum(r => r.Accepted));
            Assert.Equal(batches.Sum(b => b.Count) - 2_000, results.Sum(r => r.Duplicates));
            Assert.Equal(2_000, await CountAsync(world));
        }
        finally
        {
            (first as IDisposable)?.Dispose();
            (second as IDisposable)?.Dispose();
        }
    }

    [StoreFact]
    public async Task WriteAsync_ReplayEitherSideOfMidnight_IsADuplicateOnEachLaterDayOfTheWindow()
    {
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(300);
        var midnight = new DateTime(2031, 6, 10, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(new TelemetryWriteResult(300, 0), await WriteWithAsync(Store, ClockAt(midnight.AddSeconds(-20)), events));

        // Just after midnight (the grace minutes), well after it, and on the last day of the three-day window; each
        // replay verbatim and re-cut with new events around it.
        foreach (var at in new[] { midnight.AddSeconds(20), midnight.AddHours(3), midnight.AddDays(2).AddHours(23) })
        {
            var fresh = world.Events(10, startMinutes: 100_000 + (at - midnight).TotalMinutes);
            Assert.Equal(new TelemetryWriteResult(0, 300), await WriteWithAsync(Store, ClockAt(at), Replay(events)));
            Assert.Equal(new TelemetryWriteResult(10, 150), await WriteWithAsync(Store, ClockAt(at), [.. Replay(events.Skip(150)), .. fresh]));
        }

        Assert.Equal(330, await CountAsync(world));
    }

    [StoreFact]
    public async Task WriteAsync_SameBatchOnWritersEitherSideOfMidnightConcurrently_StoresEachEventOnce()
    {
        var world = await TestWorld.CreateAsync(Store);
        var midnight = new DateTime(2031, 7, 20, 0, 0, 0, DateTimeKind.Utc);
        var before = Store.CreateWriter(ClockAt(midnight.AddMilliseconds(-50)));
        var after = Store.CreateWriter(ClockAt(midnight.AddMilliseconds(50)));
        try
        {
            for (var round = 0; round < 5; round++)
            {
                var events = world.Events(400, startMinutes: round * 1_000);
                // Neither sees the other's uncommitted rows in its own day; they must meet on one key.
                var results = await Task.WhenAll(Enumerable.Range(0, 6)
                    .Select(i => Task.Run(() => (i % 2 == 0 ? before : after).WriteAsync(Replay(events)))));
                Assert.Equal(400, results.Sum(r => r.Accepted));
            }

            Assert.Equal(2_000, await CountAsync(world));
        }
        finally
        {
            (before as IDisposable)?.Dispose();
            (after as IDisposable)?.Dispose();
        }
    }

    [StoreFact]
    public async Task WriteAsync_LateEventsReplayedWithinTheLateness_AreDuplicates()
    {
        var world = await TestWorld.CreateAsync(Store);
        var received = new DateTime(2031, 8, 3, 9, 0, 0, DateTimeKind.Utc);
        // Events that happened 40 hours before they arrived, replayed 47 hours later with a corrected timestamp.
        var late = world.Events(200).Select(e => { e.OccurredAt = received.AddHours(-40).AddSeconds(e.OccurredAt.Minute); return e; }).ToList();
        Assert.Equal(new TelemetryWriteResult(200, 0), await WriteWithAsync(Store, ClockAt(received), late));

        var result = await WriteWithAsync(Store, ClockAt(received.AddHours(47)), Replay(late, TimeSpan.FromSeconds(1)));

        Assert.Equal(new TelemetryWriteResult(0, 200), result);
        Assert.Equal(200, await CountAsync(world));
    }

    [StoreFact]
    public async Task WriteAsync_ReplayAfterTheWindow_IsStoredAgainOnPostgresAndStillADuplicateOnSqlite()
    {
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(50);
        var received = new DateTime(2031, 9, 1, 12, 0, 0, DateTimeKind.Utc);
        await WriteWithAsync(Store, ClockAt(received), events);

        // Past the three-day window: PostgreSQL has forgotten the ids (documented); SQLite keeps its full-history key.
        var result = await WriteWithAsync(Store, ClockAt(received.AddDays(Store.Options.TelemetryDedupWindowDays + 1)), Replay(events));

        Assert.Equal(Store.Provider == StoreProvider.Postgres ? new TelemetryWriteResult(50, 0) : new TelemetryWriteResult(0, 50), result);
        Assert.Equal(Store.Provider == StoreProvider.Postgres ? 100 : 50, await CountAsync(world));
    }

    [StoreFact]
    public async Task Maintenance_Retention_RemovesOnlyEventsReceivedBeforeTheCutoffAndTheirDetails_NeverRollups()
    {
        var world = await TestWorld.CreateAsync(Store);
        var oldDay = new DateTime(2020, 1, 1, 8, 0, 0, DateTimeKind.Utc);
        var recentDay = new DateTime(2020, 4, 15, 8, 0, 0, DateTimeKind.Utc);
        var old = world.Events(120);
        old[0].Detail = new TelemetryEventDetail { ErrorMessage = "old failure", Field = "Contact.Email" };
        var recent = world.Events(80, startMinutes: 5_000);
        recent[0].Detail = new TelemetryEventDetail { ErrorMessage = "recent failure", Field = "Contact.Email" };
        await WriteWithAsync(Store, ClockAt(oldDay), old);
        await WriteWithAsync(Store, ClockAt(recentDay), recent);
        await using (var db = Store.CreateContext())
        {
            db.ConnectionRollups.Add(new ConnectionRollup
            {
                TenantId = world.Tenant.Id, Grain = RollupGrain.Day, BucketStart = oldDay.Date, AccountId = world.Accounts[0].Id,
                ProviderId = world.Salesforce.Id, Resource = "contacts",
            });
            await db.SaveChangesAsync();
        }

        // 90 days before 2020-04-20 is 2020-01-21: the January day goes, April stays.
        var result = await Store.CreateMaintenance(ClockAt(new DateTime(2020, 4, 20, 3, 0, 0, DateTimeKind.Utc))).RunAsync();

        await using var check = Store.CreateContext();
        var left = await check.TelemetryEvents.Where(e => e.TenantId == world.Tenant.Id).Select(e => e.Id).ToListAsync();
        Assert.Equal(recent.Select(e => e.Id).Order(), left.Order());
        Assert.Equal(["recent failure"], await check.TelemetryEventDetails.Where(d => d.TenantId == world.Tenant.Id).Select(d => d.ErrorMessage).ToListAsync());
        Assert.Equal(1, await check.ConnectionRollups.CountAsync(r => r.TenantId == world.Tenant.Id));
        if (Store.Provider == StoreProvider.Postgres)
        {
            Assert.Contains(PostgresTelemetryPartitions.PartitionName(PostgresTelemetryPartitions.EventsTable, new DateOnly(2020, 1, 1)), result.PartitionsDropped);
            Assert.DoesNotContain(PostgresTelemetryPartitions.PartitionName(PostgresTelemetryPartitions.EventsTable, new DateOnly(2020, 4, 15)), result.PartitionsDropped);
        }
        else
        {
            Assert.True(result.EventsRemoved >= 120);
        }

        // Ingestion goes on after a run, and a second run finds nothing more to remove of this tenant's.
        var again = await Store.CreateMaintenance(ClockAt(new DateTime(2020, 4, 20, 4, 0, 0, DateTimeKind.Utc))).RunAsync();
        Assert.Empty(again.PartitionsDropped);
        Assert.Equal(new TelemetryWriteResult(5, 0), await WriteWithAsync(Store, ClockAt(recentDay.AddDays(5)), world.Events(5, startMinutes: 9_000)));
        Assert.Equal(85, await CountAsync(world));
    }
}
