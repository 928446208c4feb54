using System.Runtime.InteropServices;

namespace IntegrationHealth.Web.Diagnostics;

/// <summary>
/// The process's native heap, which on Linux is glibc's malloc: SQLite's page caches and everything else native code
/// allocates live there, outside the GC heap. Reads its figures (<c>mallinfo2</c>). Everything here is a no-op where the C library is not glibc (macOS, Windows, musl).
/// </summary>
public static class NativeHeap
{
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
#pragma warning restore SYSLIB1054
}

/// <summary>Figures of the native heap (glibc's <c>mallinfo2</c>), in bytes.</summary>
/// <param name="InUseBytes">Allocated and not freed (small chunks in arenas and large ones mapped on their own).</param>
/// <param name="FreeBytes">Freed into the arenas and kept there for reuse, not returned to the system: resident
/// as far as it was ever touched.</param>
/// <param name="SystemBytes">Obtained from the system: arenas plus separately mapped large chunks.</param>
public sealed record NativeHeapInfo(long InUseBytes, long FreeBytes, long SystemBytes);
