using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Providers;

/// <summary>A seeded host with <c>Ingestion:UnknownProviders=register</c> and at most five own providers per tenant.</summary>
public sealed class FirstSightHostFixture : SeededHostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Ingestion:UnknownProviders"] = "register",
        ["Ingestion:MaxProvidersPerTenant"] = "5",
    };
}

/// <summary>
/// Under <c>Ingestion:UnknownProviders=register</c> an unknown key in an event batch, a connection or a ticket is
/// registered for the tenant on first sight, named after its key (issue 13, item 1) — but only for a batch that is
/// otherwise valid, only for keys that follow the key rule, and only within the tenant's limit.
/// </summary>
public sealed class ProviderFirstSightTests(FirstSightHostFixture fixture) : IClassFixture<FirstSightHostFixture>
{
    private HttpClient Client() => fixture.Host.Client(fixture.Key);

    private Task<List<string>> OwnKeysAsync(string tenant) => fixture.Host.QueryAsync(db => db.Providers
        .Where(p => db.Tenants.Any(t => t.Id == p.TenantId && t.Key == tenant)).Select(p => p.Key).OrderBy(k => k).ToListAsync());

    [Fact]
    public async Task PostEvents_UnknownKey_IsRegisteredForThisTenantNamedAfterItsKey()
    {
        using var client = Client();
        using var response = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(
            TestEvents.Valid("acct-1", "pipedrive"), TestEvents.Valid("acct-2", "pipedrive"))));

        await TestHttp.EnsureSuccessAsync(response);
        Assert.Equal(2, (await TestHttp.ReadJsonAsync(response)).GetProperty("accepted").GetInt32());
        var listed = (await client.GetFromJsonAsync<JsonArray>("/v1/providers"))!.Single(p => p!["key"]!.GetValue<string>() == "pipedrive");
        Assert.Equal("{\"key\":\"pipedrive\",\"name\":\"pipedrive\",\"category\":null,\"platform\":false}", listed!.ToJsonString());
        var stored = (await client.GetFromJsonAsync<JsonObject>("/v1/accounts/acct-2/events?limit=1000"))!["items"]!.AsArray();
        Assert.Contains(stored, e => e!["provider"]!.GetValue<string>() == "pipedrive");

        // Another tenant neither sees it nor shares it: its own first sight makes its own row.
        var other = await fixture.Host.CreateKeyAsync("first-sight-other", ApiKeyScopes.Ingest | ApiKeyScopes.Read);
        await fixture.Host.SeedAsync(other, ("acct-1", []));
        using var otherClient = fixture.Host.Client(other);
        Assert.DoesNotContain((await otherClient.GetFromJsonAsync<JsonArray>("/v1/providers"))!, p => p!["key"]!.GetValue<string>() == "pipedrive");
        await TestHttp.EnsureSuccessAsync(await otherClient.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid("acct-1", "pipedrive")))));
        Assert.Equal(2, await fixture.Host.QueryAsync(db => db.Providers.CountAsync(p => p.Key == "pipedrive")));
    }

    [Theory]
    [InlineData("Pipe Drive")]
    [InlineData("UPPER")]
    [InlineData("has_underscore")]
    [InlineData("-leading-dash")]
    public async Task PostEvents_UnknownKeyBreakingTheKeyRule_Answers400AndRegistersNothing(string key)
    {
        var before = await OwnKeysAsync("acme");
        using var client = Client();
        using var response = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid("acct-1", key))));

        var error = (await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors")[0];
        Assert.Equal("provider", error.GetProperty("field").GetString());
        Assert.Contains("lower-case letters", error.GetProperty("message").GetString());
        Assert.Equal(before, await OwnKeysAsync("acme"));
    }

    [Fact]
    public async Task PostEvents_BatchRejectedForAnotherReason_RegistersNothingAndReportsOnlyThatReason()
    {
        using var client = Client();
        using var response = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(
            TestEvents.Valid("acct-1", "deferred-one"), TestEvents.Valid("acct-404", "salesforce"))));

        var errors = (await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([(1, "account")], errors.Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("field").GetString()!)));
        Assert.DoesNotContain("deferred-one", await OwnKeysAsync("acme"));
    }

    [Fact]
    public async Task UpsertConnectionsAndTickets_UnknownKey_AreRegisteredWithTheBatchAndNotWithoutIt()
    {
        using var client = Client();
        using var rejected = await client.PostAsJsonAsync("/v1/connections", new[]
        {
            new { externalId = "conn-gusto", account = "acct-1", provider = "gusto" },
            new { externalId = "conn-orphan", account = "acct-404", provider = "salesforce" },
        });
        using var ticket = await client.PostAsJsonAsync("/v1/support-tickets",
            new[] { new { externalId = "tk-freshdesk", account = "acct-1", provider = "freshdesk", subject = "Sync", openedAt = "2025-06-01T10:00:00Z" } });
        using var connection = await client.PostAsJsonAsync("/v1/connections", new[] { new { externalId = "conn-gusto", account = "acct-1", provider = "gusto" } });

        await TestHttp.AssertProblemAsync(rejected, HttpStatusCode.BadRequest);
        await TestHttp.EnsureSuccessAsync(ticket);
        await TestHttp.EnsureSuccessAsync(connection);
        var keys = await OwnKeysAsync("acme");
        Assert.Contains("freshdesk", keys);
        Assert.Contains("gusto", keys);
        var connections = await client.GetFromJsonAsync<JsonObject>("/v1/connections?account=acct-1");
        Assert.Contains(connections!["items"]!.AsArray(), c => c!["provider"]!.GetValue<string>() == "gusto");
        var tickets = await client.GetFromJsonAsync<JsonObject>("/v1/support-tickets?account=acct-1");
        Assert.Contains(tickets!["items"]!.AsArray(), t => t!["provider"]?.GetValue<string>() == "freshdesk");
    }

    [Fact]
    public async Task PostEvents_MoreNewKeysThanTheLimitAllows_Answers400AndRegistersNone()
    {
        var key = await fixture.Host.CreateKeyAsync("capped", ApiKeyScopes.Ingest | ApiKeyScopes.Read);
        await fixture.Host.SeedAsync(key, ("acct-1", []));
        using var client = fixture.Host.Client(key);
        JsonArray Batch(params string[] providers) => new([.. providers.Select(p => (JsonNode)TestEvents.Valid("acct-1", p))]);

        using var tooMany = await client.PostAsync("/v1/events", TestHttp.Json(Batch("p-1", "p-2", "p-3", "p-4", "p-5", "p-6")));
        using var fits = await client.PostAsync("/v1/events", TestHttp.Json(Batch("p-1", "p-2", "p-3", "p-4", "p-5", "salesforce")));
        using var oneMore = await client.PostAsync("/v1/events", TestHttp.Json(Batch("p-1", "p-6")));

        var errors = (await TestHttp.AssertProblemAsync(tooMany, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(6, errors.GetArrayLength());
        Assert.Contains("at most 5", errors[0].GetProperty("message").GetString());
        await TestHttp.EnsureSuccessAsync(fits);
        var last = (await TestHttp.AssertProblemAsync(oneMore, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal((1, "provider"), (last[0].GetProperty("index").GetInt32(), last[0].GetProperty("field").GetString()));
        Assert.Equal(["p-1", "p-2", "p-3", "p-4", "p-5"], await OwnKeysAsync("capped"));
    }
}
