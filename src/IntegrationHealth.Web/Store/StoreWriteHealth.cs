using IntegrationHealth.Data;

namespace IntegrationHealth.Web.Store;

/// <summary>A storage fault some request met: what, when, and our description of it.</summary>
public sealed record StoreFaultRecord(StoreFault Fault, string Description, DateTimeOffset At);

/// <summary>
/// The store's recent write record, which readiness reads: the last storage fault a request met and the last write that
/// succeeded. A database that accepts connections but not writes (a full disk) looks healthy to a query; the requests
/// that failed are what tell.
/// </summary>
public sealed class StoreWriteHealth(TimeProvider time)
{
    private StoreFaultRecord? _lastFault;
    private long _lastSuccessTicks;

    /// <summary>A write succeeded.</summary>
    public void RecordSuccess() => Interlocked.Exchange(ref _lastSuccessTicks, time.GetUtcNow().UtcTicks);

    /// <summary>A request met a storage fault.</summary>
    public void RecordFault(StoreFault fault, string description)
    {
        if (fault == StoreFault.None) return;
        Volatile.Write(ref _lastFault, new StoreFaultRecord(fault, description, time.GetUtcNow()));
    }

    /// <summary>The last fault, when it is younger than <paramref name="window"/> and no write has succeeded after it.</summary>
    public StoreFaultRecord? RecentFault(TimeSpan window)
    {
        var fault = Volatile.Read(ref _lastFault);
        if (fault is null || time.GetUtcNow() - fault.At > window) return null;
        return Interlocked.Read(ref _lastSuccessTicks) > fault.At.UtcTicks ? null : fault;
    }
}
