using System.Net.Http;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace IntegrationHealth.Engine.Auth;

/// <summary>Why a token was asked for: at use (the executor) or by the proactive job (refresh-ahead, idle refresh).</summary>
public enum RefreshReason
{
    AtUse,
    Proactive,
    Idle,
}

/// <summary>
/// The credential manager's <see cref="IAccessTokenSource"/>: exactly one token exchange per connection at a time,
/// however many callers and processes need it.
/// <list type="number">
/// <item>Fast path: credentials whose token is not due are returned without a lock, from this process's recent read
/// of the vault when there is one (<see cref="EngineCredentialOptions.RecentReadCache"/>, 5 s).</item>
/// <item>Otherwise the vault's refresh lock is taken (PostgreSQL advisory lock / SQLite lease, see
/// <see cref="StoreCredentialVault"/>) and the credentials re-read: when another holder refreshed meanwhile, theirs
/// are returned and no request is made.</item>
/// <item>The exchange's answer is saved (conditional on the version read) before anyone uses it, so a rotated refresh
/// token is never lost; the lock is released only after the save.</item>
/// <item>Retries (Polly, capped exponential backoff with jitter) only for failures that cannot have consumed a
/// token: the connection could not be opened (refused, name not resolved), or the grant holds no single-use token
/// (client credentials, or a refresh token the definition says does not rotate) and the failure was transient (5xx,
/// network, timeout). A refresh-token request that reached the server and failed without an answer (5xx, reset,
/// timeout) is never repeated: it may have consumed the token, and with reuse detection a replay revokes the grant.</item>
/// <item>A failure starts a cool-down (doubling per consecutive failure) during which no exchange is tried; callers
/// still get an unexpired token when there is one.</item>
/// <item><c>invalid_grant</c> (or a refused client) sets the connection to <c>needs_reauth</c> at once, logs a
/// warning, raises the credentials-revoked alert (<see cref="ConnectionRevocation"/>) and is never retried; later
/// callers fail without a request until the account reconnects.</item>
/// </list>
/// </summary>
public sealed class SingleFlightTokenSource(ICredentialVault vault, TokenRefresher exchange, ConnectionRevocation revocation,
    IOptions<EngineCredentialOptions> options, TimeProvider time, ILogger<SingleFlightTokenSource> logger) : IAccessTokenSource
{
    public Task<ConnectionCredentials> GetAsync(LoadedProvider provider, EngineConnection connection, string resource, bool forceRefresh,
        CancellationToken cancellationToken) =>
        GetAsync(provider, connection, resource, forceRefresh ? RefreshReason.AtUse : null, cancellationToken);

    /// <summary>Refreshes when due or when <paramref name="force"/> says why it must be now.</summary>
    public async Task<ConnectionCredentials> GetAsync(LoadedProvider provider, EngineConnection connection, string resource,
        RefreshReason? force, CancellationToken cancellationToken)
    {
        var auth = provider.Definition.Auth;
        var key = connection.CredentialKey;
        var entry = await vault.ReadRecentAsync(key, options.Value.RecentReadCache, cancellationToken)
            ?? throw new ConnectionConfigurationException(provider.Key, resource, "The connection has no credentials.");
        if (!AuthKinds.UsesTokenEndpoint(auth.Kind)) return entry.Credentials;
        if (force is null && !entry.Credentials.IsDue(time.GetUtcNow(), auth.Refresh.AheadFraction)) return entry.Credentials;
        if (Blocked(provider, resource, entry, force) is { } early) return early;

        var seen = entry.Credentials[ConnectionCredentials.AccessToken];
        await using (await vault.AcquireRefreshAsync(key, options.Value.LockTimeout, cancellationToken))
        {
            entry = await vault.ReadAsync(key, cancellationToken)
                ?? throw new ConnectionConfigurationException(provider.Key, resource, "The connection has no credentials.");
            var now = time.GetUtcNow();
            var fresh = !entry.Credentials.IsDue(now, auth.Refresh.AheadFraction);
            // Another holder refreshed while this caller waited: use theirs (a forced caller too: its rejected token is gone).
            if (fresh && (force is null || entry.Credentials[ConnectionCredentials.AccessToken] != seen)) return entry.Credentials;
            if (Blocked(provider, resource, entry, force) is { } blocked) return blocked;
            return await ExchangeAsync(provider, connection, resource, entry, force, cancellationToken);
        }
    }

    /// <summary>What to do instead of an exchange: nothing (null: exchange), the current token, or a failure.</summary>
    private ConnectionCredentials? Blocked(LoadedProvider provider, string resource, VaultEntry entry, RefreshReason? force)
    {
        var now = time.GetUtcNow();
        var usable = force is not RefreshReason.AtUse && entry.Credentials.HasUnexpiredToken(now);
        if (entry.NeedsReauth)
            return usable ? entry.Credentials : throw TokenRefresher.NeedsReauthError(provider, resource, null, "the connection needs re-authorization");
        if (entry.CoolDownUntil is { } until && until > now)
            return usable ? entry.Credentials : throw new UpstreamCallException(provider.Key, resource, null,
                new ResponseClassification(ResponseAction.Fail, ErrorClass.Other, null, "token refresh cooling down after a failure"), RateLimitSnapshot.None);
        if (provider.Definition.Auth.Kind == AuthKinds.AuthorizationCode && entry.Credentials[ConnectionCredentials.RefreshToken] is null)
            return entry.Credentials[ConnectionCredentials.AccessToken] is not null && force is null ? entry.Credentials
                : throw TokenRefresher.NeedsReauthError(provider, resource, null, "no refresh token");
        return null;
    }

    private async Task<ConnectionCredentials> ExchangeAsync(LoadedProvider provider, EngineConnection connection, string resource,
        VaultEntry entry, RefreshReason? force, CancellationToken cancellationToken)
    {
        var auth = provider.Definition.Auth;
        var key = connection.CredentialKey;
        var consumesToken = auth.Kind == AuthKinds.AuthorizationCode && auth.Refresh.RotatesRefreshToken;
        ConnectionCredentials refreshed;
        try
        {
            refreshed = await Pipeline(consumesToken).ExecuteAsync(
                async ct => await exchange.ExchangeAsync(provider, connection, resource, entry.Credentials, ct), cancellationToken);
        }
        catch (UpstreamCallException e) when (e.Classification.Action == ResponseAction.NeedsReauth)
        {
            await revocation.TokenRefusedAsync(provider, connection, e.Status, e.Classification.Rule, entry.FailedRefreshes + 1,
                time.GetUtcNow() + options.Value.MaxCoolDown);
            throw;
        }
        catch (UpstreamCallException e)
        {
            var failures = entry.FailedRefreshes + 1;
            var coolDown = TimeSpan.FromTicks(Math.Min(options.Value.MaxCoolDown.Ticks,
                options.Value.CoolDown.Ticks * (long)Math.Pow(2, Math.Min(failures - 1, 20))));
            await vault.RecordFailureAsync(key, failures, time.GetUtcNow() + coolDown, needsReauth: false, CancellationToken.None);
            EngineLog.TokenRefreshCoolingDown(logger, connection.ConnectionId, provider.Key, failures, (int)coolDown.TotalSeconds);
            if (force is not RefreshReason.AtUse && entry.Credentials.HasUnexpiredToken(time.GetUtcNow())) return entry.Credentials;
            throw new UpstreamCallException(e.Provider, e.Resource, e.Status, e.Classification, e.RateLimit, e.InnerException);
        }

        // Saved before it is returned, under the lock: the rotated refresh token is the only valid one from now on.
        await vault.SaveAsync(key, refreshed, CancellationToken.None);
        EngineLog.TokenRefreshed(logger, connection.ConnectionId, provider.Key, force?.ToString() ?? "due");
        return (await vault.GetAsync(key, CancellationToken.None)) ?? refreshed;
    }

    /// <summary>The retry rule of the class summary: what cannot have consumed a token.</summary>
    internal static bool NotConsumed(Exception exception, bool consumesToken) => exception is UpstreamCallException e
        && e.Classification.Action != ResponseAction.NeedsReauth
        && e.InnerException is not HttpRequestException { InnerException: Proxy.DestinationRefusedException }
        && (e.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }
            || (!consumesToken && (e.Status >= 500 || e.Classification.ErrorClass is ErrorClass.Network or ErrorClass.Timeout)));

    private ResiliencePipeline Pipeline(bool consumesToken)
    {
        var o = options.Value;
        if (o.TokenRetries == 0) return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = o.TokenRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = o.TokenRetryBaseDelay,
            MaxDelay = o.MaxTokenRetryDelay,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } x && NotConsumed(x, consumesToken)),
        }).Build();
    }
}
