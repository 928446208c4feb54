namespace IntegrationHealth.Web.Authentication;

/// <summary>Body of <c>POST /v1/keys</c>; optional members may be omitted (their defaults are what the API applies).</summary>
public sealed record CreateApiKeyRequest(
    IReadOnlyList<string> Scopes, string? Name = null);

/// <summary>An API key without its secret.</summary>
public sealed record ApiKeyView(int Id, string Prefix, string? Name, IReadOnlyList<string> Scopes, DateTime CreatedAt, DateTime? RevokedAt);

/// <summary>A key just created; <see cref="Key"/> is shown this once and cannot be retrieved later.</summary>
public sealed record CreatedApiKeyView(int Id, string Key, string Prefix, string? Name, IReadOnlyList<string> Scopes, DateTime CreatedAt);
