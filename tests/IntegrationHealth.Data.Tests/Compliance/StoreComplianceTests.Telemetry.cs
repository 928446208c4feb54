using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Data.Tests.Compliance;

// Telemetry bulk writes and reads: dedup, concurrency, atomicity, range queries, tenant isolation.
public abstract partial class StoreComplianceTests
{
    [StoreFact]
    public async Task WriteAsync_NewBatch_AcceptsAllAndRoundTripsEveryField()
    {
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(1_000);
        var full = events[10];
        full.Kind = TelemetryKind.SyncRun;
        full.Outcome = TelemetryOutcome.Failure;
        full.ErrorClass = ErrorClass.RateLimited;
        full.Method = HttpMethodCode.Patch;
        full.HttpStatus = 429;
        full.LatencyMs = 4_321;
        full.Records = 77;
        full.RateLimitRemaining = 0;
        full.RateLimitLimit = 500;
        full.Resource = "opportunities/line-items";
        full.UserId = "user-42@example.com";
        full.OccurredAt = TestWorld.Epoch.AddTicks(1_234_560); // sub-second, whole microseconds (PostgreSQL's precision)
        var sparse = events[11];
        sparse.ConnectionId = null;
        sparse.HttpStatus = null;
        sparse.LatencyMs = null;
        sparse.RateLimitRemaining = null;
        sparse.RateLimitLimit = null;
        sparse.Resource = null;

        var result = await Store.Writer.WriteAsync(events);

        Assert.Equal(new Telemetry.TelemetryWriteResult(1_000, 0), result);
        await using var db = Store.CreateContext();
        Assert.Equal(1_000, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
        var stored = await db.TelemetryEvents.AsNoTracking().SingleAsync(e => e.Id == full.Id);
        // The ingest sequence is the store's, not the sender's.
        Assert.True(stored.IngestSeq > 0);
        full.IngestSeq = stored.IngestSeq;
        // So is the receiving instant (the writer's clock, here the system's): it decides partition and retention.
        Assert.InRange(stored.ReceivedAt, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddHours(1));
        full.ReceivedAt = stored.ReceivedAt;
        Assert.Equivalent(full, stored, strict: true);
        Assert.Equal(DateTimeKind.Utc, stored.OccurredAt.Kind);
        var storedSparse = await db.TelemetryEvents.AsNoTracking().SingleAsync(e => e.Id == sparse.Id);
        sparse.IngestSeq = storedSparse.IngestSeq;
        sparse.ReceivedAt = storedSparse.ReceivedAt;
        Assert.Equivalent(sparse, storedSparse, strict: true);
    }

    [StoreFact]
    public async Task WriteAsync_LaterBatch_GetsLargerIngestSequenceNumbersWhateverItsTimesAndIds()
    {
        var world = await TestWorld.CreateAsync(Store);
        var first = world.Events(200);
        var second = world.Events(200);
        // The second batch happened earlier and has smaller ids: arrival order is neither time nor id order.
        foreach (var e in second)
        {
            e.OccurredAt = e.OccurredAt.AddDays(-2);
            e.Id = new Guid(0, 0, 0, e.Id.ToByteArray()[8..]);
        }

        await Store.Writer.WriteAsync(first);
        await Store.Writer.WriteAsync([.. second, .. first.Take(10)]); // with ten duplicates, which keep their numbers

        await using var db = Store.CreateContext();
        var firstIds = first.Select(e => e.Id).ToHashSet();
        var rows = await db.TelemetryEvents.AsNoTracking().Where(e => e.TenantId == world.Tenant.Id)
            .Select(e => new { e.Id, e.IngestSeq }).ToListAsync();
        Assert.Equal(400, rows.Count);
        Assert.Equal(400, rows.Select(r => r.IngestSeq).Distinct().Count());
        Assert.True(rows.Where(r => firstIds.Contains(r.Id)).Max(r => r.IngestSeq) < rows.Where(r => !firstIds.Contains(r.Id)).Min(r => r.IngestSeq));
    }

    [StoreFact]
    public async Task WriteAsync_EmptyBatch_ReturnsZeroCounts()
    {
        Assert.Equal(default, await Store.Writer.WriteAsync([]));
    }

    [StoreFact]
    public async Task WriteAsync_NullBatchOrEvent_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.Writer.WriteAsync(null!));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.Writer.WriteAsync([null!]));
        Assert.Contains("item 0", error.Message);
    }

    [StoreFact]
    public async Task WriteAsync_DuplicatesWithinBatch_StoresFirstAndCountsRest()
    {
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(100);
        var repeated = events[5];
        var copy = world.Event(minutes: 999, id: repeated.Id);
        copy.LatencyMs = 1;
        events.Add(copy);
        events.Add(world.Event(minutes: 998, id: events[50].Id));

        var result = await Store.Writer.WriteAsync(events);

        Assert.Equal(100, result.Accepted);
        Assert.Equal(2, result.Duplicates);
        await using var db = Store.CreateContext();
        Assert.Equal(100, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
        Assert.Equal(repeated.LatencyMs, (await db.TelemetryEvents.SingleAsync(e => e.Id == repeated.Id)).LatencyMs);
    }

    [StoreFact]
    public async Task WriteAsync_RetriedAndOverlappingBatches_CountEachIdOnce()
    {
        var world = await TestWorld.CreateAsync(Store);
        var first = world.Events(300);
        var retry = first.ToList();
        var overlapping = first.Skip(200).Concat(world.Events(50, startMinutes: 1_000)).ToList();

        var r1 = await Store.Writer.WriteAsync(first);
        var r2 = await Store.Writer.WriteAsync(retry);
        var r3 = await Store.Writer.WriteAsync(overlapping);

        Assert.Equal(new Telemetry.TelemetryWriteResult(300, 0), r1);
        Assert.Equal(new Telemetry.TelemetryWriteResult(0, 300), r2);
        Assert.Equal(new Telemetry.TelemetryWriteResult(50, 100), r3);
        await using var db = Store.CreateContext();
        Assert.Equal(350, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
    }

    [StoreFact]
    public async Task WriteAsync_ConcurrentDuplicateBatchesFrom8Tasks_StoreAndAcceptEachIdOnce()
    {
        var world = await TestWorld.CreateAsync(Store);
        var ids = world.Events(2_000);
        const int writers = 8;
        var batches = Enumerable.Range(0, writers).Select(w =>
        {
            // Every writer sends all ids in its own order, half of them as its own copies with different payloads.
            var random = new Random(w);
            return ids.OrderBy(_ => random.Next())
                .Select(e => random.Next(2) == 0 ? e : world.Event(minutes: w * 10_000 + random.Next(1_000), id: e.Id))
                .Chunk(500)
                .ToList();
        }).ToList();
        using var start = new Barrier(writers);

        var results = await Task.WhenAll(batches.Select(chunks => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            var accepted = 0;
            var duplicates = 0;
            foreach (var chunk in chunks)
            {
                var r = await Store.Writer.WriteAsync(chunk);
                accepted += r.Accepted;
                duplicates += r.Duplicates;
            }

            return (accepted, duplicates);
        })));

        Assert.Equal(ids.Count, results.Sum(r => r.accepted));
        Assert.Equal(ids.Count * (writers - 1), results.Sum(r => r.duplicates));
        await using var db = Store.CreateContext();
        Assert.Equal(ids.Count, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
        var storedIds = await db.TelemetryEvents.Where(e => e.TenantId == world.Tenant.Id).Select(e => e.Id).ToListAsync();
        Assert.Equal(ids.Select(e => e.Id).Order(), storedIds.Order());
    }

    [StoreFact]
    public async Task WriteAsync_RowViolatingCheckMidBatch_StoresNothingOfTheBatch()
    {
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(500);
        events[250].HttpStatus = 42;

        await Assert.ThrowsAnyAsync<Exception>(() => Store.Writer.WriteAsync(events));

        await using var db = Store.CreateContext();
        Assert.Equal(0, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
        events[250].HttpStatus = 200;
        Assert.Equal(new Telemetry.TelemetryWriteResult(500, 0), await Store.Writer.WriteAsync(events));
    }

    [StoreFact]
    public async Task WriteAsync_OverlongResourceInLastRow_StoresNothingOfTheBatch()
    {
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(300);
        events[^1].Resource = new string('r', 201);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.Writer.WriteAsync(events));

        await using var db = Store.CreateContext();
        Assert.Equal(0, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
    }

    [StoreFact]
    public async Task WriteAsync_FailedBatchSharingIdsWithLaterBatch_LaterBatchAcceptsThem()
    {
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(50);
        var poisoned = events.Append(world.Event(minutes: 60)).ToList();
        poisoned[^1].LatencyMs = -1;

        await Assert.ThrowsAnyAsync<Exception>(() => Store.Writer.WriteAsync(poisoned));
        var result = await Store.Writer.WriteAsync(events);

        // The failed batch left no ids behind, so nothing of the retry counts as a duplicate.
        Assert.Equal(new Telemetry.TelemetryWriteResult(50, 0), result);
    }

    [StoreFact]
    public async Task WriteAsync_ConcurrentBatchesOneInvalid_OnlyTheInvalidBatchFails()
    {
        var world = await TestWorld.CreateAsync(Store);
        var batches = Enumerable.Range(0, 8).Select(b => world.Events(200, startMinutes: b * 1_000)).ToList();
        batches[3][150].HttpStatus = 7;
        // Batch 5 repeats ids of batch 6: whichever lands second counts them as duplicates.
        for (var i = 0; i < 50; i++)
        {
            batches[5][i].Id = batches[6][i].Id;
        }

        var writes = batches.Select(batch => Task.Run(() => Store.Writer.WriteAsync(batch))).ToList();
        await Assert.ThrowsAnyAsync<Exception>(() => writes[3]);
        var results = await Task.WhenAll(writes.Where((_, i) => i != 3));

        Assert.Equal(7 * 200 - 50, results.Sum(r => r.Accepted));
        Assert.Equal(50, results.Sum(r => r.Duplicates));
        await using var db = Store.CreateContext();
        Assert.Equal(7 * 200 - 50, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
        var invalidIds = batches[3].Select(e => e.Id).ToList();
        Assert.Equal(0, await db.TelemetryEvents.CountAsync(e => invalidIds.Contains(e.Id)));
    }

    [StoreFact]
    public async Task WriteAsync_CancelledToken_StoresNothing()
    {
        var world = await TestWorld.CreateAsync(Store);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.Writer.WriteAsync(world.Events(10), cancelled.Token));

        await using var db = Store.CreateContext();
        Assert.Equal(0, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
    }

    [StoreFact]
    public async Task Query_AccountTimeRange_ReturnsExactlyTheEventsInRangeInOrder()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 2);
        var events = world.Events(120, accountIndex: 0).Concat(world.Events(120, accountIndex: 1)).ToList();
        await Store.Writer.WriteAsync(events);
        var from = TestWorld.Epoch.AddMinutes(30);
        var to = TestWorld.Epoch.AddMinutes(90);
        var account = world.Accounts[0].Id;

        await using var db = Store.CreateContext();
        var found = await db.TelemetryEvents
            .Where(e => e.TenantId == world.Tenant.Id && e.AccountId == account && e.OccurredAt >= from && e.OccurredAt < to)
            .OrderBy(e => e.OccurredAt)
            .Select(e => e.Id)
            .ToListAsync();

        var expected = events.Where(e => e.AccountId == account && e.OccurredAt >= from && e.OccurredAt < to)
            .OrderBy(e => e.OccurredAt).Select(e => e.Id).ToList();
        Assert.Equal(60, expected.Count);
        Assert.Equal(expected, found);
    }

    [StoreFact]
    public async Task Query_ProviderTimeRange_UsesProviderAndCountsPerProvider()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        var events = world.Events(40).Concat(Enumerable.Range(0, 25).Select(i => world.Event(minutes: i, provider: world.Hubspot))).ToList();
        await Store.Writer.WriteAsync(events);
        var hubspot = world.Hubspot.Id;
        var to = TestWorld.Epoch.AddMinutes(10);

        await using var db = Store.CreateContext();
        var counts = await db.TelemetryEvents
            .Where(e => e.TenantId == world.Tenant.Id && e.OccurredAt < to)
            .GroupBy(e => e.ProviderId)
            .Select(g => new { Provider = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Provider, x => x.Count);

        Assert.Equal(10, counts[world.Salesforce.Id]);
        Assert.Equal(10, counts[hubspot]);
    }

    [StoreFact]
    public async Task Query_TenantScoped_NeverReturnsOtherTenantsEvents()
    {
        var a = await TestWorld.CreateAsync(Store, accounts: 1);
        var b = await TestWorld.CreateAsync(Store, accounts: 1);
        await Store.Writer.WriteAsync(a.Events(30));
        await Store.Writer.WriteAsync(b.Events(45));

        await using var db = Store.CreateContext();
        // Same external account id in both tenants: resolving it within tenant A must only see A's events.
        var accountOfA = await db.Accounts.Where(x => x.TenantId == a.Tenant.Id && x.ExternalId == "acct-1").Select(x => x.Id).SingleAsync();
        var ofA = await db.TelemetryEvents.Where(e => e.TenantId == a.Tenant.Id && e.AccountId == accountOfA).ToListAsync();
        var ofB = await db.TelemetryEvents.CountAsync(e => e.TenantId == b.Tenant.Id);

        Assert.Equal(30, ofA.Count);
        Assert.All(ofA, e => Assert.Equal(a.Tenant.Id, e.TenantId));
        Assert.Equal(45, ofB);
    }

    [StoreFact]
    public async Task OrderById_SortsLikeTheUuidText_OnEveryProvider()
    {
        // Ties in reads are broken by id; both engines must agree, in the UUID's own (RFC 9562) order.
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(300);
        events.Add(world.Event(id: Guid.Parse("00000000-0000-0000-0000-0000000000ff")));
        events.Add(world.Event(id: Guid.Parse("ff000000-0000-0000-0000-000000000000")));
        events.Add(world.Event(id: Guid.Parse("000000ff-0000-0000-0000-000000000000")));
        await Store.Writer.WriteAsync(events);

        await using var db = Store.CreateContext();
        var stored = await db.TelemetryEvents.Where(e => e.TenantId == world.Tenant.Id).OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();

        Assert.Equal(events.Select(e => e.Id).OrderBy(id => id.ToString("N"), StringComparer.Ordinal), stored);
    }
}
