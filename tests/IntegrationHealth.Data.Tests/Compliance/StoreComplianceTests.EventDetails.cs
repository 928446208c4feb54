using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Sqlite;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Data.Tests.Compliance;

// What real engines send beside the narrow row (issue 13, item 2): interned endpoint templates, and a failure's detail
// in a side table, written by both writers exactly once and atomically with their event.
public abstract partial class StoreComplianceTests
{
    private static TelemetryEventDetail Detail(string message, string? field = "Contact.Email", string? recordId = "003XX000004TmiQ") =>
        new() { ErrorMessage = message, Field = field, RecordId = recordId };

    private async Task<Dictionary<Guid, TelemetryEventDetail>> DetailsAsync(TestWorld world)
    {
        await using var db = Store.CreateContext();
        return await db.TelemetryEventDetails.AsNoTracking().Where(d => d.TenantId == world.Tenant.Id).ToDictionaryAsync(d => d.EventId);
    }

    [StoreFact]
    public async Task WriteAsync_EventsWithEndpointsAndDetails_StoreEachDetailOnceWithItsAcceptedEvent()
    {
        var world = await TestWorld.CreateAsync(Store);
        IReadOnlyDictionary<(int, string), int> endpoints;
        await using (var db = Store.CreateContext())
            endpoints = await EndpointTemplates.InternAsync(db, world.Tenant.Id, [(world.Salesforce.Id, "/services/data/v59.0/sobjects/{type}/{id}")]);
        var endpointId = Assert.Single(endpoints).Value;
        var events = world.Events(300);
        for (var i = 0; i < 300; i += 30) events[i].Detail = Detail($"message {i}\nsecond line");
        events[1].EndpointId = endpointId;
        events[2].Detail = new TelemetryEventDetail { RecordId = "only-a-record" };
        // Repeats in the batch: the first occurrence wins, its detail (or lack of one) with it.
        events.Add(world.Event(minutes: 999, id: events[3].Id).With(e => e.Detail = Detail("from a repeat")));
        events.Add(world.Event(minutes: 998, id: events[30].Id).With(e => e.Detail = Detail("from a later repeat")));

        Assert.Equal(new TelemetryWriteResult(300, 2), await Store.Writer.WriteAsync(events));

        var details = await DetailsAsync(world);
        Assert.Equal(11, details.Count);
        Assert.Equal(("message 30\nsecond line", "Contact.Email", "003XX000004TmiQ"), (details[events[30].Id].ErrorMessage, details[events[30].Id].Field, details[events[30].Id].RecordId));
        Assert.Equal((null, null, "only-a-record"), (details[events[2].Id].ErrorMessage, details[events[2].Id].Field, details[events[2].Id].RecordId));
        Assert.False(details.ContainsKey(events[3].Id));
        await using (var db = Store.CreateContext())
        {
            Assert.Equal(endpointId, (await db.TelemetryEvents.SingleAsync(e => e.TenantId == world.Tenant.Id && e.Id == events[1].Id)).EndpointId);
            Assert.Equal(1, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id && e.EndpointId != null));
        }

