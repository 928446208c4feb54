using System.Collections.Concurrent;

namespace IntegrationHealth.Engine.Auth;

/// <summary>
/// Where connections' credentials are kept. Implemented by the vaults (<see cref="ICredentialVault"/>): the store's
/// encrypted one (<see cref="StoreCredentialVault"/>, registered by <c>AddEngine</c>) and
/// <see cref="InMemoryCredentialStore"/> for hosts without a store.
/// </summary>
public interface ICredentialStore
{
    ValueTask<ConnectionCredentials?> GetAsync(string credentialKey, CancellationToken cancellationToken = default);

    /// <exception cref="CredentialConflictException">Credentials read at a version were changed by another writer.</exception>
    ValueTask SaveAsync(string credentialKey, ConnectionCredentials credentials, CancellationToken cancellationToken = default);
}

/// <summary>Credentials in this process's memory only: lost on restart, not shared between processes; single flight
/// within the process. For tests and hosts without a store (register it as <see cref="ICredentialVault"/> before
/// <c>AddEngine</c>).</summary>
public sealed class InMemoryCredentialStore : ICredentialVault
{
    private readonly ConcurrentDictionary<string, VaultEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ValueTask<ConnectionCredentials?> GetAsync(string credentialKey, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_entries.TryGetValue(credentialKey, out var e) ? e.Credentials : null);

    public ValueTask<VaultEntry?> ReadAsync(string credentialKey, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_entries.TryGetValue(credentialKey, out var e) ? e : null);

    public ValueTask SaveAsync(string credentialKey, ConnectionCredentials credentials, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var current = _entries.TryGetValue(credentialKey, out var e) ? e.Credentials.Version : 0;
            if (credentials.Version != 0 && credentials.Version != current) throw new CredentialConflictException(credentialKey);
            _entries[credentialKey] = new VaultEntry(credentials with { Version = current + 1 }, false, null, 0);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask RecordFailureAsync(string credentialKey, int failedRefreshes, DateTimeOffset coolDownUntil, bool needsReauth,
        CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(credentialKey, out var e))
                _entries[credentialKey] = e with { NeedsReauth = e.NeedsReauth || needsReauth, CoolDownUntil = coolDownUntil, FailedRefreshes = failedRefreshes };
        }
        return ValueTask.CompletedTask;
    }

    public async ValueTask<IAsyncDisposable> AcquireRefreshAsync(string credentialKey, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var semaphore = _locks.GetOrAdd(credentialKey, _ => new SemaphoreSlim(1, 1));
        if (!await semaphore.WaitAsync(timeout, cancellationToken))
            throw new TimeoutException($"Waited {timeout} for another refresh of {credentialKey}.");
        return new Release(semaphore);
    }

    private sealed class Release(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
            return ValueTask.CompletedTask;
        }
    }
}
