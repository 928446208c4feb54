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
        Assert.Equal(["bamboohr", "greenhouse", "hubspot", "pipedrive", "zendesk"], items.Select(p => p.GetProperty("key").GetString()));
        var hubspot = items.Single(p => p.GetProperty("key").GetString() == "hubspot");
        Assert.Equal("oauth2_authorization_code", hubspot.GetProperty("authKind").GetString());
        Assert.Equal("shipped:Providers/hubspot.json", hubspot.GetProperty("origin").GetString());
        var contacts = hubspot.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "contacts");
        Assert.Equal("crm.contact", contacts.GetProperty("model").GetString());
        Assert.Equal(["get", "list"], contacts.GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
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
