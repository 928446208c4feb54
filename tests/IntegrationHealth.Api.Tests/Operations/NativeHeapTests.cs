using System.Runtime.InteropServices;
using IntegrationHealth.Web.Diagnostics;

namespace IntegrationHealth.Api.Tests.Operations;

/// <summary>The native heap's figures and trimming (glibc), which the memory metrics and the trimmer rely on.</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void Read_FreedPagesBetweenLiveBlocks_CountsThemFreeAndTrimReleasesThem()
    {
        if (!OperatingSystem.IsLinux() || NativeHeap.Read() is null)
        {
            return; // not glibc: nothing to read (the metrics are absent there)
        }

        // 16 KB blocks (SQLite's page size) between small live ones, so that freeing them leaves holes in the arena
        // rather than a top chunk that free() would give back by itself.
        const int Blocks = 2_048, BlockBytes = 16 * 1024;
        var large = new nint[Blocks];
        var pins = new nint[Blocks];
        var before = NativeHeap.Read()!;

        try
        {
            for (var i = 0; i < Blocks; i++)
            {
                large[i] = Marshal.AllocHGlobal(BlockBytes);
                Touch(large[i], BlockBytes);
                pins[i] = Marshal.AllocHGlobal(64);
            }

            var allocated = NativeHeap.Read()!;
            Assert.True(allocated.InUseBytes - before.InUseBytes >= Blocks * (long)BlockBytes / 2,
                $"in use went from {before.InUseBytes:N0} to {allocated.InUseBytes:N0} bytes");

            for (var i = 0; i < Blocks; i++)
            {
                Marshal.FreeHGlobal(large[i]);
                large[i] = 0;
            }

            var freed = NativeHeap.Read()!;
            Assert.True(freed.FreeBytes - allocated.FreeBytes >= Blocks * (long)BlockBytes / 2,
                $"free went from {allocated.FreeBytes:N0} to {freed.FreeBytes:N0} bytes");
            Assert.True(NativeHeap.Trim(), "malloc_trim released nothing although 32 MB of whole free pages lay between live blocks");
        }
        finally
        {
            foreach (var block in large.Concat(pins).Where(b => b != 0))
            {
                Marshal.FreeHGlobal(block);
            }
        }
    }

    [Fact]
    public void TrimIfWorthIt_AfterMoreThanTheThresholdWasFreed_Trims()
    {
        if (!OperatingSystem.IsLinux() || NativeHeap.Read() is null)
        {
            return;
        }

        const int BlockBytes = 16 * 1024;
        var blocks = (int)(2 * NativeHeapTrimmer.ThresholdBytes / BlockBytes);
        var large = new nint[blocks];
        var pins = new nint[blocks];
        for (var i = 0; i < blocks; i++)
        {
            large[i] = Marshal.AllocHGlobal(BlockBytes);
            Touch(large[i], BlockBytes);
            pins[i] = Marshal.AllocHGlobal(64);
        }

        foreach (var block in large)
        {
            Marshal.FreeHGlobal(block);
        }

        var trimmer = new NativeHeapTrimmer(TimeProvider.System);
        try
        {
            Assert.True(trimmer.TrimIfWorthIt(), $"free {NativeHeap.Read()!.FreeBytes:N0} bytes, threshold {NativeHeapTrimmer.ThresholdBytes:N0}");
            Assert.Equal(1, trimmer.Trims);
        }
        finally
        {
            foreach (var pin in pins)
            {
                Marshal.FreeHGlobal(pin);
            }
        }
    }

    private static void Touch(nint block, int bytes)
    {
        for (var offset = 0; offset < bytes; offset += 4096)
        {
            Marshal.WriteByte(block, offset, 1);
        }
    }
}
