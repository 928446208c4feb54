using System.Diagnostics;
using System.Globalization;
using IntegrationHealth.Analytics.AtRisk;
using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Analytics.Scoring;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Testing;
using IntegrationHealth.Web.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Benchmarks.Analytics;

/// <summary>
/// <c>analytics</c> (PostgreSQL; the server of INTEGRATIONHEALTH_TEST_PG): <c>--accounts</c> accounts (default
/// 10,000) with two connections each and <c>--days</c> days (default 30) of telemetry (<c>--events-per-day</c> per
/// account, default 60). Measures (i) one incremental rollup run over one new hour of events after 1 day of history
/// and again after all days (the target ratio is at most 1.5: cost follows new events, not history), (ii) the daily
/// score job for every account, (iii) the at-risk list handler's p50 over <c>--list-calls</c> calls (in process, the
/// endpoint's handler and queries without HTTP). Do not time on a shared machine.
/// </summary>
public static class AnalyticsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var accounts = Int(args, "--accounts", 10_000);
        var days = Int(args, "--days", 30);
        var perDay = Int(args, "--events-per-day", 60);
        var calls = Int(args, "--list-calls", 50);
        if (TestServers.PostgresAdmin is null)
        {
            Console.Error.WriteLine("analytics: set INTEGRATIONHEALTH_TEST_PG (tests/postgres.sh env)");
            return 2;
        }

        await using var database = await TestDatabase.MigratedPostgresAsync("bench_analytics");
        var end = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var start = end.AddDays(-days);
        int tenantId;
        List<(int Account, int[] Connections)> ids;
        await using (var db = database.CreateContext())
        {
            var tenant = new Tenant { Key = "bench", Name = "Bench", CreatedAt = start.AddDays(-400) };
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync();
            tenantId = tenant.Id;
            var rows = Enumerable.Range(0, accounts).Select(i => new Account
            {
                TenantId = tenantId, ExternalId = "a-" + i, Name = "Account " + i, Arr = 10_000 + i % 97 * 1000, CreatedAt = start.AddDays(-300),
                Segment = (AccountSegment)(i % 3), Csm = "csm-" + i % 20,
            }).ToList();
            db.Accounts.AddRange(rows);
            await db.SaveChangesAsync();
            var connections = rows.SelectMany(a => new[] { 1, 2 }.Select(p => new Connection
            {
                TenantId = tenantId, AccountId = a.Id, ProviderId = p, ExternalId = a.ExternalId + "-" + p, CreatedAt = start.AddDays(-200), UpdatedAt = start,
            })).ToList();
            db.Connections.AddRange(connections);
            await db.SaveChangesAsync();
            ids = connections.GroupBy(c => c.AccountId).Select(g => (g.Key, g.Select(c => c.Id).ToArray())).ToList();
        }

        var writer = database.Services.GetRequiredService<ITelemetryWriter>();
        var clock = new FakeTimeProvider(start.AddDays(1));
        var job = new RollupJob(database.ContextFactory, clock, Options.Create(new RollupOptions { SettleWindow = TimeSpan.Zero }), NullLogger<RollupJob>.Instance);
        // The history is written by Writers concurrent writers (as concurrent API requests would), each generating its
        // share of the accounts with its own seeded generator: one writer took about 50 s per day of 600,000 events.
        const int Writers = 4;

        async Task WriteAsync(DateTime from, TimeSpan span, double share)
        {
            var hour = (int)(from - start).TotalHours;
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                var random = new Random(unchecked(5 + 7919 * hour + w));
                var batch = new List<TelemetryEvent>(5000);
                for (var a = w; a < ids.Count; a += Writers)
                {
                    var (account, connections) = ids[a];
                    var n = (int)Math.Round(perDay * share * (0.5 + random.NextDouble()));
                    for (var k = 0; k < n; k++)
                    {
                        var provider = 1 + k % 2;
                        var failed = random.NextDouble() < 0.02;
                        batch.Add(new TelemetryEvent
                        {
                            Id = Guid.CreateVersion7(), OccurredAt = from + span * random.NextDouble(), TenantId = tenantId, AccountId = account,
                            ProviderId = provider, ConnectionId = connections[provider - 1], Kind = k % 10 == 9 ? TelemetryKind.SyncRun : k % 10 == 8 ? TelemetryKind.Usage : TelemetryKind.Request,
                            Outcome = failed ? TelemetryOutcome.Failure : TelemetryOutcome.Success, ErrorClass = failed ? ErrorClass.Server5xx : ErrorClass.None,
                            HttpStatus = (short)(failed ? 503 : 200), LatencyMs = random.Next(20, 900), Records = k % 10 == 9 ? random.Next(0, 200) : null,
                            Resource = k % 3 == 0 ? "deals" : "contacts", UserId = k % 10 == 8 ? "u" + random.Next(5) : null,
                        });
                        if (batch.Count == 5000)
                        {
                            await writer.WriteAsync(batch);
                            batch.Clear();
                        }
                    }
                }

                if (batch.Count > 0) await writer.WriteAsync(batch);
            })));
        }

        // 1 day of history, rolled up; then one new hour, timed.
        await WriteAsync(start, TimeSpan.FromDays(1), 1);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … 1 of {days} days of telemetry written ({accounts} accounts, {perDay} events per account-day)"));
        await job.RunOnceAsync();
        await job.RunOnceAsync();
        clock.SetUtcNow(start.AddDays(1).AddHours(1));
        await WriteAsync(start.AddDays(1), TimeSpan.FromHours(1), 1 / 24.0);
        var early = await TimeAsync(() => job.RunOnceAsync());
        // The rest of the history, rolled up (untimed), then one new hour, timed.
        for (var d = 1; d < days - 1; d++)
        {
            await WriteAsync(start.AddDays(d), TimeSpan.FromDays(1), 1);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … {d + 1} of {days} days of telemetry written"));
        }
        clock.SetUtcNow(end.AddHours(-1));
        Console.Error.WriteLine("  … rolling up the history (not timed)");
        await job.RunOnceAsync();
        await job.RunOnceAsync();
        clock.SetUtcNow(end);
        await WriteAsync(end.AddHours(-1), TimeSpan.FromHours(1), 1 / 24.0);
        var late = await TimeAsync(() => job.RunOnceAsync());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"analytics: {accounts} accounts × {days} days; incremental rollup of one hour: after 1 day {early.Elapsed.TotalMilliseconds:0} ms ({early.Result.EventsRead} events), after {days} days {late.Elapsed.TotalMilliseconds:0} ms ({late.Result.EventsRead} events), ratio {late.Elapsed.TotalMilliseconds / Math.Max(1, early.Elapsed.TotalMilliseconds):0.00}"));

        var scoringOptions = Options.Create(new ScoringOptions());
        var loader = new EvidenceLoader(database.ContextFactory);
        var scorer = new ChurnRiskScorer(loader, database.ContextFactory, scoringOptions, NullLogger<ChurnRiskScorer>.Instance);
        var scoreJob = new ScoreJob(scorer, database.ContextFactory, clock);
        var scored = await TimeAsync(() => scoreJob.ScoreDayAsync(tenantId, end));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"analytics: daily score job, {scored.Result.Scores.Count} accounts with the {scored.Result.Scorer}: {scored.Elapsed.TotalSeconds:0.0} s"));

        var services = new AtRiskServices(database.ContextFactory, scorer, clock);
        var context = new DefaultHttpContext
        {
            User = ApiClaims.ToPrincipal(new ApiKeyIdentity(1, tenantId, ApiKeyScopes.Read), "bench"),
        };
        var times = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = await AtRiskApi.ListAtRisk(context, services, null, i % 2 == 0 ? "enterprise" : null, null, null, 50, null);
            watch.Stop();
            if (result.Result is not Ok<AtRiskPage>) throw new InvalidOperationException("at-risk list failed");
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"analytics: at-risk list (limit 50) p50 {times[times.Count / 2]:0.0} ms over {calls} calls"));
        return 0;
    }

    private static async Task<(T Result, TimeSpan Elapsed)> TimeAsync<T>(Func<Task<T>> action)
    {
        var watch = Stopwatch.StartNew();
        var result = await action();
        return (result, watch.Elapsed);
    }

    private static int Int(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
