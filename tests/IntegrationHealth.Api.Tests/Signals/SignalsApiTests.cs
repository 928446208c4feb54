using System.Net;
using System.Net.Http.Json;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Signals;

public sealed class SignalsHostFixture : SqliteHostFixture
{
    public string Admin { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Admin = await Host.CreateKeyAsync("signals", ApiKeyScopes.Admin, "signals-admin");
        await Host.SeedAsync(Admin, ("acct-s", [("conn-s", "salesforce")]));
    }
}

/// <summary>The signals' endpoints over real HTTP: what an attacker or a careless client sends is a 4xx problem and
/// stores nothing; the survey flow end to end; acknowledging.</summary>
public sealed class SignalsApiTests(SignalsHostFixture fixture) : IClassFixture<SignalsHostFixture>
{
    [Theory]
    [InlineData("{\"url\":\"http://hooks.example.com/x\"}", "url")]
    [InlineData("{\"url\":\"https://127.0.0.1/x\"}", "url")]
    [InlineData("{\"url\":\"https://169.254.169.254/latest/meta-data\"}", "url")]
    [InlineData("{\"url\":\"https://[::ffff:10.0.0.1]/x\"}", "url")]
    [InlineData("{\"url\":\"https://localhost/x\"}", "url")]
    [InlineData("{\"url\":\"https://hooks.example.com/x\",\"secret\":\"mine\"}", "secret")]
    [InlineData("{\"url\":\"https://hooks.example.com/x\",\"format\":\"irc\"}", "format")]
    [InlineData("{\"url\":\"https://hooks.example.com/x\",\"url\":\"https://evil.example.com\"}", "$")]
    [InlineData("{\"url\":\"https://hooks.example.com/\\ud800\"}", "url")]
    [InlineData("[1]", "$")]
    [InlineData("{", "$")]
    public async Task CreateWebhookEndpoint_BadBody_Answers400NamingTheField_AndStoresNothing(string body, string field)
    {
        using var client = fixture.Host.Client(fixture.Admin);
        var before = await fixture.Host.QueryAsync(db => db.WebhookEndpoints.CountAsync());
        using var response = await client.PostAsync("/v1/webhook-endpoints", TestHttp.Json(body));
        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(before, await fixture.Host.QueryAsync(db => db.WebhookEndpoints.CountAsync()));
    }

