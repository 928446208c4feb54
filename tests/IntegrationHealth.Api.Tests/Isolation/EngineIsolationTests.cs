using System.Net;
using System.Net.Http.Json;
using IntegrationHealth.Api.Tests.Infrastructure;

namespace IntegrationHealth.Api.Tests.Isolation;

/// <summary>The engine's tenant data (uploaded definitions, overrides, effective definitions, syncs, cached records):
/// tenant B's admin key on tenant A's is "not found", exactly as for a name nobody used.</summary>
public sealed class EngineIsolationTests(IsolationHostFixture fixture) : IClassFixture<IsolationHostFixture>
{
    private const string Definition = """
        {
          "key": "secretcrm", "name": "Secret CRM of tenant A", "base_url": "https://api.secret.example",
          "auth": { "kind": "bearer" },
          "resources": { "contacts": { "model": "crm.contact", "operations": { "list": {
            "method": "GET", "path": "/contacts", "records": "items", "response_mapping": "{ 'id': $string(id) }" } } } }
        }
        """;

    private HttpClient B() => fixture.Host.Client(fixture.KeyB);

    private async Task SeedTenantAAsync()
    {
        using var a = fixture.Host.Client(fixture.KeyA);
        await TestHttp.EnsureSuccessAsync(await a.PutAsync("/v1/engine/providers/secretcrm", TestHttp.Json(Definition)));
        await TestHttp.EnsureSuccessAsync(await a.PutAsync("/v1/engine/overrides/hubspot", TestHttp.Json(Engine.EngineDefinitions.QueryOverride)));
        await TestHttp.EnsureSuccessAsync(await a.PutAsync("/v1/engine/overrides/salesforce/accounts/acct-a",
            TestHttp.Json("""{ "resources": { "contacts": { "operations": { "list": { "query": { "tenant_a": "1" } } } } } }""")));
    }

    [Theory]
    [InlineData("GET", "/v1/engine/providers/secretcrm")]
    [InlineData("GET", "/v1/engine/overrides/secretcrm")]
    [InlineData("GET", "/v1/engine/overrides/hubspot")]
    [InlineData("GET", "/v1/engine/overrides/hubspot/history")]
    [InlineData("GET", "/v1/engine/overrides/salesforce/accounts/acct-a")]
    [InlineData("GET", "/v1/engine/overrides/salesforce/accounts/acct-a/history")]
    [InlineData("DELETE", "/v1/engine/overrides/hubspot")]
    [InlineData("DELETE", "/v1/engine/overrides/salesforce/accounts/acct-a")]
    [InlineData("GET", "/v1/engine/connections/conn-a/effective-definition")]
    [InlineData("GET", "/v1/engine/connections/conn-a/syncs")]
    [InlineData("POST", "/v1/engine/connections/conn-a/syncs/contacts")]
    [InlineData("GET", "/v1/records/crm.contact?connection=conn-a")]
    public async Task OtherTenantsEngineData_Answers404(string method, string path)
    {
        await SeedTenantAAsync();
        using var client = B();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OtherTenantsDefinition_IsNotListedAndItsKeyStaysFreeForB()
    {
        await SeedTenantAAsync();
        using var client = B();

        var list = await client.GetStringAsync("/v1/engine/providers");
        using var put = await client.PutAsync("/v1/engine/overrides/secretcrm", TestHttp.Json(Engine.EngineDefinitions.QueryOverride));
        using var own = await client.PutAsync("/v1/engine/providers/secretcrm", TestHttp.Json(Definition.Replace("tenant A", "tenant B")));

        Assert.DoesNotContain("secretcrm", list);
        await TestHttp.AssertProblemAsync(put, HttpStatusCode.NotFound);
        Assert.True(own.IsSuccessStatusCode, await own.Content.ReadAsStringAsync());
        using var a = fixture.Host.Client(fixture.KeyA);
        var theirs = await a.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/engine/providers/secretcrm");
        Assert.Equal("Secret CRM of tenant A", (string?)theirs!["definition"]!["name"]);
    }

    [Fact]
    public async Task OtherTenantsOverride_DoesNotChangeBsEffectiveDefinition()
    {
        await SeedTenantAAsync();
        using var client = B();

        var effective = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/engine/connections/conn-b/effective-definition");

        Assert.Null(effective!["environmentVersion"]);
        Assert.Null(effective["definition"]!["resources"]!["contacts"]!["operations"]!["list"]!["query"]!["tenant_a"]);
        Assert.All(effective["parts"]!.AsArray(), p => Assert.Equal("platform", (string?)p!["level"]));
    }
}
