namespace IntegrationHealth.Engine.Auth;

/// <summary>A connection's credentials as the vault holds them, with the state the refresh machinery decides on.</summary>
/// <param name="Credentials">The secrets and lifetimes; <see cref="ConnectionCredentials.Version"/> is the row's.</param>
/// <param name="NeedsReauth">The grant was refused (<c>invalid_grant</c>): no exchange until the account reconnects.</param>
/// <param name="CoolDownUntil">No exchange before this time (a recent failure).</param>
/// <param name="FailedRefreshes">Consecutive failed exchanges.</param>
public sealed record VaultEntry(ConnectionCredentials Credentials, bool NeedsReauth, DateTimeOffset? CoolDownUntil, int FailedRefreshes);

/// <summary>Another writer saved the connection's credentials since they were read: the caller re-reads.</summary>
public sealed class CredentialConflictException(string credentialKey)
    : Exception($"The credentials of {credentialKey} changed since they were read.");

/// <summary>
/// The credential vault: <see cref="ICredentialStore"/> plus what single-flight refresh needs. A save of credentials
/// read from the vault (<see cref="ConnectionCredentials.Version"/> &gt; 0) is conditional on that version; a save of
/// new credentials (version 0: a fresh authorization, an import) replaces whatever is there.
/// </summary>
public interface ICredentialVault : ICredentialStore
{
    ValueTask<VaultEntry?> ReadAsync(string credentialKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="ReadAsync"/>, or this process's copy of it when read less than <paramref name="maxAge"/> ago and not
    /// written by this process since: for the per-call fast path (the proxy and the executor read the credentials on
    /// every call), never for decisions under the refresh lock, which re-read with <see cref="ReadAsync"/>. A write by
    /// another process is seen within <paramref name="maxAge"/>; until then a caller may use the previous access token,
    /// which is at worst answered "expired" and refreshed under the lock (where the fresh token is found).
    /// </summary>
    ValueTask<VaultEntry?> ReadRecentAsync(string credentialKey, TimeSpan maxAge, CancellationToken cancellationToken = default) =>
        ReadAsync(credentialKey, cancellationToken);

    /// <summary>Records a failed exchange: the cool-down, and when <paramref name="needsReauth"/> the connection's
    /// status <c>needs_reauth</c> (until it is connected again).</summary>
    ValueTask RecordFailureAsync(string credentialKey, int failedRefreshes, DateTimeOffset coolDownUntil, bool needsReauth,
        CancellationToken cancellationToken = default);

    /// <summary>The right to exchange the connection's refresh token: one holder at a time in every process on this
    /// store. Dispose to release.</summary>
    ValueTask<IAsyncDisposable> AcquireRefreshAsync(string credentialKey, TimeSpan timeout, CancellationToken cancellationToken = default);
}