    [Fact]
    public async Task CreateWebhookEndpoint_WrongTypeOrHugeBody_Answers415And413()
    {
        using var client = fixture.Host.Client(fixture.Admin);
        using var plain = await client.PostAsync("/v1/webhook-endpoints", TestHttp.Json("{\"url\":\"https://hooks.example.com/x\"}", "text/plain"));
        await TestHttp.AssertProblemAsync(plain, HttpStatusCode.UnsupportedMediaType);
        using var huge = await client.PostAsync("/v1/webhook-endpoints", TestHttp.Json("{\"description\":\"" + new string('a', 40_000) + "\"}"));
        await TestHttp.AssertProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task CreateWebhookEndpoint_ShowsTheSecretOnce_ListNeverDoes_RotationGivesANewOne()
    {
        using var client = fixture.Host.Client(fixture.Admin);
        using var created = await client.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "https://hooks.example.com/once", eventTypes = new[] { "alert.*" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await TestHttp.ReadJsonAsync(created);
        var secret = view.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        var listed = await client.GetStringAsync("/v1/webhook-endpoints");
        Assert.Contains("hooks.example.com/once", listed);
        Assert.DoesNotContain(secret, listed);
        Assert.DoesNotContain("whsec_", listed);
        var stored = await fixture.Host.QueryAsync(db => db.WebhookEndpoints.Select(e => e.ProtectedSecrets).ToListAsync());
        Assert.DoesNotContain(stored, s => s.Contains(secret[6..], StringComparison.Ordinal)); // encrypted at rest
        using var rotated = await client.PostAsync($"/v1/webhook-endpoints/{view.GetProperty("id").GetInt32()}/rotate-secret", null);
        var fresh = (await TestHttp.ReadJsonAsync(rotated)).GetProperty("secret").GetString();
        Assert.NotEqual(secret, fresh);
    }

    [Fact]
    public async Task SurveyFlow_Rule_Trigger_Poll_Display_Response_StoresASurveyResponse()
    {
        using var client = fixture.Host.Client(fixture.Admin);
        using var rule = await client.PostAsJsonAsync("/v1/survey-rules", new { survey = "csat-flow", @event = "sync_recovered", displayOption = "display_multiple" });
        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);
        var ruleId = (await TestHttp.ReadJsonAsync(rule)).GetProperty("id").GetInt32();
        using var duplicate = await client.PostAsJsonAsync("/v1/survey-rules", new { survey = "csat-flow", @event = "sync_recovered" });
        await TestHttp.AssertProblemAsync(duplicate, HttpStatusCode.Conflict);

        // The job's output, as it stores it (the job itself is tested on both stores in Analytics.Tests).
        var triggerId = await fixture.Host.QueryAsync(async db =>
        {
            var tenant = await db.Accounts.Where(a => a.ExternalId == "acct-s").Select(a => new { a.TenantId, a.Id }).SingleAsync();
            var trigger = new SurveyTrigger { TenantId = tenant.TenantId, AccountId = tenant.Id, RuleId = ruleId, UserId = "user-7", EventKey = "k-flow",
                Reason = "a failing sync recovered", OccurredAt = DateTime.UtcNow.AddHours(-1), ShowAfter = DateTime.UtcNow.AddMinutes(-5) };
            db.SurveyTriggers.Add(trigger);
            await db.SaveChangesAsync();
            return trigger.Id;
        });
        var due = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/survey-triggers?account=acct-s&user=user-7");
        Assert.Equal(triggerId, Assert.Single(due.EnumerateArray()).GetProperty("id").GetInt32());
        Assert.Empty((await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/survey-triggers?account=acct-s&user=someone-else")).EnumerateArray());
        await TestHttp.AssertProblemAsync(await client.GetAsync("/v1/survey-triggers?account=acct-s"), HttpStatusCode.BadRequest);
        await TestHttp.AssertProblemAsync(await client.GetAsync("/v1/survey-triggers?account=nobody&user=u"), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/v1/survey-triggers/{triggerId}/display", null)).StatusCode);
        await TestHttp.AssertProblemAsync(await client.PostAsync($"/v1/survey-triggers/{triggerId}/response", TestHttp.Json("{\"score\":11}")), HttpStatusCode.BadRequest);
        await TestHttp.AssertProblemAsync(await client.PostAsync($"/v1/survey-triggers/{triggerId}/response", TestHttp.Json("{\"score\":\"9\"}")), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/v1/survey-triggers/{triggerId}/response", TestHttp.Json("{\"score\":9,\"comment\":\"fixed fast\"}"))).StatusCode);
        await TestHttp.AssertProblemAsync(await client.PostAsync($"/v1/survey-triggers/{triggerId}/response", TestHttp.Json("{\"score\":3}")), HttpStatusCode.Conflict);

        var response = await fixture.Host.QueryAsync(db => db.SurveyResponses.SingleAsync(r => r.ExternalId == $"survey-trigger-{triggerId}"));
        Assert.Equal((9, "fixed fast", "user-7"), (response.Score, response.Comment, response.UserId));
        Assert.Empty((await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/survey-triggers?account=acct-s&user=user-7")).EnumerateArray());
    }

    [Fact]
    public async Task AcknowledgeAlert_OpenThenAgainThenResolved()
    {
        using var client = fixture.Host.Client(fixture.Admin);
        var (open, resolved) = await fixture.Host.QueryAsync(async db =>
        {
            var tenant = await db.Accounts.Where(a => a.ExternalId == "acct-s").Select(a => a.TenantId).SingleAsync();
            var a = new Alert { TenantId = tenant, DedupKey = "k-open", Title = "t", Detail = "d", OpenedAt = DateTime.UtcNow, LastSeenAt = DateTime.UtcNow };
            var r = new Alert { TenantId = tenant, DedupKey = "k-resolved", Title = "t", Detail = "d", State = AlertState.Resolved, OpenedAt = DateTime.UtcNow, LastSeenAt = DateTime.UtcNow, ResolvedAt = DateTime.UtcNow };
            db.Alerts.AddRange(a, r);
            await db.SaveChangesAsync();
            return (a.Id, r.Id);
        });
        using var first = await client.PostAsync($"/v1/alerts/{open}/acknowledge", null);
        var view = await TestHttp.ReadJsonAsync(first);
        Assert.Equal("acknowledged", view.GetProperty("state").GetString());
        var at = view.GetProperty("acknowledgedAt").GetString();
        using var second = await client.PostAsync($"/v1/alerts/{open}/acknowledge", null);
        Assert.Equal(at, (await TestHttp.ReadJsonAsync(second)).GetProperty("acknowledgedAt").GetString());
        await TestHttp.AssertProblemAsync(await client.PostAsync($"/v1/alerts/{resolved}/acknowledge", null), HttpStatusCode.Conflict);
        var listed = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/alerts?state=acknowledged");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), a => a.GetProperty("id").GetInt32() == open);
        await TestHttp.AssertProblemAsync(await client.GetAsync("/v1/alerts?state=closed"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task InventoryCsv_IsCsvWithThePlaybookHeader()
    {
        using var client = fixture.Host.Client(fixture.Admin);
        using var response = await client.GetAsync("/v1/migration/inventory.csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("account id,customer,ARR,tier,provider,OAuth app owner,auth type,active flows,custom fields,bidirectional,webhook consumers,last sync,migration status,CSM,notes\r\n", csv);
        Assert.Contains("acct-s,", csv);
        await TestHttp.AssertProblemAsync(await client.GetAsync("/v1/scorecards?period=daily"), HttpStatusCode.BadRequest);
        await TestHttp.AssertProblemAsync(await client.GetAsync("/v1/retention-summary?days=1"), HttpStatusCode.BadRequest);
    }
}
