using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Tests.Auth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Api.Tests.Engine;

/// <summary>The API host with the OpenIddict test server as the provider <c>oauthtest</c> (origin override), tenant
/// A (admin key, account acct-1) and tenant B (admin key, account acct-b).</summary>
public sealed class ConnectHostFixture : IAsyncLifetime
{
    public OAuthServer Server { get; } = new();
    public ApiTestHost Host { get; private set; } = null!;
    public string KeyA { get; private set; } = "";
    public string KeyB { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Server.StartAsync();
        Host = await ApiTestHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?>
        {
            [$"Engine:OriginOverrides:{OAuthTestDefinitions.Key}"] = Server.Origin.GetLeftPart(UriPartial.Authority),
        }, configure: b => b.Services.AddSingleton<IProviderDefinitionSource, OAuthTestDefinitions>());
        await Server.AllowRedirectUriAsync(new Uri(Host.BaseAddress, "/v1/connect/callback"));
        KeyA = await Host.CreateKeyAsync("tenant-a", ApiKeyScopes.Admin, "a-admin");
        KeyB = await Host.CreateKeyAsync("tenant-b", ApiKeyScopes.Admin, "b-admin");
        await Host.SeedAsync(KeyA, ("acct-1", []));
        await Host.SeedAsync(KeyB, ("acct-b", []));
        using var a = Host.Client(KeyA);
        await TestHttp.EnsureSuccessAsync(await a.PutAsJsonAsync($"/v1/engine/oauth-apps/{OAuthTestDefinitions.Key}",
            new { clientId = OAuthServer.ClientId, clientSecret = OAuthServer.ClientSecret }));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Server.DisposeAsync();
    }

    public HttpClient NoRedirects(string? key = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    public Task<int> TenantIdAsync(string key) => Host.QueryAsync(db => db.Tenants.Where(t => t.Key == key).Select(t => t.Id).SingleAsync());
}

public sealed class ConnectionCredentialsApiTests(ConnectHostFixture fixture) : IClassFixture<ConnectHostFixture>
{
    private const string Product = "https://product.example/integrations/done";

    private static string ConnectPath(string connection, string account = "acct-1", string redirect = Product, string? values = null) =>
        QueryHelpers.AddQueryString($"/v1/connect/{OAuthTestDefinitions.Key}", new Dictionary<string, string?>
        {
            ["account"] = account, ["connection"] = connection, ["redirect_uri"] = redirect, ["values"] = values,
        }.Where(p => p.Value is not null));

    [Fact]
    public async Task ConnectFlow_AuthorizeAtTheServer_Callback_StoresEncryptedTokens_ThenACallThroughTheEngineWorks()
    {
        using var client = fixture.NoRedirects(fixture.KeyA);
        using var start = await client.GetAsync(ConnectPath("conn-oauth", values: "{\"region\":\"eu\"}"));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal(fixture.Server.Origin.GetLeftPart(UriPartial.Authority) + "/oauth/authorize", authorize.GetLeftPart(UriPartial.Path));
        Assert.Equal(("code", OAuthServer.ClientId, "items.read offline_access", "S256", "consent"),
            (query["response_type"].ToString(), query["client_id"].ToString(), query["scope"].ToString(), query["code_challenge_method"].ToString(), query["prompt"].ToString()));
        Assert.Equal(new Uri(fixture.Host.BaseAddress, "/v1/connect/callback").AbsoluteUri, query["redirect_uri"].ToString());

        // The browser follows to the authorization server, which consents and sends it back with a code.
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var atServer = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, atServer.StatusCode);
        var callback = atServer.Headers.Location!;
        using var back = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal(Product + "?connection=conn-oauth&status=connected", back.Headers.Location!.AbsoluteUri);

