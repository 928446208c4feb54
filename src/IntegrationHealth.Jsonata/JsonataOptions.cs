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
    /// Maximum managed-heap memory one evaluation may hold, in bytes (U1002); the default is 1 GiB. Each time the
    /// evaluation has allocated this much (garbage included) the heap is looked at: its growth since the evaluation
    /// began must stay within the limit. That counts what the evaluation builds and the parts of a lazily read input it
    /// converts (an input prepared with <see cref="JsonataInput"/> was converted before); it also counts what other
    /// threads of the process allocate meanwhile, so set it well above what one evaluation needs.
    /// </summary>
    public long MaxMemory { get; init; } = 1L << 30;

    /// <summary>Clock for <c>$now()</c> and <c>$millis()</c>; defaults to the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
