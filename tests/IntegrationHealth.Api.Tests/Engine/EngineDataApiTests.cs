using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Records;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Engine;

/// <summary>The provider-definition, override, effective-definition and records endpoints over the real host.</summary>
public sealed class EngineDataApiTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    private async Task<HttpClient> AdminAsync() => fixture.Host.Client(await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Admin));

    private static string People(string key) => EngineDefinitions.Minimal.Replace("\"testcrm\"", $"\"{key}\"");

    [Fact]
    public async Task PutEngineProvider_CreateReplaceRead_VersionsAndListsIt()
    {
        using var client = await AdminAsync();

        using var created = await client.PutAsync("/v1/engine/providers/apicrm", TestHttp.Json(People("apicrm")));
        using var replaced = await client.PutAsync("/v1/engine/providers/apicrm", TestHttp.Json(People("apicrm").Replace("Test CRM", "Test CRM 2")));
        var read = await client.GetFromJsonAsync<JsonObject>("/v1/engine/providers/apicrm");
        var list = await client.GetFromJsonAsync<JsonArray>("/v1/engine/providers");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v1/engine/providers/apicrm", created.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(("tenant", 2, "Test CRM 2"), ((string?)read!["level"], (int?)read["version"], (string?)read["definition"]!["name"]));
        Assert.Contains(list!, p => (string?)p!["key"] == "apicrm" && (string?)p["origin"] == "tenant:apicrm@v2");
        var providers = await client.GetFromJsonAsync<JsonArray>("/v1/providers");
        Assert.Contains(providers!, p => (string?)p!["key"] == "apicrm" && (string?)p["name"] == "Test CRM 2");
    }

    [Fact]
    public async Task PutEngineProvider_BadExpression_400WithPathCodeAndPosition_NothingStored()
    {
        using var client = await AdminAsync();

        using var response = await client.PutAsync("/v1/engine/providers/badcrm", TestHttp.Json(People("badcrm").Replace("$string(id) }", "$string(id) ")));

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("$.resources.contacts.operations.list.response_mapping", error.GetProperty("field").GetString());
        Assert.StartsWith("S0", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("position").GetInt32() > 0);
        using var get = await client.GetAsync("/v1/engine/providers/badcrm");
        await TestHttp.AssertProblemAsync(get, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/v1/engine/providers/hubspot", 409)]       // a platform key
    [InlineData("/v1/engine/providers/slack", 409)]         // a platform catalogue key without a shipped definition
    [InlineData("/v1/engine/providers/other", 400)]         // not the document's key
    [InlineData("/v1/engine/providers/Not%20A%20Key", 400)]   // not a key at all
    public async Task PutEngineProvider_WrongKey_IsRefused(string path, int status)
    {
        using var client = await AdminAsync();
        var key = path.Split('/').Last();

        using var response = await client.PutAsync(path, TestHttp.Json(People(key == "other" || key.StartsWith('N') ? "apicrm2" : key)));

        await TestHttp.AssertProblemAsync(response, (HttpStatusCode)status);
    }

    [Fact]
    public async Task PutEngineProvider_TooLargeOrNotJson_413And415()
    {
        using var client = await AdminAsync();

        using var huge = await client.PutAsync("/v1/engine/providers/apicrm3", TestHttp.Json(People("apicrm3").Replace("Test CRM", new string('x', 1024 * 1024))));
        using var text = await client.PutAsync("/v1/engine/providers/apicrm3", TestHttp.Json(People("apicrm3"), "text/plain"));

        await TestHttp.AssertProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge);
        await TestHttp.AssertProblemAsync(text, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Overrides_BadJsonataRefused_ThenSaveHistoryRollbackAndEffectiveDefinition()
    {
        using var client = await AdminAsync();
        const string path = "/v1/engine/overrides/salesforce/accounts/acct-2";
        static string Mapping(string expression) => new JsonObject { ["resources"] = new JsonObject { ["contacts"] = new JsonObject { ["operations"] =
            new JsonObject { ["list"] = new JsonObject { ["response_mapping"] = expression } } } } }.ToJsonString();

        using var bad = await client.PutAsync(path, TestHttp.Json(Mapping("{ 'id': Id, 'email': $lowercase(Email }")));
        var problem = await TestHttp.AssertProblemAsync(bad, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("$.resources.contacts.operations.list.response_mapping", error.GetProperty("field").GetString());
        Assert.Matches("^[ST][0-9]{4}$", error.GetProperty("code").GetString()!);
        Assert.True(error.GetProperty("position").GetInt32() > 0);
        using var none = await client.GetAsync(path);
        await TestHttp.AssertProblemAsync(none, HttpStatusCode.NotFound);

        await TestHttp.EnsureSuccessAsync(await client.PutAsync("/v1/engine/overrides/salesforce", TestHttp.Json(Mapping("{ 'id': Id, 'first_name': 'ENV' }"))));
        await TestHttp.EnsureSuccessAsync(await client.PutAsync(path, TestHttp.Json(Mapping("{ 'id': Id, 'first_name': 'V1' }"))));
        await TestHttp.EnsureSuccessAsync(await client.PutAsync(path, TestHttp.Json(Mapping("{ 'id': Id, 'first_name': 'V2' }"))));
        using var rollback = await client.PostAsync(path + "/rollback", TestHttp.Json("""{"version":1}"""));
        using var badRollback = await client.PostAsync(path + "/rollback", TestHttp.Json("""{"version":"one"}"""));
        var history = await client.GetFromJsonAsync<JsonArray>(path + "/history");
        var effective = await client.GetFromJsonAsync<JsonObject>("/v1/engine/connections/conn-2/effective-definition");
        var otherAccount = await client.GetFromJsonAsync<JsonObject>("/v1/engine/connections/conn-1/effective-definition");

        Assert.Equal(3, (int?)(await TestHttp.ReadJsonAsync(rollback)).GetProperty("version").GetInt32());
        await TestHttp.AssertProblemAsync(badRollback, HttpStatusCode.BadRequest);
        Assert.Equal(["rollback", "save", "save"], history!.Select(h => (string?)h!["change"]));
        Assert.Equal("{ 'id': Id, 'first_name': 'V1' }", (string?)effective!["definition"]!["resources"]!["contacts"]!["operations"]!["list"]!["response_mapping"]);
        Assert.Equal((3, "account"), ((int?)effective["accountVersion"], (string?)effective["parts"]!.AsArray()
            .Single(p => (string?)p!["path"] == "$.resources.contacts.operations.list.response_mapping")!["level"]));
        Assert.Equal("{ 'id': Id, 'first_name': 'ENV' }", (string?)otherAccount!["definition"]!["resources"]!["contacts"]!["operations"]!["list"]!["response_mapping"]);
        Assert.Equal("platform", (string?)otherAccount["parts"]!.AsArray().Single(p => (string?)p!["path"] == "$.base_url")!["level"]);
    }

    [Fact]
    public async Task PutOverride_NotAnObjectOrAuthMember_400()
    {
        using var client = await AdminAsync();

        using var array = await client.PutAsync("/v1/engine/overrides/hubspot", TestHttp.Json("[]"));
        using var auth = await client.PutAsync("/v1/engine/overrides/hubspot", TestHttp.Json("""{ "auth": { "kind": "none" } }"""));
        using var unknownAccount = await client.PutAsync("/v1/engine/overrides/hubspot/accounts/nobody", TestHttp.Json(EngineDefinitions.QueryOverride));
        using var unknownProvider = await client.PutAsync("/v1/engine/overrides/nosuchkey", TestHttp.Json(EngineDefinitions.QueryOverride));

        await TestHttp.AssertProblemAsync(array, HttpStatusCode.BadRequest);
        var problem = await TestHttp.AssertProblemAsync(auth, HttpStatusCode.BadRequest);
        Assert.Equal("$.auth", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        await TestHttp.AssertProblemAsync(unknownAccount, HttpStatusCode.NotFound);
        await TestHttp.AssertProblemAsync(unknownProvider, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListRecords_PagesByCursorAndFiltersByModifiedAfter()
    {
        var read = fixture.Host.Client(fixture.Key);
        var connectionId = await fixture.Host.QueryAsync(db => db.Connections.Where(c => c.ExternalId == "conn-2-hubspot").Select(c => c.Id).SingleAsync());
        var tenantId = await fixture.Host.QueryAsync(db => db.Connections.Where(c => c.ExternalId == "conn-2-hubspot").Select(c => c.TenantId).SingleAsync());
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await fixture.Host.QueryAsync(async db =>
        {
            for (var i = 1; i <= 5; i++)
            {
                var json = $$"""{"id":"{{i}}","email":"r{{i}}@example.com"}""";
                db.CachedRecords.Add(new CachedRecord
                {
                    TenantId = tenantId, ConnectionId = connectionId, Model = "crm.contact", RemoteId = i.ToString(), Data = json,
                    Hash = RecordCacheWriterHash(json), Generation = 1, Deleted = i == 5, CreatedAt = t0, ModifiedAt = t0.AddHours(i),
                });
            }
            db.CachedRecords.Add(new CachedRecord
            {
                TenantId = tenantId, ConnectionId = connectionId, Model = "crm.company", RemoteId = "c1", Data = "{}", Hash = new byte[32],
                CreatedAt = t0, ModifiedAt = t0,
            });
            return await db.SaveChangesAsync();
        });

        var first = await read.GetFromJsonAsync<JsonObject>("/v1/records/crm.contact?connection=conn-2-hubspot&limit=2");
        var second = await read.GetFromJsonAsync<JsonObject>($"/v1/records/crm.contact?connection=conn-2-hubspot&limit=2&cursor={(string?)first!["nextCursor"]}");
        var recent = await read.GetFromJsonAsync<JsonObject>("/v1/records/crm.contact?connection=conn-2-hubspot&modifiedAfter=2026-01-01T03:00:00Z");
        using var badInstant = await read.GetAsync("/v1/records/crm.contact?connection=conn-2-hubspot&modifiedAfter=yesterday");
        using var noConnection = await read.GetAsync("/v1/records/crm.contact");
        using var unknown = await read.GetAsync("/v1/records/crm.contact?connection=nope");

        Assert.Equal(["1", "2"], first["items"]!.AsArray().Select(r => (string?)r!["remoteId"]));
        Assert.Equal(["3", "4"], second!["items"]!.AsArray().Select(r => (string?)r!["remoteId"]));
        Assert.Equal("r1@example.com", (string?)first["items"]![0]!["data"]!["email"]);
        Assert.Equal(["4", "5"], recent!["items"]!.AsArray().Select(r => (string?)r!["remoteId"]));
        Assert.True((bool)recent["items"]![1]!["deleted"]!);
        await TestHttp.AssertProblemAsync(badInstant, HttpStatusCode.BadRequest);
        await TestHttp.AssertProblemAsync(noConnection, HttpStatusCode.BadRequest);
        await TestHttp.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TriggerSync_UnknownResource_400_AndRunsAreListed()
    {
        var client = fixture.Host.Client(fixture.Key);

        using var unknown = await client.PostAsync("/v1/engine/connections/conn-1/syncs/no-such-resource", null);
        using var queued = await client.PostAsync("/v1/engine/connections/conn-1/syncs/contacts", null);
        var runs = await client.GetFromJsonAsync<JsonObject>("/v1/engine/connections/conn-1/syncs");

        await TestHttp.AssertProblemAsync(unknown, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var id = (await TestHttp.ReadJsonAsync(queued)).GetProperty("id").GetInt32();
        Assert.Contains(runs!["items"]!.AsArray(), r => (int?)r!["id"] == id && (string?)r["resource"] == "contacts");
    }

    private static byte[] RecordCacheWriterHash(string json) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json));
}
