namespace IntegrationHealth.Engine.Definitions;

/// <summary>
/// How a provider authenticates, one of <see cref="AuthKinds"/>. Members apply by kind (the schema says which); the
/// credential goes on every request as <see cref="Inject"/> says, or by the kind's default.
/// </summary>
public sealed record AuthDefinition
{
    public required string Kind { get; init; }
    /// <summary>Secret fields a connection supplies beyond the kind's own (see <see cref="AuthKinds.FieldsOf"/>).</summary>
    public IReadOnlyList<string> CredentialFields { get; init; } = [];
    public CredentialInjection? Inject { get; init; }

    // OAuth 2.0 (authorization code and client credentials).
    public string? AuthorizeUrl { get; init; }
    public string? TokenUrl { get; init; }
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public string ScopeSeparator { get; init; } = " ";
    public IReadOnlyDictionary<string, string> AuthorizeParams { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> TokenParams { get; init; } = new Dictionary<string, string>();
    public bool Pkce { get; init; }
    /// <summary><c>basic_header</c> (RFC 6749's preferred way) or <c>form_body</c>.</summary>
    public string ClientAuthentication { get; init; } = "basic_header";
    public string TokenRequestFormat { get; init; } = "form";
    public TokenResponseDefinition TokenResponse { get; init; } = new();
    public RefreshPolicyDefinition Refresh { get; init; } = new();

    // HTTP Basic: templates over credential fields.
    public string? Username { get; init; }
    public string? Password { get; init; }
}

/// <summary>How the credential is put on a request: a header or a query parameter, its value a template.</summary>
public sealed record CredentialInjection
{
    public string? Header { get; init; }
    public string? Query { get; init; }
    public required string Value { get; init; }
}

/// <summary>Where a token response keeps its values (expressions), for providers that nest or rename them.</summary>
public sealed record TokenResponseDefinition
{
    public string AccessToken { get; init; } = "access_token";
    public string RefreshToken { get; init; } = "refresh_token";
    public string ExpiresIn { get; init; } = "expires_in";
    public string ExpiresInUnit { get; init; } = "seconds";
}

/// <summary>When tokens are refreshed ahead of expiry, and whether refresh tokens rotate.</summary>
public sealed record RefreshPolicyDefinition
{
    public double AheadFraction { get; init; } = 5.0 / 6.0;
    public bool RotatesRefreshToken { get; init; }
    public int? IdleRefreshDays { get; init; }
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();
}

/// <summary>The auth kinds, and the credential fields and default injection of each.</summary>
public static class AuthKinds
{
    public const string AuthorizationCode = "oauth2_authorization_code";
    public const string ClientCredentials = "oauth2_client_credentials";
    public const string Bearer = "bearer";
    public const string ApiKey = "api_key";
    public const string Basic = "basic";
    /// <summary>A public API: the connection needs no credentials and none is sent.</summary>
    public const string None = "none";

    /// <summary>The credential fields a kind always has (usable in templates without declaring them).</summary>
    public static IReadOnlyList<string> FieldsOf(string kind) => kind switch
    {
        AuthorizationCode => ["client_id", "client_secret", "access_token", "refresh_token"],
        ClientCredentials => ["client_id", "client_secret", "access_token"],
        Bearer => ["token"],
        ApiKey => ["api_key"],
        _ => [],
    };

    /// <summary>The injection used when a definition gives none (bearer tokens in the Authorization header).</summary>
    public static CredentialInjection? DefaultInjection(string kind) => kind switch
    {
        AuthorizationCode or ClientCredentials => new CredentialInjection { Header = "Authorization", Value = "Bearer {access_token}" },
        Bearer => new CredentialInjection { Header = "Authorization", Value = "Bearer {token}" },
        _ => null,
    };

    /// <summary>Whether the kind obtains access tokens from a token endpoint.</summary>
    public static bool UsesTokenEndpoint(string kind) => kind is AuthorizationCode or ClientCredentials;
}
