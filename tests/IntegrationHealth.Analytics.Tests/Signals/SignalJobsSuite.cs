using IntegrationHealth.Analytics.Migration;
using IntegrationHealth.Analytics.Surveys;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Testing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Analytics.Tests.Signals;

/// <summary>The survey-trigger job and the migration inventory on a real store, over telemetry written by the real writers.</summary>
public abstract class SignalJobsSuite
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private sealed record World(int Tenant, int Account, int Connection);

    private static async Task<World> SeedAsync(SignalsHarness harness, decimal arr = 30_000m)
    {
        var tenant = await harness.TenantAsync("t-jobs");
        await using var db = harness.Database.CreateContext();
        var account = new Account { TenantId = tenant, ExternalId = "acct-1", Name = "Acme, Inc.", Arr = arr, CreatedAt = harness.Now.AddDays(-90), Csm = "dana" };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        var connection = new Connection { TenantId = tenant, AccountId = account.Id, ProviderId = 1, ExternalId = "conn-1", CreatedAt = harness.Now.AddDays(-60), UpdatedAt = harness.Now };
        db.Connections.Add(connection);
        await db.SaveChangesAsync();
        return new World(tenant, account.Id, connection.Id);
    }

    private static TelemetryEvent Event(World w, TelemetryKind kind, DateTime at, bool failed = false, string? user = null, string? resource = null,
        HttpMethodCode method = HttpMethodCode.None) => new()
    {
        Id = Guid.CreateVersion7(), OccurredAt = at, TenantId = w.Tenant, AccountId = w.Account, ProviderId = 1, ConnectionId = w.Connection, Kind = kind,
        Outcome = failed ? TelemetryOutcome.Failure : TelemetryOutcome.Success, UserId = user, Resource = resource, Method = method,
    };

    [StoreFact]
    public async Task SurveyJob_SyncRecovered_TriggersTheMostActiveUsers_Once_AndRespectsDisplayOnce()
    {
        await using var harness = new SignalsHarness(await CreateDatabaseAsync());
        var w = await SeedAsync(harness);
        var now = harness.Now;
        var events = new List<TelemetryEvent>
        {
            Event(w, TelemetryKind.SyncRun, now.AddDays(-3)), // succeeded long ago: not a first sync
            Event(w, TelemetryKind.SyncRun, now.AddHours(-3), failed: true),
            Event(w, TelemetryKind.SyncRun, now.AddHours(-1)), // recovered
        };
        for (var i = 0; i < 3; i++) events.Add(Event(w, TelemetryKind.Usage, now.AddDays(-1).AddMinutes(i), user: "ana", resource: "sync"));
        events.Add(Event(w, TelemetryKind.Usage, now.AddDays(-1), user: "bo", resource: "sync"));
        await harness.Get<ITelemetryWriter>().WriteAsync(events);
        await using (var db = harness.Database.CreateContext())
        {
            db.SurveyRules.Add(new SurveyRule { TenantId = w.Tenant, SurveyKey = "csat-recovery", Event = SurveyTriggerEvent.SyncRecovered,
                DisplayOption = SurveyDisplayOption.DisplayOnce, RecontactDays = 0, DelaySeconds = 600, CreatedAt = now });
            await db.SaveChangesAsync();
        }
        var evaluator = harness.Get<SurveyTriggerEvaluator>();
        Assert.Equal(2, await evaluator.EvaluateAsync(w.Tenant));
        Assert.Equal(0, await evaluator.EvaluateAsync(w.Tenant)); // the same event: nothing new

        await using var check = harness.Database.CreateContext();
        var triggers = await check.SurveyTriggers.OrderBy(t => t.UserId).ToListAsync();
        Assert.Equal(["ana", "bo"], triggers.Select(t => t.UserId));
        Assert.All(triggers, t => Assert.Equal(DateTime.SpecifyKind(t.OccurredAt, DateTimeKind.Utc).AddMinutes(10), DateTime.SpecifyKind(t.ShowAfter, DateTimeKind.Utc)));
        Assert.Equal(2, await check.WebhookMessages.CountAsync(m => m.EventType == "survey_trigger.created"));

        // Shown once, then the connection fails and recovers again: display_once asks nobody twice.
        await check.SurveyTriggers.ExecuteUpdateAsync(s => s.SetProperty(t => t.State, SurveyTriggerState.Displayed).SetProperty(t => t.DisplayedAt, now));
        harness.Time.Advance(TimeSpan.FromHours(2));
        await harness.Get<ITelemetryWriter>().WriteAsync([Event(w, TelemetryKind.SyncRun, harness.Now.AddMinutes(-30), failed: true),
            Event(w, TelemetryKind.SyncRun, harness.Now.AddMinutes(-10))]);
        Assert.Equal(0, await evaluator.EvaluateAsync(w.Tenant));
    }

    [StoreFact]
    public async Task SurveyJob_AccountWithAnOpenAlert_IsHeldBack()
    {
        await using var harness = new SignalsHarness(await CreateDatabaseAsync());
        var w = await SeedAsync(harness);
        var now = harness.Now;
        await harness.Get<ITelemetryWriter>().WriteAsync([Event(w, TelemetryKind.SyncRun, now.AddHours(-1)),
            Event(w, TelemetryKind.Usage, now.AddDays(-1), user: "ana", resource: "sync")]);
        await using (var db = harness.Database.CreateContext())
        {
            db.SurveyRules.Add(new SurveyRule { TenantId = w.Tenant, SurveyKey = "welcome", Event = SurveyTriggerEvent.FirstSuccessfulSync, CreatedAt = now });
            db.Alerts.Add(new Alert { TenantId = w.Tenant, DedupKey = "burn-rate:page:provider:1", ProviderId = 1, Title = "t", Detail = "d", OpenedAt = now, LastSeenAt = now });
            await db.SaveChangesAsync();
        }
        var evaluator = harness.Get<SurveyTriggerEvaluator>();
        Assert.Equal(0, await evaluator.EvaluateAsync(w.Tenant));
        await using (var db = harness.Database.CreateContext())
            await db.Alerts.ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AlertState.Resolved).SetProperty(a => a.ResolvedAt, now.AddDays(-1)));
        Assert.Equal(1, await evaluator.EvaluateAsync(w.Tenant)); // the first sync, asked once the problem is over
    }

    [StoreFact]
    public async Task MigrationInventory_CountsComplexityFromTelemetry_AndTiersTheAccount()
    {
        await using var harness = new SignalsHarness(await CreateDatabaseAsync());
        var w = await SeedAsync(harness, arr: 30_000m);
        var now = harness.Now;
        var events = Enumerable.Range(0, 12).Select(i => Event(w, TelemetryKind.SyncRun, now.AddHours(-i - 1), resource: $"object-{i}")).ToList();
        events.Add(Event(w, TelemetryKind.Request, now.AddHours(-1), method: HttpMethodCode.Patch, resource: "contacts"));
        await harness.Get<ITelemetryWriter>().WriteAsync(events);

        var (tiers, rows) = await harness.Get<MigrationInventory>().BuildAsync(w.Tenant, CancellationToken.None);
        var tier = Assert.Single(tiers);
        // 12 active flows and a bidirectional sync: medium; $30K: Tier 2.
        Assert.Equal((2, "medium", 12, true), (tier.Tier, tier.Complexity, tier.ActiveFlows, tier.Bidirectional));
        var row = Assert.Single(rows);
        Assert.Equal(("salesforce", "oauth2", 12), (row.Provider, row.AuthType, row.ActiveFlows));
        Assert.Contains("acct-1,\"Acme, Inc.\",30000.00,Tier 2,salesforce", InventoryCsv.Write(rows));
    }
}

public sealed class SqliteSignalJobsTests : SignalJobsSuite
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedSqliteAsync();
}

public sealed class PostgresSignalJobsTests : SignalJobsSuite, IRequiresPostgres
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedPostgresAsync();
}