        // Replaying the callback (same state) is refused: single use.
        using var replay = await browser.GetAsync(callback);
        var problem = await TestHttp.AssertProblemAsync(replay, HttpStatusCode.BadRequest);
        Assert.Contains("already used", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var tenant = await fixture.TenantIdAsync("tenant-a");
        var row = await fixture.Host.QueryAsync(db => db.Connections.SingleAsync(c => c.TenantId == tenant && c.ExternalId == "conn-oauth"));
        Assert.Equal((ConnectionStatus.Active, AuthKind.OAuth2, "{\"region\":\"eu\"}"), (row.Status, row.AuthKind, row.Values));
        var vault = fixture.Host.Services.GetRequiredService<ICredentialVault>();
        var stored = (await vault.GetAsync(StoreEngineConnections.CredentialKeyOf(tenant, row.Id)))!;
        Assert.NotNull(stored["access_token"]);
        Assert.NotNull(stored["refresh_token"]);
        var raw = await fixture.Host.QueryAsync(db => db.ConnectionCredentials.SingleAsync(c => c.ConnectionId == row.Id));
        Assert.DoesNotContain(stored["refresh_token"]!, raw.Protected, StringComparison.Ordinal);
        Assert.DoesNotContain(OAuthServer.ClientSecret, raw.Protected, StringComparison.Ordinal);

        var (_, resolved) = await fixture.Host.Services.GetRequiredService<IEngineConnections>().FindAsync(tenant, "conn-oauth");
        var executor = fixture.Host.Services.GetRequiredService<OperationExecutor>();
        var page = await executor.ListAsync(resolved!.Provider, resolved.Engine, "items").FirstAsync();
        Assert.Equal(2, page.Records.Count);
        Assert.Equal(stored["access_token"], fixture.Server.ApiTokens.Last());
        Assert.DoesNotContain(fixture.Host.LogLines, l => l.Contains(stored["refresh_token"]!, StringComparison.Ordinal)
            || l.Contains(OAuthServer.ClientSecret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("redirect_uri", "http://evil.example/steal")]
    [InlineData("redirect_uri", "javascript:alert(1)")]
    [InlineData("values", "[1,2]")]
    [InlineData("values", "{\"region\":5}")]
    [InlineData("connection", "")]
    public async Task Connect_BadInput_Answers400NamingTheParameter(string field, string value)
    {
        using var client = fixture.NoRedirects(fixture.KeyA);
        var path = field switch
        {
            "redirect_uri" => ConnectPath("conn-x", redirect: value),
            "values" => ConnectPath("conn-x", values: value),
            _ => ConnectPath(value),
        };
        using var response = await client.GetAsync(path);
        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Connect_OtherTenantsAccount_Is404_AndForgedStateIs400()
    {
        using var b = fixture.NoRedirects(fixture.KeyB);
        using var response = await b.GetAsync(ConnectPath("conn-b", account: "acct-1"));
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);

        using var anonymous = fixture.NoRedirects();
        using var forged = await anonymous.GetAsync("/v1/connect/callback?code=abc&state=" + Uri.EscapeDataString("CfDJ8forged"));
        await TestHttp.AssertProblemAsync(forged, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OAuthApps_SecretNeverReturned()
    {
        using var a = fixture.Host.Client(fixture.KeyA);
        var text = await a.GetStringAsync("/v1/engine/oauth-apps");
        Assert.Contains("\"hasClientSecret\":true", text, StringComparison.Ordinal);
        Assert.DoesNotContain(OAuthServer.ClientSecret, text, StringComparison.Ordinal);
        using var b = fixture.Host.Client(fixture.KeyB);
        Assert.Equal("[]", await b.GetStringAsync("/v1/engine/oauth-apps"));
    }

    [Fact]
    public async Task ImportThenExport_RoundTrip_Audited_ReimportUpdates_OtherTenantSees404()
    {
        var (_, refresh) = await fixture.Server.AuthorizeAsync();
        using var a = fixture.Host.Client(fixture.KeyA);
        var batch = new JsonArray(
            new JsonObject
            {
                ["externalId"] = "legacy-1", ["account"] = "acct-1", ["provider"] = OAuthTestDefinitions.Key, ["scopes"] = "items.read offline_access",
                ["values"] = new JsonObject { ["region"] = "us" },
                ["credentials"] = new JsonObject { ["refresh_token"] = refresh }, // client id/secret from the tenant's OAuth app
            },
            new JsonObject
            {
                ["externalId"] = "legacy-2", ["account"] = "acct-1", ["provider"] = OAuthTestDefinitions.Key,
                ["credentials"] = new JsonObject { ["refresh_token"] = "rt-legacy-2", ["access_token"] = "at-legacy-2", ["client_id"] = "other-app" },
                ["issuedAt"] = "2026-01-01T00:00:00Z", ["expiresAt"] = "2026-01-01T01:00:00Z",
            });
        using var imported = await a.PostAsync("/v1/connections/import", TestHttp.Json(batch));
        var importedText = await imported.Content.ReadAsStringAsync();
        Assert.True(importedText == "{\"inserted\":2,\"updated\":0}", importedText);

        var exportsBefore = await fixture.Host.QueryAsync(db => db.CredentialExports.CountAsync());
        using var exported = await a.PostAsJsonAsync("/v1/connections/export", new { connections = new[] { "legacy-1", "legacy-2" } });
        await TestHttp.EnsureSuccessAsync(exported);
        Assert.Equal("no-store", exported.Headers.CacheControl?.ToString());
        var body = await TestHttp.ReadJsonAsync(exported);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["legacy-1", "legacy-2"], items.Select(i => i.GetProperty("externalId").GetString()));
        var first = items[0].GetProperty("credentials");
        Assert.Equal((refresh, OAuthServer.ClientId, OAuthServer.ClientSecret),
            (first.GetProperty("refresh_token").GetString(), first.GetProperty("client_id").GetString(), first.GetProperty("client_secret").GetString()));
        Assert.Equal("us", items[0].GetProperty("values").GetProperty("region").GetString());
        Assert.Equal("other-app", items[1].GetProperty("credentials").GetProperty("client_id").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture), items[1].GetProperty("expiresAt").GetDateTimeOffset());
        var audit = await fixture.Host.QueryAsync(db => db.CredentialExports.OrderByDescending(e => e.Id).FirstAsync());
        Assert.Equal(exportsBefore + 1, await fixture.Host.QueryAsync(db => db.CredentialExports.CountAsync()));
        Assert.Equal((2, body.GetProperty("exportId").GetInt64()), (audit.Connections, audit.Id));
        Assert.Equal(await fixture.Host.QueryAsync(db => db.ApiKeys.Where(k => k.Name == "a-admin").Select(k => k.Id).SingleAsync()), audit.ApiKeyId);

        // The export is the import's format: it goes back in as an update.
        using var again = await a.PostAsync("/v1/connections/import", TestHttp.Json(JsonNode.Parse(body.GetProperty("items").GetRawText())!));
        Assert.Equal("{\"inserted\":0,\"updated\":2}", await again.Content.ReadAsStringAsync() is var t && t.StartsWith("{\"inserted", StringComparison.Ordinal) ? t : t[..Math.Min(t.Length, 2000)]);

        // The imported refresh token works through the engine (refreshed on first use: no access token yet).
        var tenant = await fixture.TenantIdAsync("tenant-a");
        var (_, resolved) = await fixture.Host.Services.GetRequiredService<IEngineConnections>().FindAsync(tenant, "legacy-1");
        var page = await fixture.Host.Services.GetRequiredService<OperationExecutor>().ListAsync(resolved!.Provider, resolved.Engine, "items").FirstAsync();
        Assert.Equal(2, page.Records.Count);

        using var b = fixture.Host.Client(fixture.KeyB);
        using var theirs = await b.PostAsJsonAsync("/v1/connections/export", new { connections = new[] { "legacy-1" } });
        await TestHttp.AssertProblemAsync(theirs, HttpStatusCode.NotFound);
        using var all = await b.PostAsJsonAsync("/v1/connections/export", new { });
        Assert.Empty((await TestHttp.ReadJsonAsync(all)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Import_ProviderTheTenantUploaded_IsImportableAtOnce_ButNotByAnotherTenant()
    {
        // Regression: import resolved only the shipped definitions, so a provider added as data could not be connected.
        using var a = fixture.Host.Client(fixture.KeyA);
        var definition = JsonNode.Parse("""
            { "key": "uploaded-people", "name": "Uploaded People", "category": "crm", "base_url": "https://api.people.example",
              "auth": { "kind": "bearer" },
              "resources": { "people": { "model": "crm.contact", "operations": { "list": { "method": "GET", "path": "/v2/people",
                "records": "data", "response_mapping": "{ 'id': $string(id) }" } } } } }
            """)!;
        await TestHttp.EnsureSuccessAsync(await a.PutAsync("/v1/engine/providers/uploaded-people", TestHttp.Json(definition)));
        JsonArray Batch(string account) => [new JsonObject
        {
            ["externalId"] = $"{account}-uploaded-people", ["account"] = account, ["provider"] = "uploaded-people",
            ["credentials"] = new JsonObject { ["token"] = "people-secret" },
        }];

        using var imported = await a.PostAsync("/v1/connections/import", TestHttp.Json(Batch("acct-1")));
        Assert.Equal("{\"inserted\":1,\"updated\":0}", await imported.Content.ReadAsStringAsync());
        using var exported = await a.PostAsJsonAsync("/v1/connections/export", new { connections = new[] { "acct-1-uploaded-people" } });
        var item = Assert.Single((await TestHttp.ReadJsonAsync(exported)).GetProperty("items").EnumerateArray());
        Assert.Equal(("uploaded-people", "people-secret"),
            (item.GetProperty("provider").GetString(), item.GetProperty("credentials").GetProperty("token").GetString()));

        using var b = fixture.Host.Client(fixture.KeyB);
        using var theirs = await b.PostAsync("/v1/connections/import", TestHttp.Json(Batch("acct-b")));
        var problem = await TestHttp.AssertProblemAsync(theirs, HttpStatusCode.BadRequest);
        Assert.Equal("provider", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Import_InvalidItems_400WithEveryErrorByIndexAndField_NothingStored()
    {
        using var a = fixture.Host.Client(fixture.KeyA);
        var before = await fixture.Host.QueryAsync(db => db.Connections.CountAsync());
        var batch = new JsonArray(
            new JsonObject { ["externalId"] = "bad-ok", ["account"] = "acct-1", ["provider"] = OAuthTestDefinitions.Key, ["credentials"] = new JsonObject { ["refresh_token"] = "x" } },
            new JsonObject { ["externalId"] = "bad-1", ["account"] = "acct-b", ["provider"] = OAuthTestDefinitions.Key, ["credentials"] = new JsonObject { ["refresh_token"] = "x" } },
            new JsonObject { ["externalId"] = "bad-2", ["account"] = "acct-1", ["provider"] = "no-such", ["credentials"] = new JsonObject() },
            new JsonObject { ["externalId"] = "bad-3", ["account"] = "acct-1", ["provider"] = OAuthTestDefinitions.Key, ["credentials"] = new JsonObject { ["access_token"] = "y" }, ["color"] = "red" });

        using var response = await a.PostAsync("/v1/connections/import", TestHttp.Json(batch));

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.Equal([(1, "account"), (2, "provider"), (3, "color"), (3, "credentials.refresh_token")], errors);
        Assert.Equal(before, await fixture.Host.QueryAsync(db => db.Connections.CountAsync()));
        Assert.DoesNotContain("\"x\"", problem.GetRawText(), StringComparison.Ordinal);
    }
}
