namespace IntegrationHealth.Engine.Auth;

/// <summary>
/// A connection's secrets as named fields (<c>api_key</c>, <c>client_id</c>, <c>access_token</c>, <c>refresh_token</c>,
/// or a definition's own <c>credential_fields</c>), with the access token's lifetime. Immutable: a refresh makes a new
/// value. Never logged, never put into telemetry; <see cref="ToString"/> names the fields only.
/// </summary>
public sealed record ConnectionCredentials
{
    public const string AccessToken = "access_token";
    public const string RefreshToken = "refresh_token";
    public const string ClientId = "client_id";
    public const string ClientSecret = "client_secret";

    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>When the access token was obtained (the start of its lifetime, for refresh-ahead).</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The vault row's version these credentials were read at (0: new, never read from a vault). A save
    /// keeps it, so the vault can refuse a write based on a stale read.</summary>
    public int Version { get; init; }

    /// <summary>Whether there is an access token that has not expired yet (it may still be due for refresh-ahead).</summary>
    public bool HasUnexpiredToken(DateTimeOffset now) => this[AccessToken] is not null && (ExpiresAt is not { } e || now < e);

    public static ConnectionCredentials Of(params (string Field, string Value)[] fields) =>
        new() { Fields = fields.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal) };

    public string? this[string field] => Fields.TryGetValue(field, out var value) ? value : null;

    /// <summary>These credentials with a new access token (and refresh token, when the provider rotated it).</summary>
    public ConnectionCredentials WithToken(string accessToken, string? refreshToken, DateTimeOffset issuedAt, DateTimeOffset? expiresAt)
    {
        var fields = new Dictionary<string, string>(Fields, StringComparer.Ordinal) { [AccessToken] = accessToken };
        if (!string.IsNullOrEmpty(refreshToken)) fields[RefreshToken] = refreshToken;
        return this with { Fields = fields, IssuedAt = issuedAt, ExpiresAt = expiresAt };
    }

    /// <summary>Whether the access token is missing, expired, or past <paramref name="aheadFraction"/> of its lifetime.</summary>
    public bool IsDue(DateTimeOffset now, double aheadFraction)
    {
        if (this[AccessToken] is null) return true;
        if (ExpiresAt is not { } expires) return false;
        if (IssuedAt is not { } issued || expires <= issued) return now >= expires;
        return now >= issued + (expires - issued) * aheadFraction;
    }

    public override string ToString() => $"ConnectionCredentials {{ fields: {string.Join(", ", Fields.Keys.Order(StringComparer.Ordinal))} }}";
}
