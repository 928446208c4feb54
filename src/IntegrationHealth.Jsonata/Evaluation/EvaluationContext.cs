using System.Diagnostics;

namespace IntegrationHealth.Jsonata.Evaluation;

/// <summary>
/// Per-evaluation state: the sandbox counters (depth, deadline, output size) and the timestamp that
/// <c>$now()</c>/<c>$millis()</c> return for the whole evaluation. Never shared between evaluations.
/// </summary>
internal sealed class EvaluationContext
{
    private readonly long _deadline;
    private readonly long? _timeoutMs;
    private int _tick;

    public EvaluationContext(JsonataOptions options)
    {
        Options = options;
        MaxDepth = options.MaxDepth;
        MaxOutputSize = options.MaxOutputSize;
        TimestampMillis = options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        if (options.Timeout is { } timeout)
        {
            _timeoutMs = (long)timeout.TotalMilliseconds;
            _deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        }
    }

    public JsonataOptions Options { get; }

    public int Depth;

    public int MaxDepth { get; }

    public long MaxOutputSize { get; }

    /// <summary>Milliseconds since the epoch captured when the evaluation started.</summary>
    public long TimestampMillis { get; }

    /// <summary>Number of times evaluation moved to a fresh thread because the stack ran low.</summary>
    public int StackHops;

    /// <summary>Counts entry into one evaluation step; throws U1001 when the depth or time budget is exceeded.</summary>
    public void Enter()
    {
        if (++Depth > MaxDepth)
        {
            throw new JsonataException("U1001", $"Stack overflow: evaluation nested deeper than {MaxDepth} steps. Check for non-terminating recursion or rewrite it as tail-recursive.");
        }

        if (_timeoutMs is not null && (++_tick & 63) == 0)
        {
            CheckTime();
        }
    }

    public void CheckTime()
    {
        if (_timeoutMs is not null && Stopwatch.GetTimestamp() > _deadline)
        {
            throw new JsonataException("U1001", $"Evaluation timeout after {_timeoutMs} milliseconds. Check for an infinite loop.");
        }
    }

    /// <summary>Checks that a sequence of <paramref name="size"/> values stays within the output budget (U1002).</summary>
    public void CheckSize(long size)
    {
        if (size > MaxOutputSize)
        {
            throw new JsonataException("U1002", $"Output size limit exceeded: {size} values, the limit is {MaxOutputSize}.");
        }
    }
}
