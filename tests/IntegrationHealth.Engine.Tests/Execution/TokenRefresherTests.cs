using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Tests.Definitions;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>Token requests as definitions describe them: JSON token endpoints, nested token responses, lifetimes in
/// milliseconds, rotating refresh tokens saved before the next use.</summary>
public sealed class TokenRefresherTests : IAsyncLifetime
{
    private readonly ConventionsDouble _double = new();

    public Task InitializeAsync() => _double.StartAsync();

    public async Task DisposeAsync() => await _double.DisposeAsync();

    [Fact]
    public async Task ListAsync_TokenDueAtUse_RefreshedFirstByJsonRequest_RotatedRefreshTokenSaved()
    {
        await using var engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["conventions"] = _double });
        var provider = TestDefinitions.Loader.Load("""
            {
              "key": "conventions", "name": "Conventions", "base_url": "https://api.conventions.test",
              "auth": {
                "kind": "oauth2_authorization_code",
                "authorize_url": "https://api.conventions.test/oauth/authorize",
                "token_url": "https://api.conventions.test/oauth/json-token",
                "token_request_format": "json",
                "token_response": { "access_token": "data.token", "refresh_token": "data.refresh", "expires_in": "data.ttl_ms", "expires_in_unit": "milliseconds" },
                "refresh": { "rotates_refresh_token": true }
              },
              "resources": { "items": { "operations": { "list": { "method": "GET", "path": "/items/next-url", "records": "items" } } } }
            }
            """);
        var issued = DateTimeOffset.UtcNow.AddHours(-2);
        var connection = await engine.ConnectAsync(ConnectionCredentials.Of(("client_id", ConventionsDouble.ClientId), ("client_secret", ConventionsDouble.ClientSecret),
            ("refresh_token", "rt-0")).WithToken("stale", null, issued, issued.AddHours(1)));

        await engine.Executor.ListAsync(provider, connection, "items").FirstAsync();

        var saved = await engine.Credentials.GetAsync(connection.CredentialKey);
        Assert.Equal(("json-token-1", "rt-1"), (saved!["access_token"], saved["refresh_token"]));
        Assert.Equal(TimeSpan.FromMinutes(10), saved.ExpiresAt - saved.IssuedAt);
        Assert.Equal("Bearer json-token-1", _double.Requests.Last().Authorization);
    }
}
