using System.Diagnostics;

namespace IntegrationHealth.Jsonata.Evaluation;

/// <summary>
/// Per-evaluation state: the sandbox counters (depth, deadline, output size, allocation) and the timestamp that
/// <c>$now()</c>/<c>$millis()</c> return for the whole evaluation. Never shared between evaluations; shared between the
/// threads of one evaluation only along its chain of fresh stacks (<see cref="Evaluator"/>), one running at a time.
/// </summary>
internal sealed class EvaluationContext
{
    /// <summary>Built-in loops check the clock and the memory limit once per this many units of work.</summary>
    private const int WorkPerClockCheck = 1024;

    private readonly long _deadline;
    private readonly long? _timeoutMs;
    private int _tick;
    private long _work;
    private long _nextClockCheck = WorkPerClockCheck;
    private volatile JsonataException? _fatal;
    private readonly Thread _root = Thread.CurrentThread;
    private ManualResetEventSlim? _released;

    /// <summary>Bytes this evaluation allocated on threads other than the one running it now.</summary>
    private long _carried;

    /// <summary>What <see cref="AllocatedBytes"/> was when the heap was last looked at.</summary>
    private long _allocatedAtLastLook;

    /// <summary>The managed heap's size as the last collection before the evaluation left it: live data only (the heap's
    /// current size would count garbage that a later full collection removes, so the growth would be underestimated).
    /// Taken when the evaluation begins: taken lazily, a collection during the evaluation would already hold part of
    /// what the evaluation built.</summary>
    private readonly long _heapAtStart;

    /// <summary>The last collection's heap size, remembered with the gen-0 collection count it was read at: reading it
    /// costs about 0.3 µs, which small evaluations (thousands between two collections) would pay each time, while the
    /// collection count costs a few nanoseconds. A stale pair read by a racing thread is at most one collection old.</summary>
    private static (int Collections, long HeapBytes) s_lastCollection = (-1, 0);

    private static long LiveHeapAtLastCollection()
    {
        var collections = GC.CollectionCount(0);
        var last = s_lastCollection;
        if (last.Collections == collections)
        {
            return last.HeapBytes;
        }

        var heap = GC.GetGCMemoryInfo().HeapSizeBytes;
        s_lastCollection = (collections, heap);
        return heap;
    }

    /// <summary>The running thread's allocation counter when it took the evaluation over.</summary>
    private long _threadBaseline;

