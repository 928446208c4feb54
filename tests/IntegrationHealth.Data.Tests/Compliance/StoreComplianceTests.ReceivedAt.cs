using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Data.Tests.Compliance;

// The store's receiving instant (received_at) and acceptance order (ingest_seq): what retention deletes by and what
// the incremental rollups read by must agree on both stores.
public abstract partial class StoreComplianceTests
{
    [StoreFact]
    public async Task WriteAsync_Batches_StampEveryRowWithTheWritersClockAtTheWrite()
    {
        var world = await TestWorld.CreateAsync(Store);
        var start = new DateTime(2032, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        var clock = ClockAt(start);
        var writer = Store.CreateWriter(clock);
        try
        {
            var first = world.Events(300);
            await writer.WriteAsync(first);
            clock.Advance(TimeSpan.FromMinutes(90));
            // Events that happened long before either batch: the receiving instant is the store's, not the sender's.
            var second = world.Events(200, startMinutes: -50_000);
            await writer.WriteAsync(second);

            await using var db = Store.CreateContext();
            var rows = await db.TelemetryEvents.AsNoTracking().Where(e => e.TenantId == world.Tenant.Id)
                .Select(e => new { e.Id, e.ReceivedAt, e.IngestSeq }).ToListAsync();
            var firstIds = first.Select(e => e.Id).ToHashSet();
            var firstRows = rows.Where(r => firstIds.Contains(r.Id)).ToList();
            var secondRows = rows.Where(r => !firstIds.Contains(r.Id)).ToList();
            Assert.Equal(300, firstRows.Count);
            Assert.Equal(200, secondRows.Count);
            Assert.All(firstRows, r => Assert.Equal(start, r.ReceivedAt));
            Assert.All(secondRows, r => Assert.Equal(start.AddMinutes(90), r.ReceivedAt));
            Assert.True(secondRows.Min(r => r.IngestSeq) > firstRows.Max(r => r.IngestSeq));
        }
        finally
        {
            (writer as IDisposable)?.Dispose();
        }
    }

    // Regression: the SQLite writer numbers on from the largest stored ingest_seq, so a retention run that removed every
    // event (a store idle for the whole retention period) made it hand out 1, 2, … again, below the rollups' read
    // position, and the rollups never read the new events.
    [StoreFact]
    public async Task Maintenance_EveryEventOlderThanRetention_LaterEventsStillGetLargerIngestSequenceNumbers()
    {
        await using var database = await Store.CreateEmptyDatabaseAsync();
        await database.MigrateAsync();
        var world = await TestWorld.CreateAsync(database.CreateContext);
        var options = database.Options;
        var old = new DateTime(2019, 3, 1, 10, 0, 0, DateTimeKind.Utc);
        await WriteInAsync(options, ClockAt(old), world.Events(400));
        long readPosition;
        await using (var db = database.CreateContext())
        {
            readPosition = await db.TelemetryEvents.MaxAsync(e => e.IngestSeq); // where a rollup that read them all stands
        }

        var later = old.AddDays(options.TelemetryRetentionDays + 30);
        await new TelemetryMaintenance(options, ClockAt(later)).RunAsync();
        var fresh = world.Events(50, startMinutes: 900_000);
        Assert.Equal(new TelemetryWriteResult(50, 0), await WriteInAsync(options, ClockAt(later), fresh));

        await using var check = database.CreateContext();
        var after = await check.TelemetryEvents.Where(e => e.IngestSeq > readPosition).Select(e => e.Id).ToListAsync();
        Assert.Equal(fresh.Select(e => e.Id).Order(), after.Order());
        // Retention removed the old events (SQLite keeps the one numbered last: the store's high-water mark).
        var oldLeft = await check.TelemetryEvents.CountAsync(e => e.IngestSeq <= readPosition);
        Assert.Equal(Store.Provider == StoreProvider.Sqlite ? 1 : 0, oldLeft);
    }

    [StoreFact]
    public async Task Maintenance_InsideTheWindow_KeepsReplaysDuplicates_AndPastItPostgresForgetsTheIds()
    {
        // A database of its own: maintenance years ahead would drop the shared database's partitions of today.
        await using var database = await Store.CreateEmptyDatabaseAsync();
        await database.MigrateAsync();
        var options = database.Options;
        var world = await TestWorld.CreateAsync(database.CreateContext);
        var received = new DateTime(2034, 3, 10, 15, 0, 0, DateTimeKind.Utc);
        var events = world.Events(120);
        Assert.Equal(new TelemetryWriteResult(120, 0), await WriteInAsync(options, ClockAt(received), events));

        // Two days on: maintenance has run, the window (three days) still holds the ids.
        var inside = received.AddDays(2);
        await new TelemetryMaintenance(options, ClockAt(inside)).RunAsync();
        Assert.Equal(new TelemetryWriteResult(0, 120), await WriteInAsync(options, ClockAt(inside), Replay(events)));

        // Past the window, once maintenance has dropped its day: PostgreSQL stores a replay again (the documented
        // behaviour outside the window); SQLite's key covers everything it keeps, so it is still a duplicate there.
        var outside = received.AddDays(options.TelemetryDedupWindowDays + 1);
        var result = await new TelemetryMaintenance(options, ClockAt(outside)).RunAsync();
        var replay = await WriteInAsync(options, ClockAt(outside), Replay(events));
        await using var db = database.CreateContext();
        var stored = await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id);
        if (Store.Provider == StoreProvider.Postgres)
        {
            Assert.Contains(PostgresTelemetryPartitions.PartitionName(PostgresTelemetryPartitions.DedupTable, DateOnly.FromDateTime(received)), result.PartitionsDropped);
            Assert.Equal(new TelemetryWriteResult(120, 0), replay);
            Assert.Equal(240, stored);
        }
        else
        {
            Assert.Equal(new TelemetryWriteResult(0, 120), replay);
            Assert.Equal(120, stored);
        }
    }

    private static async Task<TelemetryWriteResult> WriteInAsync(DatabaseOptions options, TimeProvider time, IReadOnlyList<TelemetryEvent> events)
    {
        var writer = StoreFixture.CreateWriter(options, time);
        try
        {
            return await writer.WriteAsync(events);
        }
        finally
        {
            (writer as IDisposable)?.Dispose();
        }
    }
}
