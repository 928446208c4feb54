using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Providers;

/// <summary>
/// Tenants register their own providers with <c>POST /v1/providers</c> (issue 13, item 1: a batch naming a provider
/// outside the 8 platform ones was refused, with no way to add one). Unknown keys are refused (the default
/// <c>Ingestion:UnknownProviders=reject</c>) with a hint how to register them.
/// </summary>
public sealed class ProviderRegistrationTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    private HttpClient Client() => fixture.Host.Client(fixture.Key);

    private Task<int> OwnProvidersAsync() => fixture.Host.QueryAsync(db => db.Providers.CountAsync(p => p.TenantId != null));

    private static async Task<JsonObject?> FindAsync(HttpClient client, string key) =>
        (await client.GetFromJsonAsync<JsonArray>("/v1/providers"))!.SingleOrDefault(p => p!["key"]!.GetValue<string>() == key)?.AsObject();

    [Fact]
    public async Task UpsertProviders_NewKey_IsListedAndUsableByEventsConnectionsAndTickets()
    {
        using var client = Client();
        using var registered = await client.PostAsJsonAsync("/v1/providers", new[] { new { key = "zoho-crm", name = "Zoho CRM", category = "crm" } });

        Assert.Equal("{\"inserted\":1,\"updated\":0}", await registered.Content.ReadAsStringAsync());
        var listed = await FindAsync(client, "zoho-crm");
        Assert.Equal("{\"key\":\"zoho-crm\",\"name\":\"Zoho CRM\",\"category\":\"crm\",\"platform\":false}", listed!.ToJsonString());
        Assert.True((await FindAsync(client, "salesforce"))!["platform"]!.GetValue<bool>());

        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/connections", new[] { new { externalId = "conn-zoho", account = "acct-1", provider = "zoho-crm" } }));
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/support-tickets",
            new[] { new { externalId = "tk-zoho", account = "acct-1", provider = "zoho-crm", subject = "Zoho sync", openedAt = "2025-06-01T10:00:00Z" } }));
        using var events = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid("acct-1", "zoho-crm"))));
        await TestHttp.EnsureSuccessAsync(events);

        var connections = await client.GetFromJsonAsync<JsonObject>("/v1/connections?account=acct-1");
        Assert.Contains(connections!["items"]!.AsArray(), c => c!["externalId"]!.GetValue<string>() == "conn-zoho" && c["provider"]!.GetValue<string>() == "zoho-crm");
        var stored = (await client.GetFromJsonAsync<JsonObject>("/v1/accounts/acct-1/events?limit=1000"))!["items"]!.AsArray();
        var ev = stored.Single(e => e!["provider"]!.GetValue<string>() == "zoho-crm");
        Assert.Equal("conn-zoho", ev!["connection"]!.GetValue<string>()); // the account's only zoho-crm connection
    }

    [Fact]
    public async Task UpsertProviders_ExistingKey_RenamesItAndClearsAnOmittedCategory()
    {
        using var client = Client();
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/providers", new[] { new { key = "rename-me", name = "Old", category = "erp" } }));

        using var renamed = await client.PostAsJsonAsync("/v1/providers", new[] { new { key = "rename-me", name = "New name" } });

        Assert.Equal("{\"inserted\":0,\"updated\":1}", await renamed.Content.ReadAsStringAsync());
        var listed = await FindAsync(client, "rename-me");
        Assert.Equal("New name", listed!["name"]!.GetValue<string>());
        Assert.Null(listed["category"]);
    }

    public static TheoryData<string, string> InvalidItems => new()
    {
        { "{\"key\":\"salesforce\",\"name\":\"My Salesforce\"}", "key" },
        { "{\"key\":\"Acme\",\"name\":\"n\"}", "key" },
        { "{\"key\":\"acme erp\",\"name\":\"n\"}", "key" },
        { "{\"key\":\"acme_erp\",\"name\":\"n\"}", "key" },
        { "{\"key\":\"-acme\",\"name\":\"n\"}", "key" },
        { "{\"key\":\"acme/erp\",\"name\":\"n\"}", "key" },
        { "{\"key\":\"acme\\u0000\",\"name\":\"n\"}", "key" },
        { "{\"key\":\"ac\u00e9me\",\"name\":\"n\"}", "key" },
        { "{\"key\":\"\",\"name\":\"n\"}", "key" },
        { "{\"key\":\"" + new string('a', 101) + "\",\"name\":\"n\"}", "key" },
        { "{\"key\":7,\"name\":\"n\"}", "key" },
        { "{\"name\":\"no key\"}", "key" },
        { "{\"key\":\"acme\"}", "name" },
        { "{\"key\":\"acme\",\"name\":\"" + new string('n', 301) + "\"}", "name" },
        { "{\"key\":\"acme\",\"name\":\"line\\nbreak\"}", "name" },
        { "{\"key\":\"acme\",\"name\":\"nul\\u0000\"}", "name" },
        { "{\"key\":\"acme\",\"name\":\"n\",\"category\":\"CRM\"}", "category" },
        { "{\"key\":\"acme\",\"name\":\"n\",\"categroy\":\"crm\"}", "categroy" },
        { "{\"key\":\"acme\",\"name\":\"n\"},{\"key\":\"acme\",\"name\":\"again\"}", "key" },
    };

    [Theory]
    [MemberData(nameof(InvalidItems))]
    public async Task UpsertProviders_InvalidItem_Answers400WithFieldAndStoresNothing(string items, string field)
    {
        var before = await OwnProvidersAsync();
        using var client = Client();

        using var response = await client.PostAsync("/v1/providers", TestHttp.Json("[{\"key\":\"valid-first\",\"name\":\"ok\"}," + items + "]"));

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field && e.GetProperty("index").GetInt32() >= 1);
        Assert.Equal(before, await OwnProvidersAsync());
    }

    [Fact]
    public async Task PostEvents_UnknownProvider_Answers400WithTheRegistrationHintAndRegistersNothing()
    {
        var before = await OwnProvidersAsync();
        using var client = Client();

        using var response = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid("acct-1", "never-seen"))));

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var error = problem.GetProperty("errors")[0];
        Assert.Equal("provider", error.GetProperty("field").GetString());
        Assert.Contains("POST /v1/providers", error.GetProperty("message").GetString());
        Assert.Equal(before, await OwnProvidersAsync());
    }

    [Theory]
    [InlineData("/v1/connections", "{\"externalId\":\"c-unknown\",\"account\":\"acct-1\",\"provider\":\"never-seen\"}")]
    [InlineData("/v1/support-tickets", "{\"externalId\":\"t-unknown\",\"account\":\"acct-1\",\"provider\":\"never-seen\",\"subject\":\"s\",\"openedAt\":\"2025-06-01T10:00:00Z\"}")]
    public async Task Upsert_UnknownProvider_Answers400WithTheRegistrationHint(string path, string item)
    {
        using var client = Client();
        using var response = await client.PostAsync(path, TestHttp.Json("[" + item + "]"));

        var error = (await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors")[0];
        Assert.Equal("provider", error.GetProperty("field").GetString());
        Assert.Contains("POST /v1/providers", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task UpsertProviders_ReadScopeOnly_Answers403()
    {
        var readOnly = await fixture.Host.CreateKeyAsync("acme", Data.Entities.ApiKeyScopes.Read);
        using var client = fixture.Host.Client(readOnly);
        using var response = await client.PostAsJsonAsync("/v1/providers", new[] { new { key = "read-only", name = "n" } });
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }
}

/// <summary>A host whose tenants may register at most three providers of their own.</summary>
public sealed class SmallCatalogueHostFixture : SeededHostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Ingestion:MaxProvidersPerTenant"] = "3" };
}

/// <summary><c>Ingestion:MaxProvidersPerTenant</c> bounds a tenant's own catalogue, however its providers arrive.</summary>
public sealed class ProviderLimitTests(SmallCatalogueHostFixture fixture) : IClassFixture<SmallCatalogueHostFixture>
{
    [Fact]
    public async Task UpsertProviders_BeyondTheLimit_Answers400AndStoresNoneOfTheBatch()
    {
        using var client = fixture.Host.Client(fixture.Key);
        await TestHttp.EnsureSuccessAsync(await client.PostAsJsonAsync("/v1/providers", new[] { new { key = "first", name = "First" }, new { key = "second", name = "Second" } }));

        using var over = await client.PostAsJsonAsync("/v1/providers", new[]
        {
            new { key = "second", name = "Renamed" }, new { key = "third", name = "Third" }, new { key = "fourth", name = "Fourth" },
        });
        using var renameOnly = await client.PostAsJsonAsync("/v1/providers", new[] { new { key = "first", name = "Still fine" } });

        var problem = await TestHttp.AssertProblemAsync(over, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal((2, "key"), (error.GetProperty("index").GetInt32(), error.GetProperty("field").GetString()));
        Assert.Equal(["first", "second"], await fixture.Host.QueryAsync(db => db.Providers.Where(p => p.TenantId != null).Select(p => p.Key).OrderBy(k => k).ToListAsync()));
        Assert.Equal("{\"inserted\":0,\"updated\":1}", await renameOnly.Content.ReadAsStringAsync());
    }
}
