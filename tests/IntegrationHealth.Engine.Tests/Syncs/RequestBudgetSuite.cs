using System.Text.Json.Nodes;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.ProviderDoubles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Engine.Tests.Syncs;

/// <summary>
/// The proactive request budget (<c>rate_limit.budget</c>) against a double that enforces a request limit per fixed
/// window and answers 429 past it, with one fake clock for the engine and the double: a background sync paced by the
/// budget, or by the double's remaining/reset headers, never meets a 429, while the same sync without a budget does;
/// request-path calls count in the budget but are never delayed; an account override changes the budget. The clock
/// only moves while a background call waits for the budget, so no request is in flight as time passes.
/// </summary>
public abstract class RequestBudgetSuite
{
    private const int Limit = 5; // the double's requests per window
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private sealed record Setup(StoreEngine Engine, PagedRecordsDouble Double, FakeTimeProvider Clock, int TenantId, int AccountId, Connection Connection)
        : IAsyncDisposable
    {
        public RequestBudget Budget => Engine.Services.GetRequiredService<RequestBudget>();

        /// <summary>Runs the work, moving the clock on only while a background call waits for the budget.</summary>
        public async Task<T> DriveAsync<T>(Task<T> work)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2); // real time: a hung test fails instead of blocking the run
            while (!work.IsCompleted)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("The work did not finish.");
                if (Budget.Waiting > 0) Clock.Advance(TimeSpan.FromMilliseconds(500));
                await Task.WhenAny(work, Task.Delay(2));
            }
            return await work;
        }

        public async ValueTask DisposeAsync()
        {
            await Engine.DisposeAsync();
            await Double.DisposeAsync();
        }
    }

    /// <summary>The double's definition with a rate-limit section (its X-RateLimit-* headers mapped) and the budget given.</summary>
    private static string Definition(string? budget, string resetUnit = "delta_seconds")
    {
        var definition = JsonNode.Parse(PagedRecordsDouble.Definition())!.AsObject();
        var rateLimit = new JsonObject
        {
            ["limit"] = new JsonObject { ["header"] = "X-RateLimit-Limit" },
            ["remaining"] = new JsonObject { ["header"] = "X-RateLimit-Remaining" },
            ["reset"] = new JsonObject { ["header"] = "X-RateLimit-Reset", ["unit"] = resetUnit },
        };
        if (budget is not null) rateLimit["budget"] = JsonNode.Parse(budget);
        definition["rate_limit"] = rateLimit;
        return definition.ToJsonString();
    }

    private static async Task<Setup> SetUpAsync(TestDatabase database, string definition, int people = 95, bool epochReset = false)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var provider = new PagedRecordsDouble(people) { Limit = new RequestLimit(Limit, Window, clock, epochReset) };
        await provider.StartAsync();
        var engine = StoreEngine.Create(database, new Dictionary<string, ProviderDouble> { ["peopleapi"] = provider },
            // The attempt timeout runs on the fake clock too: no attempt is in flight while it moves, but keep it long.
            new Dictionary<string, string?> { ["Engine:RequestTimeout"] = "00:10:00" },
            configure: s => s.AddSingleton<TimeProvider>(clock));
        var (tenant, account) = await engine.TenantAsync("acme");
        var (outcome, _, errors) = await engine.Definitions.SaveAsync(tenant, "peopleapi", definition, default);
        Assert.True(outcome == Engine.Definitions.DefinitionUploadOutcome.Created, string.Join("; ", errors));
        var connection = await engine.ConnectAsync(tenant, account, "peopleapi", "conn-1", ConnectionCredentials.Of(("token", PagedRecordsDouble.Token)));
        return new Setup(engine, provider, clock, tenant, account, connection);
    }

    /// <summary>The summary of the (one) sync-run event, from its detail row.</summary>
    private static async Task<string> SyncSummaryAsync(Setup s)
    {
        var sync = Assert.Single(await s.Engine.TelemetryAsync(s.TenantId), e => e.Kind == TelemetryKind.SyncRun);
        await using var db = s.Engine.Database.CreateContext();
        var detail = await db.TelemetryEventDetails.AsNoTracking().SingleAsync(d => d.TenantId == s.TenantId && d.EventId == sync.Id);
        return detail.ErrorMessage!;
    }

    [StoreFact]
    public async Task Sync_WithoutBudget_MeetsTheProvidersLimit()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, Definition(budget: null));

        var run = await s.Engine.SyncAsync(s.Connection, "people");

        Assert.Equal(SyncRunStatus.Failed, run.Status); // no retries in these tests: the first 429 ends the run
        Assert.Equal(Limit, run.Pages);
        Assert.Equal(1, s.Double.LimitedRequests);
    }

    [StoreFact]
    public async Task Sync_BudgetBelowTheLimit_NeverMeetsA429_AndSaysHowLongItWaited()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, Definition("""{ "requests": 4, "per_seconds": 10 }"""));
        var started = s.Clock.GetUtcNow();

        var run = await s.DriveAsync(s.Engine.SyncAsync(s.Connection, "people"));

        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal((10, 95), (run.Pages, run.Records));
        Assert.Equal(0, s.Double.LimitedRequests);
        // 10 pages at 4 per 10 s: two waits of a whole window, no more.
        Assert.InRange(s.Clock.GetUtcNow() - started, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(21));
        Assert.Matches(@"waited 2\d{4} ms for the request budget", await SyncSummaryAsync(s));
    }

    [StoreFact]
    public async Task Sync_RemainingAtTheThreshold_PausesUntilTheDeltaReset()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, Definition("""{ "min_remaining": 1 }"""));

        var run = await s.DriveAsync(s.Engine.SyncAsync(s.Connection, "people"));

        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal(10, run.Pages);
        Assert.Equal(0, s.Double.LimitedRequests);
        Assert.Contains("for the request budget", await SyncSummaryAsync(s));
    }

    [StoreFact]
    public async Task Sync_RemainingAtTheThreshold_PausesUntilTheEpochReset()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, Definition("""{ "min_remaining": 0 }""", "epoch_seconds"), epochReset: true);

        var run = await s.DriveAsync(s.Engine.SyncAsync(s.Connection, "people"));

        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal(10, run.Pages);
        Assert.Equal(0, s.Double.LimitedRequests);
    }

    [StoreFact]
    public async Task RequestPath_IsNeverDelayed_ButCountsInTheBudget()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, Definition("""{ "requests": 2, "per_seconds": 60 }"""), people: 8);
        var (_, resolved) = await s.Engine.Connections.FindAsync(s.TenantId, "conn-1");
        var executor = s.Engine.Services.GetRequiredService<OperationExecutor>();
        async Task<int> List(CallContext context) =>
            (await executor.ListAllAsync(resolved!.Provider, resolved.Engine, "people", new ListRequest { Context = context })).Records.Count;

        // Three request-path listings with a budget of two, and the clock standing still: none waits.
        for (var i = 0; i < 3; i++)
            Assert.Equal(8, await List(CallContext.Interactive).WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(0, s.Budget.Waiting);

        // They used the budget up: a background listing now waits for the window, without calling the provider.
        var background = List(CallContext.Background);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (s.Budget.Waiting == 0 && !background.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.Equal(1, s.Budget.Waiting);
        Assert.Equal(3, s.Double.TotalPageRequests);
        s.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(8, await background.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(4, s.Double.TotalPageRequests);
    }

    [StoreFact]
    public async Task AccountOverride_ChangesTheBudgetOfThatAccountOnly()
    {
        await using var database = await CreateDatabaseAsync();
        await using var s = await SetUpAsync(database, Definition("""{ "requests": 100, "per_seconds": 10 }"""));
        var saved = await s.Engine.Overrides.SaveAsync(s.TenantId, "peopleapi", s.AccountId, "acme-acct",
            (JsonObject)JsonNode.Parse("""{ "rate_limit": { "budget": { "requests": 3, "per_seconds": 60 } } }""")!, default);
        Assert.True(saved.View is not null, string.Join("; ", saved.Errors.Select(e => $"{e.Path}: {e.Message}")));
        var other = await s.Engine.AccountAsync(s.TenantId, "other-acct");

        var overridden = (await s.Engine.Registry.FindAsync(s.TenantId, "peopleapi", s.AccountId))!.Provider.Definition.RateLimit!.Budget!;
        var platform = (await s.Engine.Registry.FindAsync(s.TenantId, "peopleapi", other))!.Provider.Definition.RateLimit!.Budget!;
        Assert.Equal((3, 60), (overridden.Requests, overridden.PerSeconds));
        Assert.Equal((100, 10), (platform.Requests, platform.PerSeconds));

        var started = s.Clock.GetUtcNow();
        var run = await s.DriveAsync(s.Engine.SyncAsync(s.Connection, "people"));
        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal(0, s.Double.LimitedRequests);
        // 10 pages at 3 per minute: three waits of a minute.
        Assert.InRange(s.Clock.GetUtcNow() - started, TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(181));
    }
}

public sealed class SqliteRequestBudgetTests : RequestBudgetSuite
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedSqliteAsync();
}

public sealed class PostgresRequestBudgetTests : RequestBudgetSuite, IRequiresPostgres
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedPostgresAsync();
}
