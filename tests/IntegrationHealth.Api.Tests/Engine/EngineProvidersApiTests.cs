using System.Net;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Api.Tests.Engine;

/// <summary><c>GET /v1/engine/providers</c>: the engine is composed into the host and lists the shipped definitions.</summary>
public sealed class EngineProvidersApiTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    public async Task ListEngineProviders_ReadKey_ListsTheShippedDefinitionsWithTheirResources()
    {
        var key = await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Read);
        using var client = fixture.Host.Client(key);

        using var response = await client.GetAsync("/v1/engine/providers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await TestHttp.ReadJsonAsync(response)).EnumerateArray().ToList();
        Assert.Equal(["bamboohr", "greenhouse", "hubspot", "personio", "pipedrive", "salesforce", "zendesk"], items.Select(p => p.GetProperty("key").GetString()));
        var hubspot = items.Single(p => p.GetProperty("key").GetString() == "hubspot");
        Assert.Equal("oauth2_authorization_code", hubspot.GetProperty("authKind").GetString());
        Assert.Equal("shipped:Providers/hubspot.json", hubspot.GetProperty("origin").GetString());
        var contacts = hubspot.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "contacts");
        Assert.Equal("crm.contact", contacts.GetProperty("model").GetString());
        Assert.Equal(["create", "delete", "get", "list", "update"], contacts.GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public async Task ListEngineProviders_IngestOnlyKey_IsForbidden()
    {
        var key = await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Ingest);
        using var client = fixture.Host.Client(key);

        using var response = await client.GetAsync("/v1/engine/providers");

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }
}

/// <summary>A definition document the API tests send.</summary>
public static class EngineDefinitions
{
    public const string Minimal = """
        {
          "key": "testcrm", "name": "Test CRM", "base_url": "https://api.test.example",
          "auth": { "kind": "bearer" },
          "resources": { "contacts": { "model": "crm.contact", "operations": { "list": {
            "method": "GET", "path": "/contacts", "records": "items", "response_mapping": "{ 'id': $string(id) }" } } } }
        }
        """;

    /// <summary>An override adding a query parameter to the platform's HubSpot contacts listing.</summary>
    public const string QueryOverride = """{ "resources": { "contacts": { "operations": { "list": { "query": { "extra": "1" } } } } } }""";
}

/// <summary><c>POST /v1/engine/providers/validate</c>: a definition checked without being stored.</summary>
public sealed class ValidateEngineProviderTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    private async Task<HttpClient> AdminAsync() => fixture.Host.Client(await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Admin));

    [Fact]
    public async Task Validate_ValidDefinition_IsValidWithItsKey()
    {
        using var client = await AdminAsync();

        using var response = await client.PostAsync("/v1/engine/providers/validate", TestHttp.Json(EngineDefinitions.Minimal));

        var body = await TestHttp.ReadJsonAsync(response);
        Assert.True(body.GetProperty("valid").GetBoolean());
        Assert.Equal("testcrm", body.GetProperty("key").GetString());
        Assert.Equal(0, body.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task Validate_BadExpressionAndMissingMember_ListsEachWithItsPath()
    {
        using var client = await AdminAsync();
        var document = EngineDefinitions.Minimal.Replace("\"name\": \"Test CRM\", ", "").Replace("{ 'id': $string(id) }", "{ 'id': $string(id) ");

        using var response = await client.PostAsync("/v1/engine/providers/validate", TestHttp.Json(document));

        var body = await TestHttp.ReadJsonAsync(response);
        Assert.False(body.GetProperty("valid").GetBoolean());
        var errors = body.GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("path").GetString() == "$.name");
        // The schema is checked first: a document it refuses is not compiled, so fix the name and ask again.
        using var again = await client.PostAsync("/v1/engine/providers/validate", TestHttp.Json(EngineDefinitions.Minimal.Replace("{ 'id': $string(id) }", "{ 'id': $string(id) ")));
        var expression = Assert.Single((await TestHttp.ReadJsonAsync(again)).GetProperty("errors").EnumerateArray());
        Assert.Equal("$.resources.contacts.operations.list.response_mapping", expression.GetProperty("path").GetString());
        Assert.StartsWith("S0", expression.GetProperty("code").GetString());
        Assert.True(expression.GetProperty("position").GetInt32() > 0);
    }

    [Fact]
    public async Task Validate_NotJsonContentType_Is415()
    {
        using var client = await AdminAsync();

        using var response = await client.PostAsync("/v1/engine/providers/validate", TestHttp.Json(EngineDefinitions.Minimal, "text/plain"));

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Validate_OverTheLimit_Is413()
    {
        using var client = await AdminAsync();
        var huge = EngineDefinitions.Minimal.Replace("\"Test CRM\"", "\"" + new string('x', 1024 * 1024) + "\"");

        using var response = await client.PostAsync("/v1/engine/providers/validate", TestHttp.Json(huge));

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Validate_ReadKey_IsForbidden()
    {
        using var client = fixture.Host.Client(await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Read));

        using var response = await client.PostAsync("/v1/engine/providers/validate", TestHttp.Json(EngineDefinitions.Minimal));

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }
}
