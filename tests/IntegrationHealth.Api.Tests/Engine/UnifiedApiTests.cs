using System.Net;
using System.Text.Json;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Engine.Idempotency;
using IntegrationHealth.ProviderDoubles;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Engine;

/// <summary>
/// <c>/v1/unified/...</c> and <c>/v1/proxy/...</c> through the real API against the HubSpot and Pipedrive doubles:
/// paging with our own cursor, single-record operations, upstream failures as problems, rate-limit headers,
/// Idempotency-Key and tenant isolation.
/// </summary>
public sealed class UnifiedApiTests(EngineEdgeFixture fixture) : IClassFixture<EngineEdgeFixture>
{
    private HttpClient A() => fixture.Host.Client(fixture.AdminA);

    private static async Task<List<string>> IdsAsync(JsonElement page) =>
        await Task.FromResult(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList());

    [Fact]
    public async Task List_HubSpotContactsInTwoCalls_ReturnsEveryRecordOnceAcrossProviderPages()
    {
        using var client = fixture.Host.Client(fixture.ReadA);

        using var first = await client.GetAsync("/v1/unified/crm/contacts?connection=conn-hs&limit=150");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var page1 = await TestHttp.ReadJsonAsync(first);
        var cursor = page1.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        Assert.Equal("100", first.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("10", first.Headers.GetValues("RateLimit-Reset").Single());
        using var second = await client.GetAsync($"/v1/unified/crm/contacts?connection=conn-hs&limit=150&cursor={Uri.EscapeDataString(cursor!)}");
        var page2 = await TestHttp.ReadJsonAsync(second);

        var ids = (await IdsAsync(page1)).Concat(await IdsAsync(page2)).ToList();
        Assert.Equal(Enumerable.Range(1, 250).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ids);
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("nextCursor").ValueKind);
        Assert.Equal("contact1@example.com", page1.GetProperty("items")[0].GetProperty("email").GetString());
    }

    [Fact]
    public async Task List_PipedrivePersonsInPagesOf70_FollowsTheCursorToTheEnd()
    {
        using var client = A();
        var ids = new List<string>();
        string? cursor = null;
        for (var calls = 0; calls < 10; calls++)
        {
            var url = "/v1/unified/crm/contacts?connection=conn-pd&limit=70" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await TestHttp.ReadJsonAsync(await client.GetAsync(url));
            ids.AddRange(await IdsAsync(page));
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is null) break;
        }

