using IntegrationHealth.Analytics.Issues;
using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Analytics.Scoring;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Web.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Analytics.Tests.Scoring;

/// <summary>Records what the issue job hands to the outbox (the real outbox is the signals part's).</summary>
internal sealed class RecordingOutbox : IWebhookOutbox
{
    public List<(int Tenant, string Type, string Key)> Events { get; } = [];

    public Task EnqueueAsync(int tenantId, string eventType, object payload, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        Events.Add((tenantId, eventType, idempotencyKey));
        return Task.CompletedTask;
    }
}

/// <summary>Telemetry → rollups → issues → daily scores through a real store: two accounts, one whose credentials
/// were revoked 45 hours ago. Run on SQLite and PostgreSQL.</summary>
public abstract class ScoreAndIssueJobSuite
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static readonly DateTime Now = new(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);

    [StoreFact]
    public async Task Jobs_RevokedCredentials_OpenAnIssueOnce_AndScoreTheAccountAboveItsHealthyPeer()
    {
        await using var database = await CreateDatabaseAsync();
        int tenant, healthy, broken, connection;
        await using (var db = database.CreateContext())
        {
            var t = new Tenant { Key = "t", Name = "T", CreatedAt = Now.AddYears(-1) };
            db.Tenants.Add(t);
            await db.SaveChangesAsync();
            var a = new Account { TenantId = t.Id, ExternalId = "healthy", Name = "Healthy", Arr = 50_000, CreatedAt = Now.AddYears(-1) };
            var b = new Account { TenantId = t.Id, ExternalId = "broken", Name = "Broken", Arr = 90_000, CreatedAt = Now.AddYears(-1) };
            db.Accounts.AddRange(a, b);
            await db.SaveChangesAsync();
            var c = new Connection { TenantId = t.Id, AccountId = b.Id, ProviderId = 1, ExternalId = "b-sf", CreatedAt = Now.AddYears(-1), UpdatedAt = Now };
            db.Connections.AddRange(c, new Connection { TenantId = t.Id, AccountId = a.Id, ProviderId = 1, ExternalId = "a-sf", CreatedAt = Now.AddYears(-1), UpdatedAt = Now });
            await db.SaveChangesAsync();
            (tenant, healthy, broken, connection) = (t.Id, a.Id, b.Id, c.Id);
        }

        var events = new List<TelemetryEvent>();
        for (var h = 40; h >= 1; h--)
        {
            var at = Now.AddHours(-h);
            events.Add(Event(tenant, healthy, connection + 1, at, ok: true));
            // The broken account's refreshes fail every hour after its last success, 45 hours ago.
            events.Add(Event(tenant, broken, connection, at, ok: false));
        }

        events.Add(Event(tenant, broken, connection, Now.AddHours(-45), ok: true));
        await database.Services.GetRequiredService<ITelemetryWriter>().WriteAsync(events);
        var clock = new FakeTimeProvider(Now);
        await new RollupJob(database.ContextFactory, clock, Options.Create(new RollupOptions()), NullLogger<RollupJob>.Instance).RunOnceAsync();
        var outbox = new RecordingOutbox();
        var services = new ServiceCollection().AddSingleton<IWebhookOutbox>(outbox).BuildServiceProvider();
        var issues = new IssueJob(database.ContextFactory, clock, Options.Create(new IssueOptions()), services, NullLogger<IssueJob>.Instance);

        var first = await issues.RunTenantAsync(tenant);
        var second = await issues.RunTenantAsync(tenant);

        var opened = Assert.Single(first);
        Assert.Equal((IssueTransition.Opened, IssueKind.CredentialsRevoked, broken), (opened.Transition, opened.Issue.Kind, opened.Issue.AccountId));
        Assert.DoesNotContain(second, c => c.Transition is IssueTransition.Opened or IssueTransition.Reopened);
        Assert.Equal(("connection_issue.opened", tenant), (Assert.Single(outbox.Events).Type, outbox.Events[0].Tenant));

        var scorer = new ChurnRiskScorer(new EvidenceLoader(database.ContextFactory), database.ContextFactory, Options.Create(new ScoringOptions()),
            NullLogger<ChurnRiskScorer>.Instance);
        var job = new ScoreJob(scorer, database.ContextFactory, clock);
        var scores = await job.ScoreDayAsync(tenant, Now);
        await job.ScoreDayAsync(tenant, Now); // the same day again replaces, never duplicates

        Assert.Equal(ScorerKind.Scorecard, scores.Scorer); // two accounts: no history to fit a model on
        await using var check = database.CreateContext();
        var rows = await check.AccountScores.AsNoTracking().Where(s => s.TenantId == tenant).ToListAsync();
        Assert.Equal(2, rows.Count);
        var b2 = rows.Single(r => r.AccountId == broken);
        var a2 = rows.Single(r => r.AccountId == healthy);
        // Credentials broken ~1.9 days (20 × 0.27 ≈ 5.4 points, also its open issue's floor) and no working connection
        // (5 points against 3 for one healthy).
        Assert.True(b2.Score > a2.Score + 6, $"{b2.Score} vs {a2.Score}");
        Assert.Contains("open issue for", b2.Explanation);
        Assert.Contains("credentials failing for", b2.Explanation);
        Assert.Contains("none of 1 connections working", b2.Explanation);
        Assert.Equal(Now, DateTime.SpecifyKind(b2.Day, DateTimeKind.Utc));
    }

    private static TelemetryEvent Event(int tenant, int account, int connection, DateTime at, bool ok) => new()
    {
        Id = Guid.NewGuid(), TenantId = tenant, AccountId = account, ProviderId = 1, ConnectionId = connection, OccurredAt = at,
        Kind = ok ? TelemetryKind.Request : TelemetryKind.TokenRefresh, Outcome = ok ? TelemetryOutcome.Success : TelemetryOutcome.Failure,
        ErrorClass = ok ? ErrorClass.None : ErrorClass.InvalidGrant, HttpStatus = (short)(ok ? 200 : 400), LatencyMs = 80, Resource = ok ? "contacts" : null,
    };
}

public sealed class SqliteScoreAndIssueJobTests : ScoreAndIssueJobSuite
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedSqliteAsync();
}

public sealed class PostgresScoreAndIssueJobTests : ScoreAndIssueJobSuite, IRequiresPostgres
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedPostgresAsync();
}
