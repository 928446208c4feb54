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
    public async Task WriteAsync_NewEventsWithRepeatsInTheBatch_KeepTheFirstOccurrence()
    {
        var writer = Assert.IsType<PostgresTelemetryWriter>(Store.Writer);
        var world = await TestWorld.CreateAsync(Store);
        var events = world.Events(200);
        var repeat = world.Event(minutes: 999, id: events[17].Id);
        events.Insert(3, repeat); // a repeat earlier in the batch is the first occurrence: it wins
        events.Add(world.Event(minutes: 998, id: events[50].Id));

        Assert.Equal(new TelemetryWriteResult(200, 2), await writer.WriteAsync(events));

        await using var db = Store.CreateContext();
        Assert.Equal(200, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
        Assert.Equal(repeat.OccurredAt, (await db.TelemetryEvents.SingleAsync(e => e.Id == repeat.Id)).OccurredAt);
    }

    [StoreFact]
    public async Task WriteAsync_BatchOverlappingStoredIds_StoresOnlyTheNewOnes()
    {
        var writer = Assert.IsType<PostgresTelemetryWriter>(Store.Writer);
        var world = await TestWorld.CreateAsync(Store);
        var first = world.Events(300);
        Assert.Equal(new TelemetryWriteResult(300, 0), await writer.WriteAsync(first));
        var overlapping = first.Skip(200).Select(e => world.Event(minutes: 5_000, id: e.Id)).Concat(world.Events(150, startMinutes: 10_000)).ToList();

        Assert.Equal(new TelemetryWriteResult(150, 100), await writer.WriteAsync(overlapping));

        await using var db = Store.CreateContext();
        Assert.Equal(450, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
        // The stored copies of the overlapping ids are the first ones, untouched.
        Assert.Equal(0, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id && e.OccurredAt == TestWorld.Epoch.AddMinutes(5_000)));
    }

    [StoreFact]
    public async Task Layout_EventsAndWindowArePartitionedByReceivingDay_WithoutAWholeHistoryKey()
    {
        var world = await TestWorld.CreateAsync(Store);
        var day = new DateOnly(2031, 3, 14);
        using var writer = new PostgresTelemetryWriter(Store.Options.EffectiveConnectionString, Store.Options.PostgresWriteMode,
            time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(day.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero)));
        var events = world.Events(10);
        events[0].OccurredAt = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(-40); // late: still today's partition

        await writer.WriteAsync(events);

        await using var db = Store.CreateContext();
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        async Task<List<string>> Strings(string sql)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var values = new List<string>();
            while (await reader.ReadAsync()) values.Add(reader.GetString(0));
            return values;
        }

        Assert.Equal(["telemetry_dedup:r", "telemetry_events:r"],
            await Strings("SELECT c.relname || ':' || p.partstrat::text FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid ORDER BY 1"));
        // The events table has no unique index at all: exactly-once is the window table's job.
        Assert.Empty(await Strings("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'telemetry_events'::regclass AND indisunique"));
        Assert.Equal(["telemetry_events_p20310314"],
            await Strings($"SELECT DISTINCT tableoid::regclass::text FROM telemetry_events WHERE tenant_id = {world.Tenant.Id}"));
        Assert.Equal(["telemetry_dedup_p20310314"],
            await Strings($"SELECT DISTINCT tableoid::regclass::text FROM telemetry_dedup WHERE tenant_id = {world.Tenant.Id}"));
        // Partitions ahead exist already, so the next days' first batches wait for no DDL.
        Assert.Contains("telemetry_events_p20310317", await Strings("SELECT relname::text FROM pg_class WHERE relname LIKE 'telemetry_events_p2031031%'"));
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
