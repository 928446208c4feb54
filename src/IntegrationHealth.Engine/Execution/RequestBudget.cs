using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Responses;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Execution;

/// <summary>
/// The proactive request budget of each connection (a definition's <c>rate_limit.budget</c>), so background work slows
/// down before the provider answers 429. Two parts:
/// <list type="bullet">
/// <item><b>Sliding window</b> (<c>requests</c> per <c>per_seconds</c>): at most that many calls in any window of that
/// length, so also in every fixed window a provider counts by. Per process: several processes each get the whole
/// budget; the header part below is the guard across them.</item>
/// <item><b>Header pacing</b> (<c>min_remaining</c>): when a response's mapped <c>remaining</c> falls to the threshold,
/// background calls wait until its <c>reset</c> (at most <see cref="EngineOptions.MaxRateLimitWait"/>, as 429 waits are).
/// The provider counts every process's calls, so this part holds across processes.</item>
/// </list>
/// Only background calls (syncs, jobs) wait; request-path calls (unified API, proxy) never do, but they are counted and
/// their responses' headers observed. State is per connection, in memory, and bounded: a connection without calls for
/// longer than its window and pause is forgotten (nothing is lost: its window is empty) once many are tracked.
/// </summary>
public sealed class RequestBudget(IOptions<EngineOptions> options, TimeProvider time, ILogger<RequestBudget> logger)
{
    /// <summary>Connections tracked before idle ones are swept.</summary>
    internal const int SweepAbove = 10_000;

    private readonly Dictionary<string, ConnectionBudget> _connections = new(StringComparer.Ordinal);
    private int _sweepAt = SweepAbove;
    private int _waiting;

    /// <summary>Background calls waiting for the budget right now (all connections).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Connections whose budget state is held in memory.</summary>
    public int Tracked
    {
        get
        {
            lock (_connections) return _connections.Count;
        }
    }

    /// <summary>Takes one call from the connection's budget: a background call first waits until the budget allows it
    /// (returning the time it waited), a request-path call is counted and goes at once (zero).</summary>
    public async ValueTask<TimeSpan> AcquireAsync(EngineConnection connection, RateLimitDefinition? rateLimit, CallContext context,
        CancellationToken cancellationToken)
    {
        if (rateLimit?.Budget is not { } budget) return TimeSpan.Zero;
        var state = StateOf(connection, budget);
        if (context != CallContext.Background)
        {
            lock (state) state.Count(time.GetUtcNow());
            return TimeSpan.Zero;
        }

        var waited = TimeSpan.Zero;
        var paused = TimeSpan.Zero;
        var maxPause = options.Value.MaxRateLimitWait;
        while (true)
        {
            TimeSpan wait;
            lock (state)
            {
                var now = time.GetUtcNow();
                var pause = state.PausedUntil - now;
                if (pause > TimeSpan.Zero && paused >= maxPause) state.PausedUntil = now; // sat out as long as allowed
                wait = pause > TimeSpan.Zero && paused < maxPause ? Min(pause, maxPause - paused) : state.TryTake(now);
                if (wait <= TimeSpan.Zero)
                {
                    if (waited > TimeSpan.Zero) EngineLog.BudgetWaited(logger, connection.ConnectionId, (long)waited.TotalMilliseconds, paused > TimeSpan.Zero);
                    return waited;
                }
                if (pause > TimeSpan.Zero) paused += wait;
            }
            // Counted as waiting from when the timer is set until it fires (decremented synchronously as it completes),
            // so whoever moves a test's clock sees exactly the calls a tick would release.
            var delay = Task.Delay(wait, time, cancellationToken);
            Interlocked.Increment(ref _waiting);
            _ = delay.ContinueWith(static (_, budget) => Interlocked.Decrement(ref ((RequestBudget)budget!)._waiting), this,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await delay;
            waited += wait;
        }
    }

    /// <summary>Reads a response's rate-limit state: at or below <c>min_remaining</c>, background calls of the connection
    /// pause until the reset it gives.</summary>
    public void Observe(EngineConnection connection, RateLimitDefinition? rateLimit, RateLimitSnapshot snapshot)
    {
        if (rateLimit?.Budget is not { MinRemaining: { } threshold } budget) return;
        if (snapshot is not { Remaining: { } remaining, ResetAfter: { } reset } || remaining > threshold || reset <= TimeSpan.Zero) return;
        var state = StateOf(connection, budget);
        lock (state)
        {
            var until = time.GetUtcNow() + reset;
            if (until > state.PausedUntil) state.PausedUntil = until;
        }
    }

    /// <summary>The connection's state, keyed by its credential key (one per connection, also where the store's
    /// connection id is not known).</summary>
    private ConnectionBudget StateOf(EngineConnection connection, RequestBudgetDefinition budget)
    {
        lock (_connections)
        {
            if (!_connections.TryGetValue(connection.CredentialKey, out var state))
            {
                if (_connections.Count >= _sweepAt) Sweep();
                _connections[connection.CredentialKey] = state = new ConnectionBudget();
            }
            lock (state) state.Fit(budget);
            return state;
        }
    }

    /// <summary>Forgets the connections whose window is empty and which are not paused; the next sweep waits until the
    /// table has grown again, so a table of only busy connections is not swept on every new one.</summary>
    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, state) in _connections.ToList())
        {
            lock (state)
            {
                if (state.Idle(now)) _connections.Remove(id);
            }
        }
        _sweepAt = Math.Max(SweepAbove, _connections.Count * 2);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>One connection's window (the times of its last <c>requests</c> calls, oldest first in a ring) and pause.</summary>
    private sealed class ConnectionBudget
    {
        private DateTimeOffset[] _calls = [];
        private int _head;
        private int _count;
        private TimeSpan _window;

        public DateTimeOffset PausedUntil { get; set; } = DateTimeOffset.MinValue;

        /// <summary>Sizes the window to the definition (an override may have changed it), keeping the newest calls.</summary>
        public void Fit(RequestBudgetDefinition budget)
        {
            var capacity = budget.Requests ?? 0;
            _window = TimeSpan.FromSeconds(budget.PerSeconds ?? 0);
            if (capacity == _calls.Length) return;
            var kept = Enumerable.Range(0, _count).Select(i => _calls[(_head + i) % _calls.Length]).TakeLast(capacity).ToArray();
            _calls = new DateTimeOffset[capacity];
            kept.CopyTo(_calls, 0);
            (_head, _count) = (0, kept.Length);
        }

        /// <summary>Zero and the call counted when the window has room, else how long until its oldest call leaves it.</summary>
        public TimeSpan TryTake(DateTimeOffset now)
        {
            if (_calls.Length == 0) return TimeSpan.Zero; // header pacing only
            if (_count == _calls.Length)
            {
                var leaves = _calls[_head] + _window;
                if (leaves > now) return leaves - now;
            }
            Count(now);
            return TimeSpan.Zero;
        }

        /// <summary>Counts a call now, whether or not the window has room (request-path calls are never held back).</summary>
        public void Count(DateTimeOffset now)
        {
            if (_calls.Length == 0) return;
            if (_count < _calls.Length)
            {
                _calls[(_head + _count) % _calls.Length] = now;
                _count++;
                return;
            }
            _calls[_head] = now; // the oldest is replaced: the ring keeps the newest calls
            _head = (_head + 1) % _calls.Length;
        }

        public bool Idle(DateTimeOffset now) =>
            PausedUntil <= now && (_count == 0 || _calls[(_head + _count - 1) % _calls.Length] + _window <= now);
    }
}
