using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Isolation;

/// <summary>
/// Two tenants. A owns acct-a/conn-a (with events, a ticket and a survey response); B owns acct-b/conn-b. Every
/// endpoint is called with B's admin key (all scopes) on A's ids and data.
/// </summary>
public sealed class IsolationHostFixture : SqliteHostFixture
{
    public string KeyA { get; private set; } = "";
    public string KeyB { get; private set; } = "";
    public int KeyIdA { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        KeyA = await Host.CreateKeyAsync("tenant-a", ApiKeyScopes.Admin, "a-admin");
        KeyB = await Host.CreateKeyAsync("tenant-b", ApiKeyScopes.Admin, "b-admin");
        KeyIdA = await Host.QueryAsync(db => db.ApiKeys.Where(k => k.Name == "a-admin").Select(k => k.Id).SingleAsync());
        await Host.SeedAsync(KeyA, ("acct-a", [("conn-a", "salesforce")]), ("shared-name", []));
        await Host.SeedAsync(KeyB, ("acct-b", [("conn-b", "salesforce")]));
        using var a = Host.Client(KeyA);
        await TestHttp.EnsureSuccessAsync(await a.PostAsJsonAsync("/v1/providers", new[]
        {
            new { key = "tenant-a-erp", name = "ERP of tenant A" },
            new { key = "tenant-a-crm", name = "CRM of tenant A" },
        }));
        await TestHttp.EnsureSuccessAsync(await a.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid("acct-a"), TestEvents.Valid("acct-a")))));
        await TestHttp.EnsureSuccessAsync(await a.PostAsJsonAsync("/v1/support-tickets", new[] { new { externalId = "ticket-a", account = "acct-a", subject = "Problem of tenant A", openedAt = "2025-06-01T10:00:00Z" } }));
        await TestHttp.EnsureSuccessAsync(await a.PostAsJsonAsync("/v1/survey-responses", new[] { new { externalId = "nps-a", account = "acct-a", score = 3, respondedAt = "2025-06-01T10:00:00Z" } }));
    }
}

public sealed class TenantIsolationTests(IsolationHostFixture fixture) : IClassFixture<IsolationHostFixture>
{
    private HttpClient B() => fixture.Host.Client(fixture.KeyB);

