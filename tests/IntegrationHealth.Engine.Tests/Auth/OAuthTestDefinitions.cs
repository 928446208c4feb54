using IntegrationHealth.Engine.Definitions;

namespace IntegrationHealth.Engine.Tests.Auth;

/// <summary>The test OAuth server as a provider definition: authorization code with PKCE, rotating refresh tokens,
/// one resource at <c>/api/items</c> (URLs on a placeholder host, pointed at the server by an origin override).</summary>
public sealed class OAuthTestDefinitions : IProviderDefinitionSource
{
    public const string Key = "oauthtest";

    public const string Json = """
        {
          "key": "oauthtest", "name": "OAuth test server", "category": "crm", "base_url": "https://api.oauthtest.example",
          "auth": {
            "kind": "oauth2_authorization_code",
            "authorize_url": "https://api.oauthtest.example/oauth/authorize",
            "token_url": "https://api.oauthtest.example/oauth/token",
            "scopes": ["items.read", "offline_access"], "scope_separator": " ", "pkce": true,
            "authorize_params": { "prompt": "consent" },
            "refresh": { "rotates_refresh_token": true }
          },
          "responses": [ { "when": { "status": [401] }, "action": "refresh_then_retry_once" } ],
          "resources": { "items": { "operations": { "list": { "method": "GET", "path": "/api/items", "records": "items" } } } }
        }
        """;

    public string Origin => "test";

    public IEnumerable<(string Name, string Json)> Documents() => [("oauthtest.json", Json)];
}