        Assert.Equal(230, ids.Count);
        Assert.Equal(230, ids.Distinct().Count());
    }

    [Fact]
    public async Task List_TamperedOrForeignCursor_Is400()
    {
        using var client = A();
        var page = await TestHttp.ReadJsonAsync(await client.GetAsync("/v1/unified/crm/contacts?connection=conn-hs&limit=5"));
        var cursor = page.GetProperty("nextCursor").GetString()!;
        var tampered = cursor[..10] + (cursor[10] == 'x' ? 'y' : 'x') + cursor[11..];

        using var edited = await client.GetAsync($"/v1/unified/crm/contacts?connection=conn-hs&cursor={Uri.EscapeDataString(tampered)}");
        using var otherConnection = await client.GetAsync($"/v1/unified/crm/contacts?connection=conn-pd&cursor={Uri.EscapeDataString(cursor)}");
        using var otherResource = await client.GetAsync($"/v1/unified/crm/companies?connection=conn-hs&cursor={Uri.EscapeDataString(cursor)}");
        using var garbage = await client.GetAsync("/v1/unified/crm/contacts?connection=conn-hs&cursor=%25%25");

        foreach (var response in new[] { edited, otherConnection, otherResource, garbage })
        {
            var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("cursor", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task List_UnknownFilterModelOrLimit_Is400Or404()
    {
        using var client = A();

        await TestHttp.AssertProblemAsync(await client.GetAsync("/v1/unified/crm/contacts?connection=conn-hs&shoe_size=9"), HttpStatusCode.BadRequest);
        await TestHttp.AssertProblemAsync(await client.GetAsync("/v1/unified/crm/contacts?connection=conn-hs&limit=0"), HttpStatusCode.BadRequest);
        await TestHttp.AssertProblemAsync(await client.GetAsync("/v1/unified/crm/contacts"), HttpStatusCode.BadRequest);
        await TestHttp.AssertProblemAsync(await client.GetAsync("/v1/unified/crm/spaceships?connection=conn-hs"), HttpStatusCode.NotFound);
        await TestHttp.AssertProblemAsync(await client.GetAsync("/v1/unified/hris/employees?connection=conn-hs"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_OneHubSpotContact_IsMappedAndAMissingOneIs404()
    {
        using var client = A();

        var contact = await TestHttp.ReadJsonAsync(await client.GetAsync("/v1/unified/crm/contacts/7?connection=conn-hs"));
        using var missing = await client.GetAsync("/v1/unified/crm/contacts/99999?connection=conn-hs");

        Assert.Equal("First7", contact.GetProperty("first_name").GetString());
        await TestHttp.AssertProblemAsync(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreateUpdateDelete_Pipedrive_WorkThroughTheUnifiedModel()
    {
        using var client = A();

        using var created = await client.PostAsync("/v1/unified/crm/contacts?connection=conn-pd",
            TestHttp.Json("""{ "first_name": "Katherine", "last_name": "Johnson", "email": "kj@example.com" }"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = await TestHttp.ReadJsonAsync(created);
        var id = record.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/unified/crm/contacts/{id}?connection=conn-pd", created.Headers.Location?.OriginalString);
        Assert.Equal("Katherine Johnson", fixture.Pipedrive.Written[id]["name"]!.GetValue<string>());

        using var updated = await client.PatchAsync($"/v1/unified/crm/contacts/{id}?connection=conn-pd", TestHttp.Json("""{ "phone": "555-0199" }"""));
        Assert.Equal("555-0199", (await TestHttp.ReadJsonAsync(updated)).GetProperty("phone").GetString());

        using var deleted = await client.DeleteAsync($"/v1/unified/crm/contacts/{id}?connection=conn-pd");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await TestHttp.AssertProblemAsync(await client.GetAsync($"/v1/unified/crm/contacts/{id}?connection=conn-pd"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_HubSpotRefusesTheRecord_Is422WithTheClassification()
    {
        using var client = A();

        using var response = await client.PostAsync("/v1/unified/crm/contacts?connection=conn-hs", TestHttp.Json("""{ "first_name": "No email" }"""));

        var problem = await TestHttp.AssertProblemAsync(response, (HttpStatusCode)422);
        Assert.Equal(400, problem.GetProperty("upstreamStatus").GetInt32());
        Assert.Equal("fail", problem.GetProperty("classification").GetString());
    }

    [Fact]
    public async Task Writes_BadBodies_AreRefusedBeforeAnyUpstreamCall()
    {
        using var client = A();
        var before = fixture.HubSpot.Requests.Count;

        await TestHttp.AssertProblemAsync(await client.PostAsync("/v1/unified/crm/contacts?connection=conn-hs", TestHttp.Json("[1,2]")), HttpStatusCode.BadRequest);
        await TestHttp.AssertProblemAsync(await client.PostAsync("/v1/unified/crm/contacts?connection=conn-hs", TestHttp.Json("{\"a\":", "application/json")), HttpStatusCode.BadRequest);
        await TestHttp.AssertProblemAsync(await client.PostAsync("/v1/unified/crm/contacts?connection=conn-hs", TestHttp.Json("{}", "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await TestHttp.AssertProblemAsync(await client.PostAsync("/v1/unified/crm/contacts?connection=conn-hs",
            TestHttp.Json("{\"email\":\"" + new string('x', 2 * 1024 * 1024) + "\"}")), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(before, fixture.HubSpot.Requests.Count);
    }

    [Fact]
    public async Task List_Upstream429_PassesThroughWithRetryAfterAndNoRetry()
    {
        using var client = A();
        var before = fixture.Pipedrive.Requests.Count;
        fixture.Pipedrive.Enqueue(Fault.Of(429, "{\"success\":false,\"error\":\"Rate limit\"}",
            ("x-ratelimit-limit", "80"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "9")));

        using var response = await client.GetAsync("/v1/unified/crm/contacts?connection=conn-pd");

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limited", problem.GetProperty("classification").GetString());
        Assert.Equal(TimeSpan.FromSeconds(9), response.Headers.RetryAfter?.Delta);
        Assert.Equal("80", response.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("0", response.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal("9", response.Headers.GetValues("RateLimit-Reset").Single());
        Assert.Equal(before + 1, fixture.Pipedrive.Requests.Count);
    }

    [Fact]
    public async Task Get_RevokedToken_Is409NeedsReauth()
    {
        using var client = A();
        fixture.HubSpot.Enqueue(Fault.Of(401, "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\",\"category\":\"INVALID_AUTHENTICATION\"}"));

        using var response = await client.GetAsync("/v1/unified/crm/contacts/3?connection=conn-hs");

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("needs_reauth", problem.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Create_SameIdempotencyKeyTwice_CallsUpstreamOnceAndReplaysTheFirstResult()
    {
        using var client = A();
        var key = "create-" + Guid.NewGuid().ToString("N");
        int Posts() => fixture.HubSpot.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.StartsWith("/crm/v3/objects/contacts", StringComparison.Ordinal));
        var before = Posts();
        HttpRequestMessage Create(string email) => new(HttpMethod.Post, "/v1/unified/crm/contacts?connection=conn-hs")
        {
            Content = TestHttp.Json($$"""{ "email": "{{email}}", "first_name": "Once" }"""),
            Headers = { { "Idempotency-Key", $"\"{key}\"" } },
        };

        using var first = await client.SendAsync(Create("once@example.com"));
        using var second = await client.SendAsync(Create("once@example.com"));
        using var different = await client.SendAsync(Create("other@example.com"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("true", second.Headers.GetValues(IdempotentRequests.ReplayedHeader).Single());
        Assert.False(first.Headers.Contains(IdempotentRequests.ReplayedHeader));
        await TestHttp.AssertProblemAsync(different, (HttpStatusCode)422);
        Assert.Equal(before + 1, Posts());
    }

    [Fact]
    public async Task IdempotencyStore_KeyInFlight_IsRefusedAndTheSameKeyOfAnotherConnectionIsIndependent()
    {
        var store = fixture.Host.Services.GetRequiredService<IdempotencyStore>();
        var (tenant, hs, pd) = await fixture.Host.QueryAsync(async db =>
        {
            var rows = await db.Connections.Where(c => c.ExternalId == "conn-hs" || c.ExternalId == "conn-pd").ToListAsync();
            return (rows[0].TenantId, rows.Single(r => r.ExternalId == "conn-hs").Id, rows.Single(r => r.ExternalId == "conn-pd").Id);
        });
        var key = "flight-" + Guid.NewGuid().ToString("N");

        var (first, record) = await store.BeginAsync(tenant, hs, key, "hash-1", default);
        var (concurrent, _) = await store.BeginAsync(tenant, hs, key, "hash-1", default);
        var (otherConnection, _) = await store.BeginAsync(tenant, pd, key, "hash-1", default);
        await store.CompleteAsync(record, 201, new Dictionary<string, string[]>(), [1, 2, 3], false, default);
        var (after, stored) = await store.BeginAsync(tenant, hs, key, "hash-1", default);
        var (mismatch, _) = await store.BeginAsync(tenant, hs, key, "hash-2", default);

        Assert.Equal(IdempotencyVerdict.Proceed, first);
        Assert.Equal(IdempotencyVerdict.InFlight, concurrent);
        Assert.Equal(IdempotencyVerdict.Proceed, otherConnection);
        Assert.Equal(IdempotencyVerdict.Replay, after);
        Assert.Equal(new byte[] { 1, 2, 3 }, stored.Body);
        Assert.Equal(IdempotencyVerdict.Mismatch, mismatch);
    }

    [Fact]
    public async Task Proxy_Read_InjectsTheConnectionsTokenAndNotTheCallersKey()
    {
        using var client = fixture.Host.Client(fixture.ReadA);

        using var response = await client.GetAsync("/v1/proxy/conn-hs/crm/v3/objects/contacts?limit=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await TestHttp.ReadJsonAsync(response)).GetProperty("results").GetArrayLength());
        var received = fixture.HubSpot.Requests.Last();
        Assert.Equal($"Bearer {fixture.HubSpot.ValidToken}", received.Authorization);
        Assert.DoesNotContain(received.Headers.Values, v => v.Contains(fixture.ReadA, StringComparison.Ordinal));
        Assert.Equal("/crm/v3/objects/contacts?limit=2", received.PathAndQuery);
        Assert.Equal("100", response.Headers.GetValues("RateLimit-Limit").Single());
        Assert.InRange(int.Parse(response.Headers.GetValues("RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture), 0, 99);
    }

    [Fact]
    public async Task Proxy_WriteWithReadKey_Is403AndNothingIsSent()
    {
        using var client = fixture.Host.Client(fixture.ReadA);
        var before = fixture.HubSpot.Requests.Count;

        using var response = await client.PostAsync("/v1/proxy/conn-hs/crm/v3/objects/contacts", TestHttp.Json("{}"));

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(before, fixture.HubSpot.Requests.Count);
    }

    [Fact]
    public async Task Proxy_WriteWithIdempotencyKey_SecondCallNeverReachesTheProvider()
    {
        using var client = A();
        var key = Guid.NewGuid().ToString("N");
        int Posts() => fixture.HubSpot.Requests.Count(r => r.Method == "POST");
        var before = Posts();
        HttpRequestMessage Create() => new(HttpMethod.Post, "/v1/proxy/conn-hs/crm/v3/objects/contacts")
        {
            Content = TestHttp.Json("""{ "properties": { "email": "proxy@example.com" } }"""),
            Headers = { { "Idempotency-Key", key } },
        };

        using var first = await client.SendAsync(Create());
        using var second = await client.SendAsync(Create());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues(IdempotentRequests.ReplayedHeader).Single());
        Assert.Equal(before + 1, Posts());
        var stored = await fixture.Host.QueryAsync(db => db.IdempotencyRecords.SingleAsync(r => r.Key == key));
        Assert.True(stored.Completed);
        Assert.Equal(201, stored.Status);
    }

    [Theory]
    [InlineData("GET", "/v1/unified/crm/contacts?connection=conn-hs")]
    [InlineData("GET", "/v1/unified/crm/contacts/1?connection=conn-hs")]
    [InlineData("POST", "/v1/unified/crm/contacts?connection=conn-hs")]
    [InlineData("PATCH", "/v1/unified/crm/contacts/1?connection=conn-hs")]
    [InlineData("DELETE", "/v1/unified/crm/contacts/1?connection=conn-hs")]
    [InlineData("GET", "/v1/proxy/conn-hs/crm/v3/objects/contacts")]
    [InlineData("POST", "/v1/proxy/conn-hs/crm/v3/objects/contacts")]
    public async Task OtherTenantsConnection_Is404AndNothingIsSent(string method, string path)
    {
        using var b = fixture.Host.Client(fixture.AdminB);
        var before = fixture.HubSpot.Requests.Count;
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH") request.Content = TestHttp.Json("""{ "email": "b@example.com" }""");

        using var response = await b.SendAsync(request);

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(before, fixture.HubSpot.Requests.Count);
    }

    [Fact]
    public async Task Proxy_LoopbackWithoutTheAllowSetting_IsRefused()
    {
        await using var host = await ApiTestHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?>
        {
            ["Engine:OriginOverrides:hubspot"] = fixture.HubSpot.Origin.GetLeftPart(UriPartial.Authority),
        });
        var key = await host.CreateKeyAsync("solo", Data.Entities.ApiKeyScopes.Admin);
        await host.SeedAsync(key, ("acct", [("conn", "hubspot")]));
        var row = await host.QueryAsync(db => db.Connections.SingleAsync());
        await host.Services.GetRequiredService<IntegrationHealth.Engine.Auth.ICredentialStore>().SaveAsync(
            IntegrationHealth.Engine.Connections.StoreEngineConnections.CredentialKeyOf(row.TenantId, row.Id),
            IntegrationHealth.Engine.Auth.ConnectionCredentials.Of(("access_token", fixture.HubSpot.ValidToken), ("refresh_token", "r"),
                ("client_id", HubSpotDouble.ClientId), ("client_secret", HubSpotDouble.ClientSecret)));
        var before = fixture.HubSpot.Requests.Count;
        using var client = host.Client(key);

        using var response = await client.GetAsync("/v1/proxy/conn/crm/v3/objects/contacts");

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.Contains("loopback", problem.GetProperty("detail").GetString());
        Assert.Equal(before, fixture.HubSpot.Requests.Count);
    }
}