    private static async Task<List<string>> ExternalIdsAsync(HttpResponseMessage response)
    {
        await TestHttp.EnsureSuccessAsync(response);
        var page = await TestHttp.ReadJsonAsync(response);
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("externalId").GetString()!)];
    }

    [Theory]
    [InlineData("/v1/accounts/acct-a")]
    [InlineData("/v1/accounts/acct-a/events")]
    [InlineData("/v1/connections?account=acct-a")]
    [InlineData("/v1/support-tickets?account=acct-a")]
    [InlineData("/v1/survey-responses?account=acct-a")]
    [InlineData("/v1/accounts/acct-a/health")]
    public async Task Read_OtherTenantsAccount_Answers404(string path)
    {
        using var client = B();
        using var response = await client.GetAsync(path);
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/v1/accounts", "acct-b")]
    [InlineData("/v1/connections", "conn-b")]
    [InlineData("/v1/support-tickets", null)]
    [InlineData("/v1/survey-responses", null)]
    public async Task List_WithoutFilter_ShowsNothingOfTheOtherTenant(string path, string? own)
    {
        using var client = B();
        using var response = await client.GetAsync(path);
        await TestHttp.EnsureSuccessAsync(response);
        var items = (await TestHttp.ReadJsonAsync(response)).GetProperty("items").EnumerateArray().Select(i => i.GetRawText()).ToList();

        // Tenant A's data is recognisable by its ids and texts (B may reuse an external id, never A's content).
        string[] markers = ["\"acct-a\"", "\"conn-a\"", "\"nps-a\"", "Problem of tenant A", "Account shared-name"];
        Assert.DoesNotContain(items, item => markers.Any(m => item.Contains(m, StringComparison.Ordinal)));
        if (own is not null) Assert.Contains(items, item => item.Contains($"\"{own}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostEvents_OtherTenantsAccountOrConnection_Answers400AndStoresNothing()
    {
        using var client = B();
        var before = await fixture.Host.CountEventsAsync();
        using var account = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid("acct-a"))));
        using var connection = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(
            TestEvents.Valid("acct-b").With(e => e["connection"] = "conn-a"))));

        var p1 = await TestHttp.AssertProblemAsync(account, HttpStatusCode.BadRequest);
        var p2 = await TestHttp.AssertProblemAsync(connection, HttpStatusCode.BadRequest);
        Assert.Equal("account", p1.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal("connection", p2.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, await fixture.Host.CountEventsAsync());
    }

    [Theory]
    [InlineData("/v1/connections", "{\"externalId\":\"conn-x\",\"account\":\"acct-a\",\"provider\":\"salesforce\"}")]
    [InlineData("/v1/support-tickets", "{\"externalId\":\"t-x\",\"account\":\"acct-a\",\"subject\":\"s\",\"openedAt\":\"2025-06-01T10:00:00Z\"}")]
    [InlineData("/v1/survey-responses", "{\"externalId\":\"n-x\",\"account\":\"acct-a\",\"score\":1,\"respondedAt\":\"2025-06-01T10:00:00Z\"}")]
    public async Task Upsert_ReferencingOtherTenantsAccount_Answers400(string path, string item)
    {
        using var client = B();
        using var response = await client.PostAsync(path, TestHttp.Json("[" + item + "]"));
        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("account", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task UpsertAccounts_SameExternalIdAsOtherTenant_CreatesOwnAndLeavesTheirsAlone()
    {
        using var client = B();
        using var response = await client.PostAsJsonAsync("/v1/accounts", new[] { new { externalId = "shared-name", name = "B's version" } });

        Assert.Equal("{\"inserted\":1,\"updated\":0}", await response.Content.ReadAsStringAsync());
        using var a = fixture.Host.Client(fixture.KeyA);
        var theirs = await a.GetFromJsonAsync<JsonObject>("/v1/accounts/shared-name");
        Assert.Equal("Account shared-name", theirs!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpsertSupportTicket_SameExternalIdAsOtherTenant_DoesNotTouchTheirs()
    {
        using var client = B();
        using var response = await client.PostAsJsonAsync("/v1/support-tickets",
            new[] { new { externalId = "ticket-a", account = "acct-b", subject = "B's", openedAt = "2025-06-02T10:00:00Z" } });
        await TestHttp.EnsureSuccessAsync(response);

        using var a = fixture.Host.Client(fixture.KeyA);
        var page = await a.GetFromJsonAsync<JsonObject>("/v1/support-tickets?account=acct-a");
        Assert.Equal("Problem of tenant A", page!["items"]![0]!["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keys_OtherTenantsKey_IsInvisibleAndCannotBeRevoked()
    {
        using var client = B();
        var listing = await client.GetFromJsonAsync<JsonArray>("/v1/keys");
        using var revoke = await client.DeleteAsync($"/v1/keys/{fixture.KeyIdA}");

        Assert.DoesNotContain(listing!, k => k!["id"]!.GetValue<int>() == fixture.KeyIdA);
        await TestHttp.AssertProblemAsync(revoke, HttpStatusCode.NotFound);
        using var a = fixture.Host.Client(fixture.KeyA);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/v1/keys")).StatusCode);
    }

    [Fact]
    public async Task ListProviders_BothTenants_SeeThePlatformCatalogueButNotTheOthersOwn()
    {
        using var a = fixture.Host.Client(fixture.KeyA);
        using var b = B();
        var ofA = (await a.GetFromJsonAsync<JsonArray>("/v1/providers"))!;
        var ofB = (await b.GetFromJsonAsync<JsonArray>("/v1/providers"))!;

        var platformOfA = ofA.Where(p => p!["platform"]!.GetValue<bool>()).Select(p => p!.ToJsonString()).ToList();
        Assert.Equal(8, platformOfA.Count);
        Assert.Equal(platformOfA, ofB.Where(p => p!["platform"]!.GetValue<bool>()).Select(p => p!.ToJsonString()));
        Assert.Contains(ofA, p => p!["key"]!.GetValue<string>() == "tenant-a-erp");
        Assert.DoesNotContain(ofB, p => p!["key"]!.GetValue<string>() == "tenant-a-erp" || p["name"]!.GetValue<string>().Contains("tenant A"));
    }

    [Fact]
    public async Task Writes_NamingOtherTenantsProvider_Answer400AsForAnUnknownKey()
    {
        using var client = B();
        using var events = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid("acct-b", "tenant-a-erp"))));
        using var connection = await client.PostAsync("/v1/connections",
            TestHttp.Json("[{\"externalId\":\"conn-x\",\"account\":\"acct-b\",\"provider\":\"tenant-a-erp\"}]"));
        using var unknown = await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid("acct-b", "never-registered"))));

        var p1 = await TestHttp.AssertProblemAsync(events, HttpStatusCode.BadRequest);
        var p2 = await TestHttp.AssertProblemAsync(connection, HttpStatusCode.BadRequest);
        var p3 = await TestHttp.AssertProblemAsync(unknown, HttpStatusCode.BadRequest);
        Assert.Equal("provider", p1.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal("provider", p2.GetProperty("errors")[0].GetProperty("field").GetString());
        // Nothing tells B that A has such a provider: the answer is the one for a key nobody registered.
        Assert.Equal(p3.GetProperty("errors")[0].GetProperty("message").GetString()!.Replace("never-registered", "tenant-a-erp"),
            p1.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task UpsertProviders_SameKeyAsOtherTenant_CreatesOwnAndLeavesTheirsAlone()
    {
        using var client = B();
        using var response = await client.PostAsJsonAsync("/v1/providers", new[] { new { key = "tenant-a-crm", name = "B's own" } });

        Assert.Equal("{\"inserted\":1,\"updated\":0}", await response.Content.ReadAsStringAsync());
        using var a = fixture.Host.Client(fixture.KeyA);
        var theirs = (await a.GetFromJsonAsync<JsonArray>("/v1/providers"))!.Single(p => p!["key"]!.GetValue<string>() == "tenant-a-crm");
        Assert.Equal("CRM of tenant A", theirs!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListEngineProviders_IsTheSamePlatformDefinitionsForBothTenants()
    {
        // Only the shipped ones: a tenant's uploaded definitions are its own (EngineIsolationTests).
        using var a = fixture.Host.Client(fixture.KeyA);
        using var b = B();
        static async Task<List<string>> Shipped(HttpClient client) =>
            [.. (await client.GetFromJsonAsync<JsonArray>("/v1/engine/providers"))!
                .Where(p => p!["origin"]!.GetValue<string>().StartsWith("shipped:", StringComparison.Ordinal)).Select(p => p!.ToJsonString())];
        Assert.Equal(await Shipped(a), await Shipped(b));
        Assert.Equal(7, (await Shipped(b)).Count);
    }

    [Fact]
    public async Task ValidateEngineProvider_ReadsAndStoresNoTenantData()
    {
        // A pure function of the body: both tenants get the same verdict, and nothing is stored that could differ.
        using var a = fixture.Host.Client(fixture.KeyA);
        using var b = B();
        using var fromA = await a.PostAsync("/v1/engine/providers/validate", TestHttp.Json(Engine.EngineDefinitions.Minimal));
        using var fromB = await b.PostAsync("/v1/engine/providers/validate", TestHttp.Json(Engine.EngineDefinitions.Minimal));
        Assert.Equal(await fromA.Content.ReadAsStringAsync(), await fromB.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/v1/proxy/conn-a/anything")]
    [InlineData("POST", "/v1/proxy/conn-a/anything")]
    [InlineData("GET", "/v1/unified/crm/contacts?connection=conn-a")]
    [InlineData("GET", "/v1/unified/crm/contacts/1?connection=conn-a")]
    [InlineData("POST", "/v1/unified/crm/contacts?connection=conn-a")]
    [InlineData("PATCH", "/v1/unified/crm/contacts/1?connection=conn-a")]
    [InlineData("DELETE", "/v1/unified/crm/contacts/1?connection=conn-a")]
    public async Task EngineEdge_OtherTenantsConnection_Answers404(string method, string path)
    {
        // Engine-defined connections across tenants: Engine/UnifiedApiTests (the doubles answer there).
        using var client = B();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH") request.Content = TestHttp.Json("{\"email\":\"x@example.com\"}");
        using var response = await client.SendAsync(request);
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task StatusPage_OtherTenantsIds_Answer404()
    {
        using var a = fixture.Host.Client(fixture.KeyA);
        await TestHttp.EnsureSuccessAsync(await a.PutAsJsonAsync("/v1/status-page", new { slug = "tenant-a", name = "A" }));
        using var group = await a.PostAsJsonAsync("/v1/status-page/groups", new { name = "A's group" });
        var groupId = (await TestHttp.ReadJsonAsync(group)).GetProperty("id").GetInt32();
        using var component = await a.PostAsJsonAsync("/v1/status-page/components", new { name = "A's component", provider = "salesforce" });
        var componentId = (await TestHttp.ReadJsonAsync(component)).GetProperty("id").GetInt32();
        using var incident = await a.PostAsJsonAsync("/v1/status-page/incidents", new { name = "A's incident", status = "investigating", impact = "minor", body = "A" });
        var incidentId = (await TestHttp.ReadJsonAsync(incident)).GetProperty("id").GetInt32();
        using var maintenance = await a.PostAsJsonAsync("/v1/status-page/maintenances",
            new { name = "A's maintenance", scheduledFor = "2030-01-01T10:00:00Z", scheduledUntil = "2030-01-01T11:00:00Z", body = "A" });
        var maintenanceId = (await TestHttp.ReadJsonAsync(maintenance)).GetProperty("id").GetInt32();

        using var b = B();
        await TestHttp.EnsureSuccessAsync(await b.PutAsJsonAsync("/v1/status-page", new { slug = "tenant-b", name = "B" }));
        HttpRequestMessage[] attempts =
        [
            new(HttpMethod.Patch, $"/v1/status-page/groups/{groupId}") { Content = TestHttp.Json("{\"name\":\"B's now\"}") },
            new(HttpMethod.Delete, $"/v1/status-page/groups/{groupId}"),
            new(HttpMethod.Patch, $"/v1/status-page/components/{componentId}") { Content = TestHttp.Json("{\"overrideStatus\":\"major_outage\"}") },
            new(HttpMethod.Delete, $"/v1/status-page/components/{componentId}"),
            new(HttpMethod.Get, $"/v1/status-page/incidents/{incidentId}"),
            new(HttpMethod.Post, $"/v1/status-page/incidents/{incidentId}/updates") { Content = TestHttp.Json("{\"status\":\"resolved\",\"body\":\"B\"}") },
            new(HttpMethod.Post, $"/v1/status-page/maintenances/{maintenanceId}/updates") { Content = TestHttp.Json("{\"status\":\"completed\",\"body\":\"B\"}") },
        ];
        foreach (var attempt in attempts)
        {
            using var response = await b.SendAsync(attempt);
            await TestHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);
        }
        foreach (var list in new[] { "/v1/status-page/groups", "/v1/status-page/components", "/v1/status-page/incidents", "/v1/status-page/maintenances" })
            Assert.DoesNotContain("A's", await b.GetStringAsync(list));
        using var check = await a.GetAsync($"/v1/status-page/incidents/{incidentId}");
        Assert.Equal("investigating", (await TestHttp.ReadJsonAsync(check)).GetProperty("status").GetString());
        Assert.Contains("A's component", await a.GetStringAsync("/v1/status-page/components"));
    }

    [Fact]
    public async Task Analytics_OtherTenantsScoresAndIssues_AreInvisible_AndItsIssueCannotBeMuted()
    {
        var issueId = await fixture.Host.QueryAsync(async db =>
        {
            var account = await db.Accounts.SingleAsync(a => a.ExternalId == "acct-a");
            var issue = new ConnectionIssue
            {
                TenantId = account.TenantId, AccountId = account.Id, ProviderId = 1, Kind = IssueKind.CredentialsRevoked, Status = IssueStatus.Open,
                FirstSeenAt = DateTime.UtcNow.AddHours(-3), LastSeenAt = DateTime.UtcNow.AddHours(-1), Summary = "Issue of tenant A", UpdatedAt = DateTime.UtcNow,
            };
            db.ConnectionIssues.Add(issue);
            db.AccountScores.Add(new AccountScore
            {
                TenantId = account.TenantId, AccountId = account.Id, Day = DateTime.UtcNow.Date, Score = 77, Band = RiskBand.Critical,
                Explanation = "Explanation of tenant A", Factors = "[]", ComputedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
            return issue.Id;
        });
        using var client = B();

        using (var get = await client.GetAsync($"/v1/connection-issues/{issueId}")) await TestHttp.AssertProblemAsync(get, HttpStatusCode.NotFound);
        using (var mute = await client.PostAsync($"/v1/connection-issues/{issueId}/mute", null)) await TestHttp.AssertProblemAsync(mute, HttpStatusCode.NotFound);
        foreach (var path in new[] { "/v1/connection-issues?status=all", "/v1/at-risk", "/v1/scores/export", "/v1/scores/export.csv", "/v1/scores?asOf=" + DateTime.UtcNow.ToString("yyyy-MM-dd") })
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, path + ": " + body);
            Assert.DoesNotContain("acct-a", body);
            Assert.DoesNotContain("tenant A", body);
        }

        Assert.Null(await fixture.Host.QueryAsync(db => db.ConnectionIssues.Where(i => i.Id == issueId).Select(i => i.MutedAt).SingleAsync()));
        using var a = fixture.Host.Client(fixture.KeyA);
        using var own = await a.GetAsync("/v1/at-risk");
        Assert.Contains("Explanation of tenant A", await own.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ConnectionCredentials_OtherTenantsAccountAppsAndConnections_AreNotFoundOrInvisible()
    {
        using var a = fixture.Host.Client(fixture.KeyA);
        await TestHttp.EnsureSuccessAsync(await a.PutAsJsonAsync("/v1/engine/oauth-apps/hubspot", new { clientId = "a-app", clientSecret = "a-app-secret" }));
        await TestHttp.EnsureSuccessAsync(await a.PostAsJsonAsync("/v1/connections/import", new[]
        {
            new { externalId = "conn-a-imported", account = "acct-a", provider = "bamboohr", credentials = new Dictionary<string, string> { ["api_key"] = "a-bamboo-key" } },
        }));
        using var client = B();

        using var connect = await client.GetAsync("/v1/connect/hubspot?account=acct-a&connection=conn-x&redirect_uri=https%3A%2F%2Fb.example%2Fback");
        await TestHttp.AssertProblemAsync(connect, HttpStatusCode.NotFound);
        using var export = await client.PostAsJsonAsync("/v1/connections/export", new { connections = new[] { "conn-a-imported" } });
        await TestHttp.AssertProblemAsync(export, HttpStatusCode.NotFound);
        using var all = await client.PostAsJsonAsync("/v1/connections/export", new { });
        Assert.DoesNotContain("a-bamboo-key", await all.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var import = await client.PostAsJsonAsync("/v1/connections/import", new[]
        {
            new { externalId = "conn-b-x", account = "acct-a", provider = "bamboohr", credentials = new Dictionary<string, string> { ["api_key"] = "k" } },
        });
        Assert.Equal("account", (await TestHttp.AssertProblemAsync(import, HttpStatusCode.BadRequest)).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.DoesNotContain("a-app", await client.GetStringAsync("/v1/engine/oauth-apps"), StringComparison.Ordinal);
        // B's own app for the same provider leaves A's alone.
        await TestHttp.EnsureSuccessAsync(await client.PutAsJsonAsync("/v1/engine/oauth-apps/hubspot", new { clientId = "b-app" }));
        Assert.Contains("\"clientId\":\"a-app\"", await a.GetStringAsync("/v1/engine/oauth-apps"), StringComparison.Ordinal);
    }

    [Fact]
    public void Catalogue_CoversEveryTenantScopedEndpoint()
    {
        // Guard: if an endpoint is added to the catalogue, this class must say how it is isolated.
        var covered = new[]
        {
            "PostEvents", "UpsertAccounts", "UpsertConnections", "UpsertProviders", "UpsertSupportTickets", "UpsertSurveyResponses", "ListAccounts",
            "GetAccount", "ListAccountEvents", "ListConnections", "ListProviders", "ListEngineProviders", "ValidateEngineProvider",
            "GetEngineProvider", "PutEngineProvider", "GetEngineOverride", "PutEngineOverride", "DeleteEngineOverride", "ListEngineOverrideHistory",
            "RollbackEngineOverride", "GetAccountEngineOverride", "PutAccountEngineOverride", "DeleteAccountEngineOverride",
            "ListAccountEngineOverrideHistory", "RollbackAccountEngineOverride", "GetEffectiveDefinition", "TriggerSync", "ListSyncRuns", "ListRecords", "ListSupportTickets", "ListSurveyResponses",
            "ProxyRead", "ProxyWrite", "ListUnifiedRecords", "GetUnifiedRecord", "CreateUnifiedRecord", "UpdateUnifiedRecord", "DeleteUnifiedRecord",
            "CreateApiKey", "ListApiKeys", "RevokeApiKey", "HangfireDashboard",
            // Signals: every row is read and changed only through the caller's tenant id (the tests below).
            "CreateWebhookEndpoint", "ListWebhookEndpoints", "DeleteWebhookEndpoint", "RotateWebhookSecret", "ListWebhookAttempts",
            "ListAlerts", "GetAlert", "AcknowledgeAlert", "CreateSurveyRule", "ListSurveyRules", "DeleteSurveyRule", "PollSurveyTriggers",
            "ReportSurveyDisplay", "ReportSurveyResponse", "ListMigrationTiers", "GetMigrationInventory", "ListScorecards", "GetRetentionSummary",
            // The status page: one per tenant, found from the key (StatusPage_OtherTenantsIds_Answer404).
            "PutStatusPage", "GetStatusPage", "CreateStatusGroup", "ListStatusGroups", "PatchStatusGroup", "DeleteStatusGroup",
            "CreateStatusComponent", "ListStatusComponents", "PatchStatusComponent", "DeleteStatusComponent", "CreateStatusIncident",
            "ListStatusIncidents", "GetStatusIncident", "PostStatusIncidentUpdate", "CreateStatusMaintenance", "ListStatusMaintenances",
            "PostStatusMaintenanceUpdate", "ListStatusSubscribers", "DeleteStatusSubscriber",
            // Notices: the account is looked up within the key's tenant; another tenant's is 404 (NoticesTests in the status page's tests).
            "ListAccountNotices",
            "ListAtRiskAccounts", "GetAccountHealth", "ListScores", "ExportScores", "ExportScoresCsv", "ListConnectionIssues",
            "GetConnectionIssue", "MuteConnectionIssue", "UnmuteConnectionIssue",
            "Connect", "PutOAuthApp", "ListOAuthApps", "ImportConnections", "ExportConnections",
        };
        Assert.Equal(covered.Order(), EndpointCatalog.Protected.Select(e => e.Name).Order());
    }

    [Fact]
    public async Task CreateApiKey_ByTenantB_CreatesAKeyThatSeesOnlyB()
    {
        using var client = B();
        using var created = await client.PostAsJsonAsync("/v1/keys", new { scopes = new[] { "read" } });
        var key = (await TestHttp.ReadJsonAsync(created)).GetProperty("key").GetString();
        using var fresh = fixture.Host.Client(key);
        var ids = await ExternalIdsAsync(await fresh.GetAsync("/v1/accounts"));
        Assert.Contains("acct-b", ids);
        Assert.DoesNotContain("acct-a", ids);
    }

    [Fact]
    public async Task WebhookEndpoints_OfTenantA_AreInvisibleAndUntouchableForB()
    {
        using var a = fixture.Host.Client(fixture.KeyA);
        using var created = await a.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "https://hooks.example.com/tenant-a" });
        await TestHttp.EnsureSuccessAsync(created);
        var id = (await TestHttp.ReadJsonAsync(created)).GetProperty("id").GetInt32();
        using var b = B();
        var listed = await b.GetStringAsync("/v1/webhook-endpoints");
        Assert.DoesNotContain("tenant-a", listed);
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync($"/v1/webhook-endpoints/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsync($"/v1/webhook-endpoints/{id}/rotate-secret", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/v1/webhook-endpoints/{id}/attempts")).StatusCode);
        Assert.Contains("tenant-a", await a.GetStringAsync("/v1/webhook-endpoints"));
    }

    [Fact]
    public async Task SurveyRules_OfTenantA_AreInvisibleAndUndeletableForB_AndBCannotPollAsAccount()
    {
        using var a = fixture.Host.Client(fixture.KeyA);
        using var created = await a.PostAsJsonAsync("/v1/survey-rules", new { survey = "nps-tenant-a", @event = "first_successful_sync" });
        await TestHttp.EnsureSuccessAsync(created);
        var id = (await TestHttp.ReadJsonAsync(created)).GetProperty("id").GetInt32();
        using var b = B();
        Assert.DoesNotContain("nps-tenant-a", await b.GetStringAsync("/v1/survey-rules"));
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync($"/v1/survey-rules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync("/v1/survey-triggers?account=acct-a&user=u")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/v1/survey-triggers?account=acct-a&user=u")).StatusCode);
        Assert.Contains("nps-tenant-a", await a.GetStringAsync("/v1/survey-rules"));
    }

    [Fact]
    public async Task MigrationInventory_OfB_HoldsNoAccountOfA()
    {
        using var b = B();
        var csv = await b.GetStringAsync("/v1/migration/inventory.csv");
        Assert.DoesNotContain("acct-a", csv);
        Assert.DoesNotContain("acct-a", await b.GetStringAsync("/v1/migration/tiers"));
        using var a = fixture.Host.Client(fixture.KeyA);
        Assert.Contains("acct-a", await a.GetStringAsync("/v1/migration/tiers"));
    }
}
