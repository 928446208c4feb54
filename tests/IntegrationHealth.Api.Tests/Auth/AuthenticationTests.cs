using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Auth;

/// <summary>Keys for every scope on one seeded tenant.</summary>
public sealed class AuthHostFixture : SeededHostFixture
{
    public Dictionary<string, string> KeysByScope { get; } = [];

    /// <summary>Another admin key of the same tenant: valid wherever the admin key is.</summary>
    public string SecondAdminKey { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SecondAdminKey = await Host.CreateKeyAsync("acme", ApiKeyScopes.Admin, "second admin");
        foreach (var (name, scope) in new[] { ("ingest", ApiKeyScopes.Ingest), ("read", ApiKeyScopes.Read), ("admin", ApiKeyScopes.Admin), ("platform", ApiKeyScopes.Platform) })
            KeysByScope[name] = await Host.CreateKeyAsync("acme", scope, name);
    }
}

/// <summary>
/// 401 for no/invalid/revoked keys or two different keys, and 403 for a valid key lacking the scope, on every protected
/// endpoint. Admin implies ingest and read; platform (the operators' dashboard) implies nothing and is implied by nothing.
/// </summary>
public sealed class AuthenticationTests(AuthHostFixture fixture) : IClassFixture<AuthHostFixture>
{
    public static TheoryData<string> Endpoints => new(EndpointCatalog.Protected.Select(e => e.Name));

