namespace IntegrationHealth.Engine.Auth;

/// <summary>The credential vault and its refresh machinery (configuration section <c>Engine:Credentials</c>).</summary>
public sealed class EngineCredentialOptions
{
    public const string Section = "Engine:Credentials";

    /// <summary>Retries of a token request that failed without consuming anything (see the engine README's refresh
    /// rules); 0 turns them off.</summary>
    public int TokenRetries { get; set; } = 2;

    /// <summary>First backoff of a token request retry; doubled each time with jitter, up to <see cref="MaxTokenRetryDelay"/>.</summary>
    public TimeSpan TokenRetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxTokenRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>No new exchange for this long after a failed one; doubled per consecutive failure up to
    /// <see cref="MaxCoolDown"/>, so a dead token endpoint or connection is not hammered.</summary>
    public TimeSpan CoolDown { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxCoolDown { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a process may reuse its own read of a connection's credentials on the per-call path (see
    /// <see cref="ICredentialVault.ReadRecentAsync"/>; writes by this process are seen at once, by others within this);
    /// zero reads the vault on every call. Refresh decisions always re-read under the lock.</summary>
    public TimeSpan RecentReadCache { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest a caller waits for another holder's refresh of the same connection before failing.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>SQLite's cross-process refresh lease: a process that dies holding it frees it after this long.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How far ahead the proactive job looks: a token due within this window is refreshed now.</summary>
    public TimeSpan RefreshLookahead { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>Refresh of idle connections whose definition sets no <c>idle_refresh_days</c>: a refresh token not
    /// used for this long is exchanged anyway, so providers that expire unused refresh tokens do not lapse them.</summary>
    public TimeSpan IdleRefreshInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Connections one run of the proactive job refreshes at most (the rest wait for the next run).</summary>
    public int RefreshBatchSize { get; set; } = 500;

    /// <summary>Lifetime of a <c>/v1/connect</c> authorization (its <c>state</c>).</summary>
    public TimeSpan ConnectStateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The callback URL registered with providers' OAuth apps (<c>https://api.example.com/v1/connect/callback</c>);
    /// when unset, derived from the request to <c>/v1/connect/{provider}</c>.</summary>
    public string? CallbackUrl { get; set; }

    /// <summary>Hosts (exact, case-insensitive) a connect flow may send the browser back to; empty allows any https URL
    /// (and http on loopback).</summary>
    public List<string> AllowedRedirectHosts { get; set; } = [];

    /// <summary>Items in one import at most.</summary>
    public int MaxImportItems { get; set; } = 1000;

    /// <summary>Largest import body in bytes.</summary>
    public int MaxImportBytes { get; set; } = 4 * 1024 * 1024;
}
