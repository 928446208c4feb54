using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Engine.Responses;

/// <summary>What a response means for the call that got it, decided by the definition's rules.</summary>
public enum ResponseAction
{
    /// <summary>Read the records.</summary>
    Success,
    /// <summary>Transient: may be retried (in background contexts only).</summary>
    Retry,
    /// <summary>Wait, then retry (background) or pass the wait to the caller (interactive).</summary>
    RateLimited,
    /// <summary>The access token expired: refresh it and retry the request once.</summary>
    RefreshThenRetryOnce,
    /// <summary>The credentials are revoked: the connection needs its user to authorize again; never retried.</summary>
    NeedsReauth,
    /// <summary>A permanent failure of this call.</summary>
    Fail,
    /// <summary>Not an error and no records (e.g. 404 for a listing of something that no longer exists).</summary>
    Ignore,
}

/// <summary>The wire names of <see cref="ResponseAction"/> as definitions spell them.</summary>
public static class ResponseActions
{
    public const string Success = "success";
    public const string Retry = "retry";
    public const string RateLimited = "rate_limited";
    public const string RefreshThenRetryOnce = "refresh_then_retry_once";
    public const string NeedsReauth = "needs_reauth";
    public const string Fail = "fail";
    public const string Ignore = "ignore";

    public static ResponseAction Parse(string name) => name switch
    {
        Success => ResponseAction.Success,
        Retry => ResponseAction.Retry,
        RateLimited => ResponseAction.RateLimited,
        RefreshThenRetryOnce => ResponseAction.RefreshThenRetryOnce,
        NeedsReauth => ResponseAction.NeedsReauth,
        Fail => ResponseAction.Fail,
        Ignore => ResponseAction.Ignore,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown response action."),
    };

    public static string Of(ResponseAction action) => action switch
    {
        ResponseAction.Success => Success,
        ResponseAction.Retry => Retry,
        ResponseAction.RateLimited => RateLimited,
        ResponseAction.RefreshThenRetryOnce => RefreshThenRetryOnce,
        ResponseAction.NeedsReauth => NeedsReauth,
        ResponseAction.Fail => Fail,
        _ => Ignore,
    };
}

/// <summary>
/// The verdict on one response: the action, the telemetry error class, how long to wait (rate limits), and which rule
/// decided (<c>$.responses[0]</c>, or <c>default …</c> for the engine's own fallbacks) so a surprising verdict can be
/// traced to its rule.
/// </summary>
public sealed record ResponseClassification(ResponseAction Action, ErrorClass ErrorClass, TimeSpan? Wait, string Rule)
{
    public bool IsSuccess => Action is ResponseAction.Success or ResponseAction.Ignore;
}
