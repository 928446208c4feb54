using System.Diagnostics;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Data.Tests.Compliance;

// Volume: many 1,000-event batches through the real writer. Asserts correctness only; the throughput it prints is
// information (no timing assertions). Set INTEGRATIONHEALTH_STORE_VOLUME (events, default 20000) to measure at scale.
public abstract partial class StoreComplianceTests
{
    private const int VolumeBatchSize = 1_000;

    [StoreFact]
    public async Task WriteAsync_ManyRandomIdBatches_AcceptsEveryEventOnce()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("INTEGRATIONHEALTH_STORE_VOLUME"), out var n) && n > 0 ? n : 20_000;
        var world = await TestWorld.CreateAsync(Store, accounts: 50);
        var random = new Random(7);
        var kinds = Enum.GetValues<TelemetryKind>();
        // Generated up front so the timing below covers the writes only.
        var batches = Enumerable.Range(0, (total + VolumeBatchSize - 1) / VolumeBatchSize).Select(b =>
            Enumerable.Range(0, Math.Min(VolumeBatchSize, total - (b * VolumeBatchSize))).Select(i =>
            {
                var e = world.Event(accountIndex: random.Next(world.Accounts.Count), minutes: (b * VolumeBatchSize) + i,
                    provider: random.Next(2) == 0 ? world.Salesforce : world.Hubspot);
                e.Kind = kinds[random.Next(kinds.Length)];
                e.LatencyMs = random.Next(5, 5_000);
                return e;
            }).ToArray()).ToList();

        var stopwatch = Stopwatch.StartNew();
        long accepted = 0, duplicates = 0;
        foreach (var batch in batches)
        {
            var result = await Store.Writer.WriteAsync(batch);
            accepted += result.Accepted;
            duplicates += result.Duplicates;
        }

        stopwatch.Stop();
        Output.WriteLine($"{Store.Provider}: {total:N0} events in {batches.Count} batches of {VolumeBatchSize}: " +
            $"{stopwatch.Elapsed.TotalSeconds:F2} s, {total / stopwatch.Elapsed.TotalSeconds:N0} events/s");
        Console.WriteLine($"[store-volume] {Store.Provider}: {total / stopwatch.Elapsed.TotalSeconds:N0} events/s ({total:N0} events)");

        Assert.Equal(total, accepted);
        Assert.Equal(0, duplicates);
        await using var db = Store.CreateContext();
        Assert.Equal(total, await db.TelemetryEvents.CountAsync(e => e.TenantId == world.Tenant.Id));
    }
}
