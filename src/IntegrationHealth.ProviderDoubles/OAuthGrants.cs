using System.Collections.Concurrent;
using System.Globalization;

namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// OAuth grants a double honours besides its one built-in grant: one refresh token per connected account, so that many
/// connections (the demo's) each refresh and call with tokens of their own, and one can be revoked without touching the
/// others, as when a customer uninstalls the app. A revoked grant's refresh token is answered <c>invalid_grant</c> and
/// the access tokens it issued are refused.
/// </summary>
public sealed class OAuthGrants(string tokenPrefix)
{
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _grantOf = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _codes = new(StringComparer.Ordinal);
    private int _serial;

    /// <summary>A single-use authorization code for <paramref name="redirectUri"/>, as the authorize endpoint hands out
    /// once the user consents.</summary>
    public string IssueCode(string redirectUri)
    {
        var code = $"code-{Guid.NewGuid():N}";
        _codes[code] = redirectUri;
        return code;
    }

    /// <summary>Redeems a code (once, and only with the redirect URI it was issued for): the new grant's refresh token,
    /// or null (the caller answers invalid_grant).</summary>
    public string? Redeem(string? code, string? redirectUri)
    {
        if (code is null || !_codes.TryRemove(code, out var issuedFor) || issuedFor != redirectUri) return null;
        var refresh = $"{tokenPrefix}refresh-{Guid.NewGuid():N}";
        Add(refresh);
        return refresh;
    }

    /// <summary>Accepts <paramref name="refreshToken"/> from now on (adding it again is harmless and does not un-revoke it).</summary>
    public void Add(string refreshToken) => _revoked.TryAdd(refreshToken, false);

    /// <summary>Revokes the grant: its refresh token and every access token it issued stop working.</summary>
    public void Revoke(string refreshToken) => _revoked[refreshToken] = true;

    /// <summary>A new access token for a known, unrevoked refresh token; null otherwise (the caller answers invalid_grant).</summary>
    public string? Exchange(string? refreshToken)
    {
        if (refreshToken is null || !_revoked.TryGetValue(refreshToken, out var revoked) || revoked) return null;
        var token = $"{tokenPrefix}{Interlocked.Increment(ref _serial).ToString(CultureInfo.InvariantCulture)}";
        _grantOf[token] = refreshToken;
        return token;
    }

    /// <summary>Whether the access token was issued by a grant and that grant is not revoked.</summary>
    public bool Accepts(string accessToken) =>
        _grantOf.TryGetValue(accessToken, out var grant) && _revoked.TryGetValue(grant, out var revoked) && !revoked;
}
