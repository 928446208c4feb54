namespace IntegrationHealth.Web.Store;

/// <summary>
/// Whether the store is ready to serve: reachable, migrated (or, with <c>Database:MigrateOnStartup=false</c>, found
/// migrated) and with Hangfire's tables in place. The composition root's start-up service drives it; until it is ready
/// the API answers 503 (the probes, metrics and OpenAPI document excepted), <c>/readyz</c> names <see cref="Status"/>,
/// and the job server waits. It becomes ready once and stays so: later outages are storage faults of single requests.
/// </summary>
public sealed class StoreStartup
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _status = "the store has not been prepared yet";

    /// <summary>True once the store has been prepared.</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Why the store is not ready (our own words, safe for probes: no host or user names); "ready" once it is.</summary>
    public string Status => IsReady ? "ready" : _status;

    /// <summary>Completes when the store is ready; never faults (a failed start stops the application instead).</summary>
    public Task WhenReady => _ready.Task;

    /// <summary>The error that ended the start (not a storage fault: a bug or a setting), when there was one.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Records why the store is not ready yet.</summary>
    public void Waiting(string status)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        _status = status;
    }

    /// <summary>The store is ready: requests pass and deferred services start.</summary>
    public void MarkReady() => _ready.TrySetResult();

    /// <summary>The start failed for good; the caller stops the application and the command line reports it.</summary>
    public void MarkFailed(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Failure = failure;
        _status = "the start failed: " + failure.GetType().Name;
    }
}
