using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace IntegrationHealth.Data.Tests.Compliance;

/// <summary>The store compliance suite on a fresh database of the PostgreSQL test server
/// (<see cref="TestServers.PostgresVariable"/>), telemetry written by binary COPY (<see cref="PostgresWriteMode.Copy"/>,
/// the default).</summary>
public sealed class PostgresStoreTests(PostgresStoreFixture store, ITestOutputHelper output)
    : StoreComplianceTests(store, output), IClassFixture<PostgresStoreFixture>, IRequiresPostgres
{
    [StoreFact]
    public void Writer_CopyFixture_IsRegisteredInCopyMode()
        => Assert.Equal(PostgresWriteMode.Copy, Assert.IsType<PostgresTelemetryWriter>(Store.Writer).Mode);

    [StoreFact]
    public async Task WriteAsync_NewEventsWithRepeatsInTheBatch_AreCopiedWithoutFallingBack()
    {
        var writer = Assert.IsType<PostgresTelemetryWriter>(Store.Writer);
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(200);
        var repeat = world.Event(minutes: 999, id: events[17].Id);
        events.Insert(3, repeat); // a repeat earlier in the batch is the first occurrence: it wins
        events.Add(world.Event(minutes: 998, id: events[50].Id));
        var conflictsBefore = writer.CopyConflicts;

        Assert.Equal(new TelemetryWriteResult(200, 2), await writer.WriteAsync(events));

        Assert.Equal(conflictsBefore, writer.CopyConflicts);
        await using var db = Store.CreateContext();
        Assert.Equal(200, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
        Assert.Equal(repeat.OccurredAt, (await db.TelemetryEvents.SingleAsync(e => e.Id == repeat.Id)).OccurredAt);
    }

    [StoreFact]
    public async Task WriteAsync_BatchOverlappingStoredIds_FallsBackAndStoresOnlyTheNewOnes()
    {
        var writer = Assert.IsType<PostgresTelemetryWriter>(Store.Writer);
        var world = await TestWorld.CreateAsync(Store);
        var first = world.Events(300);
        Assert.Equal(new TelemetryWriteResult(300, 0), await writer.WriteAsync(first));
        var conflictsBefore = writer.CopyConflicts;
        var overlapping = first.Skip(200).Select(e => world.Event(minutes: 5_000, id: e.Id)).Concat(world.Events(150, startMinutes: 10_000)).ToList();

        Assert.Equal(new TelemetryWriteResult(150, 100), await writer.WriteAsync(overlapping));

        Assert.Equal(conflictsBefore + 1, writer.CopyConflicts);
        await using var db = Store.CreateContext();
        Assert.Equal(450, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
        // The stored copies of the overlapping ids are the first ones, untouched.
        Assert.Equal(0, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id && e.OccurredAt == TestWorld.Epoch.AddMinutes(5_000)));
    }
}

/// <summary>The store compliance suite on PostgreSQL with the telemetry writer in <see cref="PostgresWriteMode.Unnest"/>
/// mode, so both write paths stay covered.</summary>
public sealed class PostgresUnnestStoreTests(PostgresUnnestStoreFixture store, ITestOutputHelper output)
    : StoreComplianceTests(store, output), IClassFixture<PostgresUnnestStoreFixture>, IRequiresPostgres
{
    [StoreFact]
    public void Writer_UnnestFixture_IsRegisteredInUnnestMode()
        => Assert.Equal(PostgresWriteMode.Unnest, Assert.IsType<PostgresTelemetryWriter>(Store.Writer).Mode);
}
