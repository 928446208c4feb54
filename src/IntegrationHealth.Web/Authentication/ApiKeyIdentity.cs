using System.Security.Claims;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Web.Authentication;

/// <summary>Who is calling: the key's id, its tenant and its scopes.</summary>
public sealed record ApiKeyIdentity(int KeyId, int TenantId, ApiKeyScopes Scopes)
{
    /// <summary>Scopes after "admin implies ingest and read" (platform is implied by nothing and implies nothing).</summary>
    public ApiKeyScopes EffectiveScopes =>
        Scopes.HasFlag(ApiKeyScopes.Admin) ? Scopes | ApiKeyScopes.Ingest | ApiKeyScopes.Read : Scopes;
}

/// <summary>Claim types and accessors for the authenticated caller.</summary>
public static class ApiClaims
{
    public const string TenantId = "ih:tenant";
    public const string KeyId = "ih:key";
    public const string Scope = "scope";

    public static ClaimsPrincipal ToPrincipal(ApiKeyIdentity identity, string scheme)
    {
        var claims = new List<Claim>
        {
            new(TenantId, identity.TenantId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(KeyId, identity.KeyId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, $"api-key:{identity.KeyId}"),
        };
        var scopes = identity.EffectiveScopes;
        if (scopes.HasFlag(ApiKeyScopes.Ingest)) claims.Add(new Claim(Scope, "ingest"));
        if (scopes.HasFlag(ApiKeyScopes.Read)) claims.Add(new Claim(Scope, "read"));
        if (scopes.HasFlag(ApiKeyScopes.Admin)) claims.Add(new Claim(Scope, "admin"));
        if (scopes.HasFlag(ApiKeyScopes.Platform)) claims.Add(new Claim(Scope, "platform"));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The caller's tenant. Endpoints behind a policy always have one; anything else is a wiring bug.</summary>
    public static int GetTenantId(this ClaimsPrincipal user) =>
        int.Parse(user.FindFirstValue(TenantId) ?? throw new InvalidOperationException("No authenticated tenant on this request."),
            System.Globalization.CultureInfo.InvariantCulture);

    public static int GetKeyId(this ClaimsPrincipal user) =>
        int.Parse(user.FindFirstValue(KeyId) ?? throw new InvalidOperationException("No authenticated key on this request."),
            System.Globalization.CultureInfo.InvariantCulture);
}