        // A replay (and an overlapping batch, which on PostgreSQL's COPY path falls back to the unnest statement):
        // the stored events keep their details; only the new events bring theirs.
        var overlapping = events.Take(60).Select(e => world.Event(minutes: 5_000, id: e.Id).With(x => x.Detail = Detail("replayed"))).ToList();
        var fresh = world.Events(5, startMinutes: 10_000);
        fresh.ForEach(e => e.Detail = Detail("fresh"));
        Assert.Equal(new TelemetryWriteResult(5, 60), await Store.Writer.WriteAsync([.. overlapping, .. fresh]));
        details = await DetailsAsync(world);
        Assert.Equal(16, details.Count);
        Assert.DoesNotContain(details.Values, d => d.ErrorMessage == "replayed");
        Assert.All(fresh, e => Assert.Equal("fresh", details[e.Id].ErrorMessage));
    }

    [StoreFact]
    public async Task WriteAsync_DetailViolatingItsLimitInLastRow_StoresNothingOfTheBatch()
    {
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(200);
        events[10].Detail = Detail("fine");
        events[^1].Detail = Detail(new string('m', 1_001));

        await Assert.ThrowsAnyAsync<Exception>(() => Store.Writer.WriteAsync(events));

        await using var db = Store.CreateContext();
        Assert.Equal(0, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
        Assert.Empty(await DetailsAsync(world));
        events[^1].Detail = Detail(new string('m', 1_000));
        Assert.Equal(new TelemetryWriteResult(200, 0), await Store.Writer.WriteAsync(events));
        Assert.Equal(2, (await DetailsAsync(world)).Count);
    }

    [StoreFact]
    public async Task WriteAsync_DetailLeftByAVanishedEvent_IsReplacedByTheNewEventsDetail()
    {
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(20);
        events[4].Detail = Detail("new");
        await using (var db = Store.CreateContext())
        {
            db.TelemetryEventDetails.Add(new TelemetryEventDetail { TenantId = world.Tenant.Id, EventId = events[4].Id, ErrorMessage = "orphan" });
            await db.SaveChangesAsync();
        }

        Assert.Equal(new TelemetryWriteResult(20, 0), await Store.Writer.WriteAsync(events));

        Assert.Equal("new", Assert.Single(await DetailsAsync(world)).Value.ErrorMessage);
    }

    [StoreFact]
    public async Task WriteAsync_ConcurrentWritersWithTheirOwnDetails_StoreTheWinningEventsDetailOnly()
    {
        var world = await TestWorld.CreateAsync(Store);
        var ids = Enumerable.Range(0, 400).Select(_ => Guid.NewGuid()).ToList();
        const int writers = 6;
        // Writer w's copies happen at minute w and say "w<w>": the stored detail must be the stored event's.
        var batches = Enumerable.Range(0, writers).Select(w =>
        {
            var random = new Random(w);
            return ids.OrderBy(_ => random.Next()).Select(id => world.Event(minutes: w, id: id).With(e => e.Detail = Detail($"w{w}")))
                .Chunk(100).ToList();
        }).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // an async gate: no thread blocks on it

        var running = batches.Select(chunks => Task.Run(async () =>
        {
            await start.Task;
            var n = 0;
            foreach (var chunk in chunks) n += (await Store.Writer.WriteAsync(chunk)).Accepted;
            return n;
        })).ToList();
        start.SetResult();
        var accepted = await Task.WhenAll(running);

        Assert.Equal(ids.Count, accepted.Sum());
        await using var db = Store.CreateContext();
        var stored = await db.TelemetryEvents.AsNoTracking().Where(e => e.TenantId == world.Tenant.Id).ToDictionaryAsync(e => e.Id, e => e.OccurredAt);
        var details = await DetailsAsync(world);
        Assert.Equal(ids.Order(), details.Keys.Order());
        Assert.All(ids, id => Assert.Equal($"w{(int)(stored[id] - TestWorld.Epoch).TotalMinutes}", details[id].ErrorMessage));
    }

    [StoreFact]
    public async Task InternAsync_ConcurrentWritersOfOneTenant_GetOneIdPerProviderAndTemplate()
    {
        var world = await TestWorld.CreateAsync(Store, accounts: 1);
        var other = await TestWorld.CreateAsync(Store, accounts: 1);
        var templates = Enumerable.Range(0, 30)
            .Select(i => (ProviderId: i % 2 == 0 ? world.Salesforce.Id : world.Hubspot.Id, Template: $"/v{i % 15}/objects/{{id}}/ünïcode"))
            .ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // an async gate: no thread blocks on it

        var running = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            await using var db = Store.CreateContext();
            await start.Task;
            return await EndpointTemplates.InternAsync(db, world.Tenant.Id, [.. templates.OrderBy(_ => random.Next())]);
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(running);
        IReadOnlyDictionary<(int, string), int> ofOther;
        await using (var db = Store.CreateContext())
            ofOther = await EndpointTemplates.InternAsync(db, other.Tenant.Id, [templates[0]]);

        Assert.All(results, r => Assert.Equal(results[0].OrderBy(p => p.Key), r.OrderBy(p => p.Key)));
        Assert.Equal(30, results[0].Count);
        await using var check = Store.CreateContext();
        Assert.Equal(30, await check.EndpointTemplates.CountAsync(t => t.TenantId == world.Tenant.Id));
        Assert.NotEqual(results[0][templates[0]], Assert.Single(ofOther).Value);
    }

    [StoreFact]
    public void DetailKey_StoresEventIdLikeTheTelemetryKey()
    {
        // The reads join details to events by id; on SQLite both must use the same 16-byte order.
        using var db = Store.CreateContext();
        var property = db.Model.FindEntityType(typeof(TelemetryEventDetail))!.FindProperty(nameof(TelemetryEventDetail.EventId))!;
        Assert.Equal(Store.Provider == StoreProvider.Sqlite, property.GetValueConverter() is SqliteGuidBytesConverter);
    }
}

/// <summary>Small fluent helper for arranging events.</summary>
internal static class TelemetryEventArrangement
{
    public static TelemetryEvent With(this TelemetryEvent e, Action<TelemetryEvent> change)
    {
        change(e);
        return e;
    }
}
