using System.Runtime.InteropServices;
using IntegrationHealth.Web.Diagnostics;

namespace IntegrationHealth.Api.Tests.Operations;

/// <summary>The native heap's figures and trimming (glibc), which the memory metrics and the trimmer rely on.</summary>
/// <remarks>Blocks of 8 KB, under <see cref="NativeHeap.MmapThresholdBytes"/>: once any test has started the API's entry
/// point in this process (<see cref="NativeHeap.Configure"/> runs there), 16 KB blocks get mappings of their own and never
/// reach the arena these tests look at. The class runs alone, so other tests' allocations do not fill its holes.</remarks>
[Collection(NativeHeapCollection.Name)]
public sealed class NativeHeapTests
{
    [Fact]
    public void Read_FreedPagesBetweenLiveBlocks_CountsThemFreeAndTrimReleasesThem()
    {
        if (!OperatingSystem.IsLinux() || NativeHeap.Read() is null)
        {
            return; // not glibc: nothing to read (the metrics are absent there)
        }

        // 8 KB blocks, each followed by a live 8 KB pin allocated right after it, so that freeing the blocks leaves holes
        // in the arena rather than a top chunk that free() would give back by itself. The pins are the blocks' own size:
        // small pins came from malloc's per-thread caches of recycled small chunks in a process that had run other tests,
        // not from between the blocks, and the freed blocks then merged into the top chunk and were trimmed at once.
        const int Blocks = 4_096, BlockBytes = 8 * 1024;
        var large = new nint[Blocks];
        var pins = new nint[Blocks];
        var before = NativeHeap.Read()!;

        try
        {
            for (var i = 0; i < Blocks; i++)
            {
                large[i] = Marshal.AllocHGlobal(BlockBytes);
                Touch(large[i], BlockBytes);
                pins[i] = Marshal.AllocHGlobal(BlockBytes);
            }

            var allocated = NativeHeap.Read()!;
            Assert.True(allocated.InUseBytes - before.InUseBytes >= Blocks * (long)BlockBytes,
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

        const int BlockBytes = 8 * 1024;
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

/// <summary>The native heap tests run with no other test class at the same time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeHeapCollection
{
    public const string Name = "Native heap";
}
