using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHealth.Analytics.Alerts;
using IntegrationHealth.Analytics.Issues;
using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Analytics.Scoring;
using IntegrationHealth.Analytics.Surveys;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo;
using IntegrationHealth.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Api.Tests.Demo;

/// <summary>
/// Issue 15 "Done when", on each store: the demo world seeded into a fresh database, the analytics jobs run once each
/// (rollups, connection issues, scores, alerts, survey triggers), then every decision read back through the API.
/// </summary>
public abstract class DemoWalkthroughFixture : ServerHostFixture
{
    public string Key { get; private set; } = "";

    // Survey triggers look back 7 days (the most allowed), so the seeded week's sync recoveries are events.
    protected override Dictionary<string, string?> Settings => new(base.Settings) { ["Analytics:Signals:SurveyLookback"] = "7.00:00:00" };

    protected override async Task StartedAsync()
    {
        Key = await Host.CreateKeyAsync("demo", ApiKeyScopes.Admin, "walkthrough");
        Assert.True(await DemoSeeder.SeedIfEmptyAsync(Host.Services, new DemoWorldOptions { Accounts = 80, Days = 40, Seed = 42 }));
        using (var client = Host.Client(Key))
        {
            using var rule = await client.PostAsJsonAsync("/v1/survey-rules", new { survey = "nps-walkthrough", @event = "sync_recovered", displayOption = "display_multiple" });
            rule.EnsureSuccessStatusCode();
        }

        using var scope = Host.Services.CreateScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<RollupJob>().RunAsync(CancellationToken.None);
        await services.GetRequiredService<IssueJob>().RunAsync(CancellationToken.None);
        await services.GetRequiredService<ScoreJob>().RunAsync(CancellationToken.None);
        await services.GetRequiredService<AlertEvaluationJob>().RunAsync(CancellationToken.None);
        await services.GetRequiredService<SurveyTriggerJob>().RunAsync(CancellationToken.None);
    }
}

public sealed class SqliteDemoWalkthroughFixture : DemoWalkthroughFixture
{
    protected override Task<TestDatabase?> CreateDatabaseAsync() => SqliteDatabase();
}

public sealed class PostgresDemoWalkthroughFixture : DemoWalkthroughFixture
{
    protected override Task<TestDatabase?> CreateDatabaseAsync() => PostgresDatabaseAsync("ih_walk");
}

public abstract class DemoWalkthroughSuite<TFixture>(TFixture fixture) where TFixture : DemoWalkthroughFixture
{
    private async Task<JsonElement> GetAsync(string path)
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await TestHttp.ReadJsonAsync(response);
    }

    [StoreFact]
    public async Task AtRisk_IsRankedByScore_WithExplanationsInWords_AndAnAccountsHealthExplainsItself()
    {
        var page = await GetAsync("/v1/at-risk?limit=20");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        var scores = items.Select(i => i.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.True(scores[0] > 0);
        Assert.True(page.GetProperty("totalArrAtRisk").GetDecimal() > 0);
        // The riskiest account's explanation names what is wrong with numbers, not an empty string.
        var top = items[0];
        var explanation = top.GetProperty("explanation").GetString()!;
        Assert.Matches("[a-z].*[0-9]", explanation);

        var health = await GetAsync($"/v1/accounts/{top.GetProperty("accountId").GetString()}/health");
        var current = health.GetProperty("current");
        Assert.Equal(top.GetProperty("score").GetDouble(), current.GetProperty("score").GetDouble());
        Assert.Equal(explanation, current.GetProperty("explanation").GetString());
        Assert.Contains(current.GetProperty("factors").EnumerateArray(), f => f.GetProperty("risk").GetDouble() > 0);
    }

    [StoreFact]
    public async Task ConnectionIssues_AreOpen_WithFirstAndLastOccurrence()
    {
        var issues = (await GetAsync("/v1/connection-issues?status=open")).GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(issues);
        Assert.All(issues, i =>
        {
            Assert.Equal("open", i.GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(i.GetProperty("summary").GetString()));
            Assert.True(i.GetProperty("firstSeenAt").GetDateTime() <= i.GetProperty("lastSeenAt").GetDateTime());
        });
        // The demo world revokes credentials and stalls syncs: both kinds are found.
        Assert.Contains(issues, i => i.GetProperty("kind").GetString() == "credentials_revoked");
    }

    [StoreFact]
    public async Task Alerts_SurveyTriggers_Scorecards_Retention_AndTiers_CarryContent()
    {
        var alerts = await GetAsync("/v1/alerts");
        Assert.Equal(JsonValueKind.Array, alerts.GetProperty("items").ValueKind);
        var stored = await fixture.Host.QueryAsync(db => db.Alerts.CountAsync());
        Assert.Equal(stored, alerts.GetProperty("items").GetArrayLength());
        Assert.True(stored > 0, "no alert was raised");

        // A survey trigger the job produced is what the product's poll for that account and user returns.
        var trigger = await fixture.Host.QueryAsync(db => db.SurveyTriggers.Join(db.Accounts, t => t.AccountId, a => a.Id, (t, a) => new { a.ExternalId, t.UserId, t.EventKey }).FirstOrDefaultAsync());
        Assert.NotNull(trigger);
        var polled = await GetAsync($"/v1/survey-triggers?account={trigger.ExternalId}&user={Uri.EscapeDataString(trigger.UserId)}");
        Assert.Contains(polled.EnumerateArray(), t => t.GetProperty("survey").GetString() == "nps-walkthrough");

        var scorecards = (await GetAsync("/v1/scorecards?period=weekly&periods=2")).EnumerateArray().ToList();
        Assert.NotEmpty(scorecards);
        Assert.Contains(scorecards.SelectMany(s => s.GetProperty("measures").EnumerateArray()), m => m.GetProperty("value").ValueKind == JsonValueKind.Number);

        var retention = await GetAsync("/v1/retention-summary?days=40");
        Assert.Contains(retention.GetProperty("byHealthyIntegrations").EnumerateArray(), g => g.GetProperty("accounts").GetInt32() > 0);
        Assert.True(retention.GetProperty("integrationAdoption").GetDouble() > 0);

        var tiers = (await GetAsync("/v1/migration/tiers")).EnumerateArray().ToList();
        Assert.True(tiers.Count >= 40, $"{tiers.Count} tiers");
        Assert.True(tiers.Select(t => t.GetProperty("tier").GetRawText()).Distinct().Count() >= 2);
    }
}

public sealed class SqliteDemoWalkthroughTests(SqliteDemoWalkthroughFixture fixture)
    : DemoWalkthroughSuite<SqliteDemoWalkthroughFixture>(fixture), IClassFixture<SqliteDemoWalkthroughFixture>;

public sealed class PostgresDemoWalkthroughTests(PostgresDemoWalkthroughFixture fixture)
    : DemoWalkthroughSuite<PostgresDemoWalkthroughFixture>(fixture), IClassFixture<PostgresDemoWalkthroughFixture>, IRequiresPostgres;
