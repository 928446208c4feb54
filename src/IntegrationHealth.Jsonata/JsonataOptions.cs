namespace IntegrationHealth.Jsonata;

/// <summary>Per-evaluation sandbox limits. Exceeding one raises <see cref="JsonataException"/> with code <c>U1001</c>
/// (output size and memory: <c>U1002</c>); the process never crashes, whatever the expression.</summary>
public sealed record JsonataOptions
{
    /// <summary>Wall-clock budget for one evaluation; null means unlimited.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Maximum nesting of evaluation steps (recursion depth).</summary>
    public int MaxDepth { get; init; } = 1000;

    /// <summary>Maximum number of values (array items + object properties) in the result and intermediate sequences.</summary>
    public long MaxOutputSize { get; init; } = 10_000_000;

    /// <summary>
    /// Maximum bytes one evaluation may allocate on the managed heap, garbage included (U1002), which bounds its peak
    /// memory. Counts what the evaluation builds and the parts of a lazily read input it converts; an input prepared
    /// with <see cref="JsonataInput"/> was converted before and does not count. The default is 1 GiB.
    /// </summary>
    public long MaxAllocatedBytes { get; init; } = 1L << 30;

    /// <summary>Clock for <c>$now()</c> and <c>$millis()</c>; defaults to the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
