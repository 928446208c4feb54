using IntegrationHealth.Data;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace IntegrationHealth.Web.Store;

/// <summary>
/// Runs a store write (a telemetry batch, an upsert transaction), retrying transient PostgreSQL failures within
/// <see cref="StoreResilienceOptions.TransientRetryBudget"/> (Polly), and records the outcome in
/// <see cref="StoreWriteHealth"/> for readiness. Anything else, and a transient failure that outlasts the budget, is
/// rethrown for the exception handler to answer (503, 507, or 500 for a bug).
/// </summary>
/// <remarks>
/// <para>Why retrying is safe even when the outcome of the failed attempt is unknown (the connection broke while the
/// commit was on its way): every write this wraps is idempotent. A telemetry batch is deduplicated by event id, so
/// events the first attempt did store come back as duplicates; an upsert matches by external id, so it updates what
/// the first attempt inserted. Nothing is stored twice, and nothing acknowledged is lost, because the answer is only
/// sent after an attempt committed.</para>
/// <para>After a PostgreSQL restart every pooled connection is dead; Npgsql empties a pool when it finds one broken,
/// so the first retry opens a fresh connection. Pauses grow from 25 ms to 200 ms (with jitter) and never run past the
/// budget.</para>
/// </remarks>
public sealed class StoreRetry
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(200);
    private static readonly ResiliencePropertyKey<long> StartedAt = new("integrationhealth.store-retry.started");

    private readonly ResiliencePipeline _pipeline;
    private readonly StoreWriteHealth _health;
    private readonly TimeProvider _time;
    private readonly TimeSpan _budget;

    public StoreRetry(IOptions<StoreResilienceOptions> options, StoreWriteHealth health, TimeProvider time, ILogger<StoreRetry> logger)
    {
        _health = health;
        _time = time;
        _budget = options.Value.TransientRetryBudget;
        _pipeline = _budget <= TimeSpan.Zero
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && StoreErrors.IsTransient(e) && Remaining(args.Context) > TimeSpan.Zero),
                MaxRetryAttempts = int.MaxValue, // bounded by the budget, not by a count
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayFor(args.AttemptNumber, Remaining(args.Context))),
                OnRetry = args =>
                {
                    WebLog.StoreRetrying(logger, StoreErrors.Describe(args.Outcome.Exception!), args.AttemptNumber + 1,
                        (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            }).Build();
    }

    /// <summary>Runs <paramref name="write"/>, retried as described above; returns its result.</summary>
    public Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
        => RunAsync(write, isWrite: true, cancellationToken);

    /// <summary>Runs a read that every request depends on (the API-key lookup), retried like a write: after a restart
    /// the first lookup on each dead pooled connection would otherwise refuse a request. Its outcome is not a write's,
    /// so readiness does not count it.</summary>
    public Task<T> ExecuteReadAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        => RunAsync(read, isWrite: false, cancellationToken);

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, bool isWrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StartedAt, _time.GetTimestamp());
        try
        {
            var result = await _pipeline.ExecuteAsync(
                static async (ctx, op) => await op(ctx.CancellationToken).ConfigureAwait(false), context, operation).ConfigureAwait(false);
            if (isWrite) _health.RecordSuccess();
            return result;
        }
        catch (Exception e) when (isWrite && StoreErrors.Classify(e) is not StoreFault.None and var fault)
        {
            _health.RecordFault(fault, StoreErrors.Describe(e));
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private TimeSpan Remaining(ResilienceContext context)
        => context.Properties.TryGetValue(StartedAt, out var started) ? _budget - _time.GetElapsedTime(started) : TimeSpan.Zero;

    private static TimeSpan DelayFor(int attempt, TimeSpan remaining)
    {
        var backoff = FirstDelay * Math.Pow(2, Math.Min(attempt, 8));
        var jittered = (backoff < LongestDelay ? backoff : LongestDelay) * (0.75 + Random.Shared.NextDouble() * 0.5);
        return jittered < remaining ? jittered : (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
    }
}