    public EvaluationContext(JsonataOptions options)
    {
        Options = options;
        MaxDepth = options.MaxDepth;
        MaxOutputSize = options.MaxOutputSize;
        TimestampMillis = options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        MaxMemory = options.MaxMemory;
        _threadBaseline = GC.GetAllocatedBytesForCurrentThread();
        _heapAtStart = LiveHeapAtLastCollection();
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

    public long MaxMemory { get; }

    /// <summary>Bytes allocated on the managed heap by this evaluation so far, on all of its threads, garbage included.</summary>
    public long AllocatedBytes => _carried + GC.GetAllocatedBytesForCurrentThread() - _threadBaseline;

    /// <summary>Milliseconds since the epoch captured when the evaluation started.</summary>
    public long TimestampMillis { get; }

    /// <summary>Number of times evaluation moved to a fresh thread because the stack ran low.</summary>
    public int StackHops;

    /// <summary>Depth at which the next segment of a deep stack begins (see <c>Evaluator.EvaluateInSegment</c>).</summary>
    public int SegmentDepth;

    /// <summary>
    /// The first sandbox error (U1001/U1002) raised in this evaluation, on any of its threads. Such an error is final
    /// (no evaluation step catches it), so a thread waiting for a deeper stack may end the evaluation with it at once
    /// instead of waiting for that stack to unwind.
    /// </summary>
    public JsonataException? Fatal => _fatal;

    /// <summary>Counts entry into one evaluation step; throws U1001 when the depth or time budget is exceeded.</summary>
    public void Enter()
    {
        if (++Depth > MaxDepth)
        {
            throw Abort(new JsonataException("U1001", $"Stack overflow: evaluation nested deeper than {MaxDepth} steps. Check for non-terminating recursion or rewrite it as tail-recursive."));
        }

        if ((++_tick & 63) == 0)
        {
            CheckTime();
            CheckMemory();
        }
    }

    /// <summary>Counts <paramref name="units"/> of work done inside a built-in or an operator (items visited,
    /// characters built, comparisons); checks the deadline and the memory limit every 1,024 units, so no loop
    /// outruns either.</summary>
    public void Work(long units = 1)
    {
        if ((_work += units) >= _nextClockCheck)
        {
            _nextClockCheck = _work + WorkPerClockCheck;
            CheckTime();
            CheckMemory();
        }
    }

    /// <summary>
    /// Raises U1002 when the evaluation would hold more than <see cref="MaxMemory"/> bytes, counting
    /// <paramref name="upcoming"/> bytes about to be allocated (so one large allocation is refused before it is made).
    /// The thread's allocation counter is the cheap trigger: only after the evaluation has allocated
    /// <see cref="MaxMemory"/> bytes since the last look is the heap looked at, and what it has grown by since the
    /// evaluation began, confirmed after a full collection, is what the evaluation holds at most (the rest of its
    /// allocations were garbage). The heap is the process's: evaluations running at the same time on other threads
    /// count against each other's limit, so the limit is a bound on the process's growth during the evaluation.
    /// </summary>
    public void CheckMemory(long upcoming = 0)
    {
        if (upcoming > MaxMemory)
        {
            throw Abort(new JsonataException("U1002", $"Memory limit exceeded: the evaluation would hold more than {MaxMemory} bytes."));
        }

        var allocated = AllocatedBytes;
        if (allocated - _allocatedAtLastLook + upcoming <= MaxMemory)
        {
            return;
        }

        // The heap as it stands includes garbage not yet collected (and other threads' allocations), so a growth past
        // the limit is confirmed after a full collection before the evaluation is stopped. That collection runs only
        // when the cheap look says the limit is passed, at most once per MaxMemory bytes this evaluation allocates.
        if (GC.GetTotalMemory(false) - _heapAtStart + upcoming > MaxMemory
            && GC.GetTotalMemory(true) - _heapAtStart + upcoming > MaxMemory)
        {
            throw Abort(new JsonataException("U1002", $"Memory limit exceeded: the evaluation would hold more than {MaxMemory} bytes."));
        }

        _allocatedAtLastLook = allocated;
    }

    /// <summary>The running thread hands the evaluation to another thread (a fresh stack) or gets it back from one:
    /// its allocations so far are carried, the next thread counts from its own baseline.</summary>
    public void LeaveThread() => _carried += GC.GetAllocatedBytesForCurrentThread() - _threadBaseline;

    /// <inheritdoc cref="LeaveThread"/>
    public void EnterThread() => _threadBaseline = GC.GetAllocatedBytesForCurrentThread();

    public void CheckTime()
    {
        if (_timeoutMs is not null && Stopwatch.GetTimestamp() > _deadline)
        {
            throw TimeoutError();
        }
    }

    /// <summary>Milliseconds left before the deadline, or null when the evaluation has no timeout; raises the timeout
    /// error when none are left.</summary>
    public long? RemainingMilliseconds()
    {
        if (_timeoutMs is null)
        {
            return null;
        }

        var left = (_deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
        if (left <= 0)
        {
            throw TimeoutError();
        }

        return left;
    }

    public JsonataException TimeoutError() =>
        Abort(new JsonataException("U1001", $"Evaluation timeout after {_timeoutMs} milliseconds. Check for an infinite loop."));

    /// <summary>Checks that a sequence of <paramref name="size"/> values stays within the output budget (U1002).</summary>
    public void CheckSize(long size)
    {
        if (size > MaxOutputSize)
        {
            throw Abort(new JsonataException("U1002", $"Output size limit exceeded: {size} values, the limit is {MaxOutputSize}."));
        }
    }

    /// <summary>
    /// Records a sandbox error as the evaluation's <see cref="Fatal"/> outcome (the first one wins) and returns it for
    /// throwing. On a fresh-stack thread it first waits until the evaluation has returned to its caller (see
    /// <see cref="AwaitRelease"/>).
    /// </summary>
    public JsonataException Abort(JsonataException error)
    {
        Interlocked.CompareExchange(ref _fatal, error, null);
        AwaitRelease();
        return error;
    }

    /// <summary>Called before the first move to a fresh stack: from then on deeper threads may wait for the release.</summary>
    public void PrepareForFreshStacks()
    {
        if (_released is null)
        {
            Interlocked.CompareExchange(ref _released, new ManualResetEventSlim(false), null);
        }
    }

    /// <summary>
    /// Holds a fresh-stack thread that is about to unwind a sandbox error until the evaluation has returned to its
    /// caller. Unwinding a deep stack allocates the exception's stack trace (large-object heap, hence full garbage
    /// collections that walk every deep stack, for hundreds of milliseconds); done after the return, that cost falls
    /// outside the evaluation's time limit. Bounded, so a thread is never held for good.
    /// </summary>
    public void AwaitRelease()
    {
        if (_released is { } released && !ReferenceEquals(Thread.CurrentThread, _root))
        {
            released.Wait(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>The evaluation has returned (or thrown) to its caller: held threads may unwind now.</summary>
    public void Release() => _released?.Set();
}
