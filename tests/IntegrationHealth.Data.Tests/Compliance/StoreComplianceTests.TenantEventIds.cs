using IntegrationHealth.Data.Sqlite;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Data.Tests.Compliance;

// Event ids are unique per tenant (issue 13, item 4): before the EventIdsPerTenant migration, tenant B's event with an id
// tenant A had used was dropped as a duplicate of A's (and told B that A had used the id).
public abstract partial class StoreComplianceTests
{
    [StoreFact]
    public async Task WriteAsync_SameIdInTwoTenants_StoresBothAndEachReplayIsADuplicate()
    {
        var a = await TestWorld.CreateAsync(Store, accounts: 1);
        var b = await TestWorld.CreateAsync(Store, accounts: 1);
        var ids = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();
        var ofA = ids.Select((id, i) => a.Event(minutes: i, id: id)).ToList();
        var ofB = ids.Select((id, i) => b.Event(minutes: 500 + i, id: id)).ToList();

        Assert.Equal(new TelemetryWriteResult(50, 0), await Store.Writer.WriteAsync(ofA));
        Assert.Equal(new TelemetryWriteResult(50, 0), await Store.Writer.WriteAsync(ofB));
        Assert.Equal(new TelemetryWriteResult(0, 50), await Store.Writer.WriteAsync(ofA));
        Assert.Equal(new TelemetryWriteResult(0, 50), await Store.Writer.WriteAsync(ofB));

        await using var db = Store.CreateContext();
        Assert.Equal(50, await db.TelemetryEvents.CountAsync(e => e.TenantId == a.Tenant.Id));
        Assert.Equal(50, await db.TelemetryEvents.CountAsync(e => e.TenantId == b.Tenant.Id));
        // Each tenant's row is its own event, not a copy of the other's.
        var storedOfB = await db.TelemetryEvents.SingleAsync(e => e.TenantId == b.Tenant.Id && e.Id == ids[7]);
        Assert.Equal(ofB[7].OccurredAt, storedOfB.OccurredAt);
        Assert.Equal(b.Accounts[0].Id, storedOfB.AccountId);
    }

    [StoreFact]
    public async Task WriteAsync_OneBatchWithTheSameIdForTwoTenants_StoresOnePerTenant()
    {
        var a = await TestWorld.CreateAsync(Store, accounts: 1);
        var b = await TestWorld.CreateAsync(Store, accounts: 1);
        var events = Enumerable.Range(0, 100).SelectMany(i =>
        {
            var id = Guid.NewGuid();
            return new[] { a.Event(minutes: i, id: id), b.Event(minutes: i, id: id), a.Event(minutes: 999, id: id) };
        }).ToList();

        Assert.Equal(new TelemetryWriteResult(200, 100), await Store.Writer.WriteAsync(events));

        await using var db = Store.CreateContext();
        Assert.Equal(100, await db.TelemetryEvents.CountAsync(e => e.TenantId == a.Tenant.Id));
        Assert.Equal(100, await db.TelemetryEvents.CountAsync(e => e.TenantId == b.Tenant.Id));
        Assert.Equal(0, await db.TelemetryEvents.CountAsync(e => e.TenantId == a.Tenant.Id && e.OccurredAt == TestWorld.Epoch.AddMinutes(999)));
    }

    [StoreFact]
    public async Task WriteAsync_ConcurrentWritersOfTwoTenantsSharingIds_StoreEachIdOncePerTenant()
    {
        var tenants = new[] { await TestWorld.CreateAsync(Store, accounts: 1), await TestWorld.CreateAsync(Store, accounts: 1) };
        var ids = Enumerable.Range(0, 1_000).Select(_ => Guid.NewGuid()).ToList();
        const int writersPerTenant = 4;
        // Every writer sends every id of its tenant, in its own order, in 250-event batches.
        var writers = tenants.SelectMany(world => Enumerable.Range(0, writersPerTenant).Select(w =>
        {
            var random = new Random(w);
            return ids.OrderBy(_ => random.Next()).Select((id, i) => world.Event(minutes: i, id: id)).Chunk(250).ToList();
        })).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // an async gate: no thread blocks on it

        var running = writers.Select(chunks => Task.Run(async () =>
        {
            await start.Task;
            var (accepted, duplicates) = (0, 0);
            foreach (var chunk in chunks)
            {
                var r = await Store.Writer.WriteAsync(chunk);
                accepted += r.Accepted;
                duplicates += r.Duplicates;
            }

            return (accepted, duplicates);
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(running);

        Assert.Equal(tenants.Length * ids.Count, results.Sum(r => r.accepted));
        Assert.Equal(tenants.Length * ids.Count * (writersPerTenant - 1), results.Sum(r => r.duplicates));
        await using var db = Store.CreateContext();
        foreach (var world in tenants)
        {
            var stored = await db.TelemetryEvents.Where(e => e.TenantId == world.Tenant.Id).Select(e => e.Id).ToListAsync();
            Assert.Equal(ids.Order(), stored.Order());
        }
    }

    [StoreFact]
    public async Task Migrate_EventsStoredWithGlobalIds_AreKeptAndAnotherTenantMayReuseTheirIds()
    {
        await using var database = await Store.CreateEmptyDatabaseAsync();
        await using (var db = database.CreateContext())
        {
            var before = db.Database.GetMigrations().TakeWhile(m => !m.EndsWith("_EventIdsPerTenant", StringComparison.Ordinal)).Last();
            await db.GetService<IMigrator>().MigrateAsync(before);
        }

        // Rows as the previous schema stored them (written by hand: the writers now conflict on the new key).
        var ids = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        await using (var db = database.CreateContext())
        {
            foreach (var id in ids)
            {
                object key = Store.Provider == StoreProvider.Sqlite ? SqliteGuidBytesConverter.ToBytes(id) : id;
                object at = Store.Provider == StoreProvider.Sqlite ? SqliteUtcTicksConverter.ToUtcTicks(TestWorld.Epoch) : TestWorld.Epoch;
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO telemetry_events (id, occurred_at, tenant_id, account_id, provider_id, kind, outcome, error_class, method, latency_ms) VALUES ({key}, {at}, 1, 1, 1, 0, 0, 0, 0, 42)");
            }
        }

        await database.MigrateAsync();

        await using (var db = database.CreateContext())
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var kept = await db.TelemetryEvents.AsNoTracking().ToListAsync();
            Assert.Equal(ids.Order(), kept.Select(e => e.Id).Order());
            Assert.All(kept, e => Assert.Equal((1, 42, TestWorld.Epoch), (e.TenantId, e.LatencyMs, e.OccurredAt)));
        }

        var writer = database.Services.GetRequiredService<ITelemetryWriter>();
        var reused = ids.Select(id => new Entities.TelemetryEvent { Id = id, TenantId = 2, AccountId = 2, ProviderId = 1, OccurredAt = TestWorld.Epoch }).ToList();
        Assert.Equal(new TelemetryWriteResult(20, 0), await writer.WriteAsync(reused));
        Assert.Equal(new TelemetryWriteResult(0, 20), await writer.WriteAsync(reused));
        var replayOfTenant1 = ids.Select(id => new Entities.TelemetryEvent { Id = id, TenantId = 1, AccountId = 1, ProviderId = 1, OccurredAt = TestWorld.Epoch }).ToList();
        Assert.Equal(new TelemetryWriteResult(0, 20), await writer.WriteAsync(replayOfTenant1));
    }
}
