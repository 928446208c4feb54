using System.Diagnostics.Metrics;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Sqlite;

namespace IntegrationHealth.Web.Diagnostics;

/// <summary>
/// Our meter for what holds the process's memory beside the GC heap (whose figures come from the runtime's own
/// <c>System.Runtime</c> meter, exported with it): the native heap (<see cref="NativeHeap"/>) and, on SQLite, SQLite's
/// own allocator. Exported at <c>/metrics</c>; <c>ingest-volume</c> reads them to print where the API's resident memory is.
/// </summary>
public sealed class ProcessMemoryMetrics
{
    public const string MeterName = "IntegrationHealth.Process";

    /// <summary>The runtime's meter of GC, JIT and thread-pool figures (.NET 9+), exported beside ours.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    public ProcessMemoryMetrics(IMeterFactory meterFactory, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(database);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("integrationhealth.process.native_heap.used", () => Native(h => h.InUseBytes), "By",
            "Native heap (malloc) allocated and not freed: SQLite's caches and other native code.");
        meter.CreateObservableGauge("integrationhealth.process.native_heap.free", () => Native(h => h.FreeBytes), "By",
            "Native heap freed but kept by the allocator's arenas for reuse (resident once touched).");
        if (database.StoreProvider == StoreProvider.Sqlite)
        {
            meter.CreateObservableGauge("integrationhealth.sqlite.heap.used", () => Sqlite(static () => SqliteDatabase.HeapUsedBytes()), "By",
                "SQLite's own allocations in this process (page caches of every connection, schemas, statements).");
            meter.CreateObservableGauge("integrationhealth.sqlite.heap.highwater", () => Sqlite(static () => SqliteDatabase.HeapHighwaterBytes()), "By",
                "The most SQLite's allocations in this process have been since it started.");
        }
    }

    private static IEnumerable<Measurement<long>> Native(Func<NativeHeapInfo, long> figure)
        => NativeHeap.Read() is { } heap ? [new Measurement<long>(figure(heap))] : [];

    private static IEnumerable<Measurement<long>> Sqlite(Func<long?> figure)
        => figure() is { } bytes ? [new Measurement<long>(bytes)] : [];
}
