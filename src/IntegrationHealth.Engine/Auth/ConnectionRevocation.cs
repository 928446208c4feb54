using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;

namespace IntegrationHealth.Engine.Auth;

/// <summary>
/// What happens, once, when a connection's credentials are found revoked: by the token endpoint (<c>invalid_grant</c>,
/// a refused client) or by the provider's API itself (a response the definition classifies <c>needs_reauth</c>, such
/// as a 401 whose body says the token was revoked, or a rejection right after a refresh). The connection is set to
/// <c>needs_reauth</c> at once (syncs and the proactive refresh leave it alone; token callers fail without a request),
/// a warning is logged and the credentials-revoked alert raised. The telemetry event is the call's own (its error
/// class <c>InvalidGrant</c>), recorded where the call was made.
/// </summary>
public sealed class ConnectionRevocation(ICredentialVault vault, ICredentialAlerts alerts, TimeProvider time, ILogger<ConnectionRevocation> logger)
{
    /// <summary>After the token endpoint refused the grant; <paramref name="failedRefreshes"/> and
    /// <paramref name="coolDownUntil"/> are saved with the flag.</summary>
    public async Task TokenRefusedAsync(LoadedProvider provider, EngineConnection connection, int? status, string rule, int failedRefreshes,
        DateTimeOffset coolDownUntil)
    {
        await vault.RecordFailureAsync(connection.CredentialKey, failedRefreshes, coolDownUntil, needsReauth: true, CancellationToken.None);
        EngineLog.ConnectionNeedsReauth(logger, connection.ConnectionId, provider.Key, status ?? 0, rule);
        await alerts.RevokedAsync(connection, provider.Key, $"token endpoint {status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "refused"}: {rule}", CancellationToken.None);
    }

    /// <summary>After the provider's API answered that the credentials are revoked.</summary>
    public async Task ApiRefusedAsync(LoadedProvider provider, EngineConnection connection, string resource, int status, string rule)
    {
        var entry = await vault.ReadAsync(connection.CredentialKey, CancellationToken.None);
        if (entry is null) return; // no stored credentials to flag (a connection without any)
        await vault.RecordFailureAsync(connection.CredentialKey, entry.FailedRefreshes, entry.CoolDownUntil ?? time.GetUtcNow(), needsReauth: true,
            CancellationToken.None);
        EngineLog.ConnectionRevokedByProvider(logger, connection.ConnectionId, provider.Key, resource, status, rule);
        await alerts.RevokedAsync(connection, provider.Key, $"{resource} answered {status.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {rule}",
            CancellationToken.None);
    }
}
