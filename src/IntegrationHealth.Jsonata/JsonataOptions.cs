namespace IntegrationHealth.Jsonata;

/// <summary>Per-evaluation sandbox limits. Exceeding one raises <see cref="JsonataException"/> with code <c>U1001</c>
/// (output size: <c>U1002</c>); the process never crashes, whatever the expression.</summary>
public sealed record JsonataOptions
{
    /// <summary>Wall-clock budget for one evaluation; null means unlimited.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Maximum nesting of evaluation steps (recursion depth).</summary>
    public int MaxDepth { get; init; } = 1000;

    /// <summary>Maximum number of values (array items + object properties) in the result and intermediate sequences.</summary>
    public long MaxOutputSize { get; init; } = 10_000_000;

    /// <summary>Clock for <c>$now()</c> and <c>$millis()</c>; defaults to the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