    private static EndpointCall Call(string name) => EndpointCatalog.Protected.Single(e => e.Name == name);

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_NoKey_Answers401WithChallenge(string name)
    {
        using var client = fixture.Host.Client();
        using var response = await client.SendAsync(Call(name).Request());

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_UnknownKey_Answers401InvalidToken(string name)
    {
        using var client = fixture.Host.Client(ApiKeySecrets.Generate());
        using var response = await client.SendAsync(Call(name).Request());

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_EachScope_AllowsOnlyItsOwnScopeAndAdmin(string name)
    {
        var call = Call(name);
        foreach (var (scope, key) in fixture.KeysByScope)
        {
            using var client = fixture.Host.Client(key);
            using var response = await client.SendAsync(call.Request());
            var allowed = scope == call.Scope || (scope == "admin" && call.Scope != "platform");
            if (allowed)
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"{scope} key on {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            else
            {
                await TestHttp.AssertProblemAsync(response, HttpStatusCode.Forbidden);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_BearerAndXApiKeyWithDifferentKeys_Answers401(string name)
    {
        // Two valid keys: either alone authenticates; together neither may win.
        var eventsBefore = await fixture.Host.CountEventsAsync();
        using var client = fixture.Host.Client(fixture.KeysByScope["admin"]);
        using var request = Call(name).Request();
        request.Headers.Add("X-Api-Key", fixture.SecondAdminKey);
        using var response = await client.SendAsync(request);

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("not two different", problem.GetProperty("detail").GetString());
        Assert.Equal(eventsBefore, await fixture.Host.CountEventsAsync());
    }

    [Fact]
    public async Task ListAccounts_SameKeyInBothHeaders_IsAccepted()
    {
        using var client = fixture.Host.Client(fixture.KeysByScope["read"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts");
        request.Headers.Add("X-Api-Key", fixture.KeysByScope["read"]);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Authorization", "Authorization")]
    [InlineData("X-Api-Key", "X-Api-Key")]
    [InlineData("Authorization", "X-Api-Key-Garbage")]
    public async Task ListAccounts_KeyHeaderTwiceOrGarbageBeside_Answers401(string first, string second)
    {
        var read = fixture.KeysByScope["read"];
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts");
        request.Headers.TryAddWithoutValidation(first, first == "Authorization" ? "Bearer " + read : read);
        if (second == "X-Api-Key-Garbage") request.Headers.TryAddWithoutValidation("X-Api-Key", "ih_not-a-key");
        else request.Headers.TryAddWithoutValidation(second, second == "Authorization" ? "Bearer " + fixture.KeysByScope["admin"] : fixture.KeysByScope["admin"]);
        using var response = await fixture.Host.Client().SendAsync(request);

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer not-a-key")]
    [InlineData("Bearer ih_short")]
    [InlineData("Token ih_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task ListAccounts_MalformedAuthorization_Answers401(string authorization)
    {
        using var client = fixture.Host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.SendAsync(request);

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ListAccounts_KeyInXApiKeyHeader_IsAccepted()
    {
        using var client = fixture.Host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts");
        request.Headers.Add("X-Api-Key", fixture.KeysByScope["read"]);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RevokeApiKey_ThenUseIt_Answers401Immediately()
    {
        using var admin = fixture.Host.Client(fixture.KeysByScope["admin"]);
        using var created = await admin.PostAsJsonAsync("/v1/keys", new { scopes = new[] { "read" }, name = "short-lived" });
        var key = await TestHttp.ReadJsonAsync(created);
        using var victim = fixture.Host.Client(key.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync("/v1/accounts")).StatusCode); // now cached as valid

        using var revoke = await admin.DeleteAsync($"/v1/keys/{key.GetProperty("id").GetInt32()}");
        using var after = await victim.GetAsync("/v1/accounts");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await TestHttp.AssertProblemAsync(after, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CreateApiKey_SecretShownOnceAndStoredOnlyAsHash()
    {
        using var admin = fixture.Host.Client(fixture.KeysByScope["admin"]);
        using var created = await admin.PostAsJsonAsync("/v1/keys", new { scopes = new[] { "ingest", "read" }, name = "hashed" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await TestHttp.ReadJsonAsync(created);
        var secret = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("id").GetInt32();

        Assert.Matches("^ih_[A-Za-z0-9_-]{43}$", secret);
        var listing = await admin.GetStringAsync("/v1/keys");
        Assert.DoesNotContain(secret, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[3..], listing, StringComparison.Ordinal);

        var row = await fixture.Host.QueryAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), row.Hash);
        Assert.Equal(secret[3..15], row.Prefix);
        Assert.Equal(ApiKeyScopes.Ingest | ApiKeyScopes.Read, row.Scopes);
        foreach (var property in typeof(ApiKey).GetProperties().Where(p => p.PropertyType == typeof(string)))
            Assert.NotEqual(secret, property.GetValue(row));
    }

    [Theory]
    [InlineData("{\"scopes\":[]}")]
    [InlineData("{\"scopes\":[\"superuser\"]}")]
    [InlineData("{\"scopes\":[\"read\"],\"name\":\"x\",\"extra\":1}")]
    [InlineData("{\"scopes\":\"read\"}")]
    [InlineData("{\"name\":\"no scopes\"}")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task CreateApiKey_InvalidBody_Answers400Problem(string body)
    {
        using var admin = fixture.Host.Client(fixture.KeysByScope["admin"]);
        var before = await fixture.Host.QueryAsync(db => db.ApiKeys.CountAsync());
        using var response = await admin.PostAsync("/v1/keys", TestHttp.Json(body));

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await fixture.Host.QueryAsync(db => db.ApiKeys.CountAsync()));
    }

    /// <summary>POST /v1/keys is a JSON write endpoint like the others: every error names its field, nothing is created.</summary>
    [Theory]
    [InlineData("{\"scopes\":[]}", "scopes")]
    [InlineData("{\"scopes\":[\"superuser\"]}", "scopes")]
    [InlineData("{\"scopes\":\"read\"}", "scopes")]
    [InlineData("{\"name\":\"no scopes\"}", "scopes")]
    [InlineData("{\"scopes\":[\"read\"],\"extra\":1}", "extra")]
    [InlineData("{\"scopes\":[\"read\"],\"scopes\":[\"admin\"]}", "scopes")]
    [InlineData("{\"scopes\":[\"read\"],\"name\":7}", "name")]
    [InlineData("not json", "$")]
    [InlineData("[{\"scopes\":[\"read\"]}]", "$")]
    [InlineData("{\"scopes\":[\"read\"]} {}", "$")]
    [InlineData("{\"scopes\":[\"read\"],\"name\":\"\\ud800\"}", "name")]
    [InlineData("{\"scopes\":[\"\\udc00\"]}", "scopes")]
    [InlineData("{\"\\ud800\":1,\"scopes\":[\"read\"]}", "\\ud800")]
    [InlineData("{\"scopes\":[\"read\"],\"name\":\"a\\u0000b\"}", "name")]
    [InlineData("{\"scopes\":[\"read\"],\"name\":\"\\u001b[31mred\"}", "name")]
    [InlineData("{\"scopes\":[\"platform\"]}", "scopes")]
    [InlineData("{\"scopes\":[\"admin\",\"platform\"]}", "scopes")]
    public async Task CreateApiKey_InvalidBody_NamesTheFieldAndCreatesNothing(string body, string field)
    {
        using var admin = fixture.Host.Client(fixture.KeysByScope["admin"]);
        var before = await fixture.Host.QueryAsync(db => db.ApiKeys.CountAsync());
        using var response = await admin.PostAsync("/v1/keys", TestHttp.Json(body));

        await TestHttp.AssertProblemWithFieldAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await fixture.Host.QueryAsync(db => db.ApiKeys.CountAsync()));
        var errors = fixture.Host.LogLines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task CreateApiKey_OversizeOrNotJson_Answers413Or415()
    {
        using var admin = fixture.Host.Client(fixture.KeysByScope["admin"]);
        var before = await fixture.Host.QueryAsync(db => db.ApiKeys.CountAsync());
        using var huge = await admin.PostAsync("/v1/keys", TestHttp.Json("{\"scopes\":[\"read\"],\"name\":\"" + new string('n', 1 << 20) + "\"}"));
        using var form = await admin.PostAsync("/v1/keys", new FormUrlEncodedContent([new("scopes", "read")]));

        await TestHttp.AssertProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge);
        await TestHttp.AssertProblemWithFieldAsync(form, HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.Equal(before, await fixture.Host.QueryAsync(db => db.ApiKeys.CountAsync()));
    }

    [Fact]
    public async Task CreateApiKey_NameWithNewline_IsKept()
    {
        using var admin = fixture.Host.Client(fixture.KeysByScope["admin"]);
        using var created = await admin.PostAsJsonAsync("/v1/keys", new { scopes = new[] { "read" }, name = "two\nlines" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("two\nlines", (await TestHttp.ReadJsonAsync(created)).GetProperty("name").GetString());
    }
}

/// <summary>No API key (nor its secret part) ever reaches a log, at any level, whatever happens to it.</summary>
public sealed class KeyLoggingTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiTestHost.StartAsync(TestDatabase.Sqlite(), logLevel: LogLevel.Trace);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task KeyLifecycle_AtTraceLevel_NeverLogsKeyMaterial()
    {
        var admin = await _host.CreateKeyAsync("logs", ApiKeyScopes.Admin, "admin");
        var secrets = new List<string> { admin };
        using var client = _host.Client(admin);
        using var created = await client.PostAsJsonAsync("/v1/keys", new { scopes = new[] { "read" } });
        var made = await TestHttp.ReadJsonAsync(created);
        secrets.Add(made.GetProperty("key").GetString()!);

        using var reader = _host.Client(secrets[1]);
        await reader.GetAsync("/v1/accounts");
        await reader.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid()))); // 403
        var wrong = ApiKeySecrets.Generate();
        secrets.Add(wrong);
        await _host.Client(wrong).GetAsync("/v1/accounts"); // 401
        using (var header = new HttpRequestMessage(HttpMethod.Get, "/v1/keys"))
        {
            header.Headers.Add("X-Api-Key", admin);
            await _host.Client().SendAsync(header);
        }
        var form = new FormUrlEncodedContent([new("key", admin)]);
        await _host.Client().PostAsync("/hangfire/login", form);
        await client.DeleteAsync($"/v1/keys/{made.GetProperty("id").GetInt32()}");
        await reader.GetAsync("/v1/accounts"); // revoked: 401

        var logs = _host.LogLines.ToList();
        Assert.NotEmpty(logs);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(logs, line => line.Contains(secret[3..], StringComparison.Ordinal));
        }
        Assert.Contains(logs, line => line.Contains("Rejected an API key", StringComparison.Ordinal));
    }
}
