using System.Runtime.InteropServices;

namespace IntegrationHealth.Web.Diagnostics;

/// <summary>
/// The process's native heap, which on Linux is glibc's malloc: SQLite's page caches and everything else native code
/// allocates live there, outside the GC heap. Reads its figures (<c>mallinfo2</c>), sets how it keeps freed memory
/// (<see cref="Configure"/>) and gives kept memory back (<see cref="Trim"/>). Everything here is a no-op where the C library is not glibc (macOS, Windows, musl).
/// </summary>
public static class NativeHeap
{
    /// <summary>Most malloc arenas the process keeps (<see cref="Configure"/>).</summary>
    /// <remarks>
    /// glibc gives each thread that allocates while another holds an arena a new one, up to 8 per core, and an arena
    /// keeps the memory freed into it for its next allocation instead of returning it to the system. SQLite's page
    /// caches are thousands of 16 KB pages allocated and freed on whichever thread-pool thread runs the query, so each
    /// arena ended up holding its own copy of the caches' churn. Measured with <c>ingest-volume</c> (SQLite, random
    /// ids) at ~1.2 M events, before the other fixes: SQLite's own heap 58 MB, malloc's in-use 73 MB, but 305 MB freed
    /// and kept in the arenas, the process at 542 MB and growing; the same run with <c>MALLOC_ARENA_MAX=2</c> in the
    /// environment peaked at 393 MB. Set from <c>Main</c> the cap comes late: the runtime has already created nine
    /// arenas by then (gdb: <c>narenas</c> = 9 on 2 cores), which stay; the cap only stops more. What bounds the kept
    /// memory from inside the process is <see cref="MmapThresholdBytes"/>. Two, not one, so the writer and a reader on
    /// another thread do not serialise on one arena lock.
    /// </remarks>
    public const int MaxArenas = 2;

    /// <summary>Allocations of at least this many bytes (16 KB) get a mapping of their own, unmapped when freed
    /// (<c>mallopt(M_MMAP_THRESHOLD)</c>), instead of coming from an arena that keeps them once freed.</summary>
    /// <remarks>
    /// A 16 KB SQLite page with its header is just over 16 KB, so every page-cache page of a file with 16 KB pages (the
    /// store's page size until 2026-12-03; new files have 4 KB pages, <c>SqliteDatabase.PageSize</c>, which stay in
    /// the arenas, where the cache keeps them: measured at 5 M random-id events, malloc 92-100 MB in use and 6 MB
    /// freed, the process at 309 MB) is its own mapping and goes back to the system as soon as SQLite frees it, whichever arena the thread uses, where
    /// glibc's default (128 KB, raised at run time up to 32 MB) put them all in the arenas. Unlike the arena cap, this
    /// applies to the arenas that exist already. Measured with <c>ingest-volume</c> (SQLite, random ids, 2 cores,
    /// the other fixes in): by 3 M events the arenas held up to 261 MB freed and the process peaked at 443 MB; with
    /// this threshold (as <c>MALLOC_MMAP_THRESHOLD_=16384</c>) the arenas kept 10-46 MB and the process peaked at
    /// 366 MB over 1.2 M events (the 5 M run: tests/IntegrationHealth.Benchmarks/README.md). The price: a system call
    /// to map and one to unmap per page SQLite allocates or frees (a warm cache reuses its pages without either), and
    /// a page with its header takes five 4 KB pages, ~20% over what SQLite counts. Together with the smaller SQLite
    /// caches it measured 12-24% fewer events/s and 19-29% more API CPU per event over the first 500,000 random-id
    /// events than main (three rounds alternating, on a loaded machine); which of the two costs what is not measured.
    /// </remarks>
    public const int MmapThresholdBytes = 16 * 1024;

    private const int MMmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h
    private const int MArenaMax = -8; // M_ARENA_MAX in malloc.h

    /// <summary>The native heap's figures, or null where they cannot be read (not glibc, or glibc older than 2.33).</summary>
    public static NativeHeapInfo? Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var info = mallinfo2();
            return new NativeHeapInfo((long)(info.uordblks + info.hblkhd), (long)info.fordblks, (long)(info.arena + info.hblkhd));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Sets glibc's malloc for this process: at most <see cref="MaxArenas"/> arenas (<c>mallopt(M_ARENA_MAX)</c>, what
    /// <c>MALLOC_ARENA_MAX</c> does at start-up) and allocations of <see cref="MmapThresholdBytes"/> or more mapped on
    /// their own (<c>mallopt(M_MMAP_THRESHOLD)</c>, as <c>MALLOC_MMAP_THRESHOLD_</c>), set here so that they hold
    /// however the process is started. Call it first thing in <c>Main</c>. Either environment variable, when set, wins
    /// for its setting. Returns how many of the two were set.
    /// </summary>
    public static int Configure()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            var set = 0;
            if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null && mallopt(MArenaMax, MaxArenas) == 1) set++;
            if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null && mallopt(MMmapThreshold, MmapThresholdBytes) == 1) set++;
            return set;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Returns the free memory the arenas keep to the system (<c>malloc_trim(0)</c>: the whole pages inside free chunks
    /// are given back with <c>madvise</c>; the chunks stay free and are faulted in again when reused). Returns whether
    /// anything was released; false where the C library is not glibc.
    /// </summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return malloc_trim(0) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // glibc's struct mallinfo2 (2.33+): every field a size_t.
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena;
        public nuint ordblks;
        public nuint smblks;
        public nuint hblks;
        public nuint hblkhd;
        public nuint usmblks;
        public nuint fsmblks;
        public nuint uordblks;
        public nuint fordblks;
        public nuint keepcost;
    }

#pragma warning disable SYSLIB1054 // DllImport: the signatures are blittable, and LibraryImport would need unsafe code
    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
#pragma warning restore SYSLIB1054
}

/// <summary>Figures of the native heap (glibc's <c>mallinfo2</c>), in bytes.</summary>
/// <param name="InUseBytes">Allocated and not freed (small chunks in arenas and large ones mapped on their own).</param>
/// <param name="FreeBytes">Freed into the arenas and kept there for reuse, not returned to the system: resident
/// as far as it was ever touched.</param>
/// <param name="SystemBytes">Obtained from the system: arenas plus separately mapped large chunks.</param>
public sealed record NativeHeapInfo(long InUseBytes, long FreeBytes, long SystemBytes);
