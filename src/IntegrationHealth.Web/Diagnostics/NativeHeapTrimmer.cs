using Microsoft.Extensions.Hosting;

namespace IntegrationHealth.Web.Diagnostics;

/// <summary>
/// Gives the native heap's freed-but-kept memory back to the system every <see cref="Interval"/> once there is more
/// than <see cref="ThresholdBytes"/> of it (<see cref="NativeHeap.Trim"/>), in every role.
/// </summary>
/// <remarks>
/// <para>Why: SQLite's page caches churn (a WAL connection drops its whole cache whenever another connection has
/// committed since its last read, and fills it again), and glibc keeps the freed pages in the arena of the thread that
/// freed them, nine arenas or more (<see cref="NativeHeap.MaxArenas"/>). Measured with <c>ingest-volume</c> (SQLite,
/// random ids, 1.2 M events): without trimming, malloc held 289-298 MB freed beside 58-66 MB in use, and the process
/// peaked at 606 MB; trimming every 5 s took the peak to 521 MB while the writer's cache still churned
/// (<c>SqliteDatabase.WriterConnectionPragmas</c>); every 2 s, with that fixed and workstation GC, 404 MB with a
/// 128 MB writer cache (hence a smaller one, <c>SqliteDatabase.WriterCacheSizeKib</c>).</para>
/// <para>Cost, measured in the same run (2 s interval, load average 14-17 on 2 cores): a trim took 18.6 ms median, 55 ms
/// at the 90th percentile, 124 ms at most, so ~1% of a core. It walks each arena's free chunks under the arena's lock,
/// so an allocation on another thread may wait that long.</para>
/// <para>Since <see cref="NativeHeap.MmapThresholdBytes"/> keeps SQLite's pages out of the arenas, this is the
/// backstop for what smaller allocations leave there. The largest of those was the telemetry writer's savepoint
/// journal, some 20,000 1 KB chunks per group transaction that filled the arenas again between two trims (37-107 MB kept, the
/// process's transient peak); it now goes to a temporary file (<c>SqliteDatabase.WriterTempStore</c>), after which
/// <c>ingest-volume</c> (SQLite, random ids, 2 M events) measured 1-2 MB kept, under <see cref="ThresholdBytes"/>, so
/// this trimmed no more in that run. A shorter interval was not tried: the kept memory, not the interval, was the
/// problem.</para>
/// <para><see cref="NativeHeapInfo.FreeBytes"/> counts the free chunks, trimmed or not (trimming gives their pages
/// back but leaves them free), so once past the threshold every look trims; the threshold only spares a process
/// that never churned.</para>
/// </remarks>
public sealed class NativeHeapTrimmer(TimeProvider time) : BackgroundService
{
    /// <summary>How often the native heap is looked at.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Freed-but-kept bytes below which nothing is trimmed (32 MB).</summary>
    public const long ThresholdBytes = 32L * 1024 * 1024;

    private long _trims;

    /// <summary>Trims done since the process started (diagnostics and tests).</summary>
    public long Trims => Interlocked.Read(ref _trims);

    /// <summary>One look: trims when the kept part exceeds <see cref="ThresholdBytes"/>. Returns whether it trimmed.</summary>
    public bool TrimIfWorthIt()
    {
        if (NativeHeap.Read() is not { FreeBytes: > ThresholdBytes })
        {
            return false;
        }

        NativeHeap.Trim();
        Interlocked.Increment(ref _trims);
        return true;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (NativeHeap.Read() is null)
        {
            return; // not glibc: nothing to read or trim
        }

        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                TrimIfWorthIt();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
