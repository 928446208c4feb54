using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Analytics.Scoring;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo;
using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Benchmarks.Analytics;

/// <summary>An evaluation world in memory: per account its day rollups (folded with the real <see cref="RollupFold"/>),
/// active-user days, tickets, surveys, connection count, churn time and the churn driver the world's truth names.</summary>
internal sealed class EvaluationWorld
{
    public required DateTime Start { get; init; }
    public required DateTime End { get; init; }
    public required List<EvaluationAccount> Accounts { get; init; }
    public required Dictionary<int, string> ProviderNames { get; init; }

    /// <summary>The evidence of every account live at <paramref name="asOf"/>, from what happened before it.</summary>
    public List<AccountEvidence> EvidenceAt(DateTime asOf) => Accounts
        .Where(a => a.CreatedAt < asOf && (a.ChurnedAt is null || a.ChurnedAt >= asOf))
        .Select(a => new AccountEvidence
        {
            AccountId = a.Id, Arr = a.Arr, Connections = a.Connections,
            Rollups = a.Days.Where(r => r.BucketStart + TimeSpan.FromDays(1) <= asOf && r.BucketStart >= asOf - EvidenceLoader.Lookback).ToList(),
            ActiveUsers = a.Users.Where(u => u.Day < asOf && u.Day >= asOf - EvidenceLoader.Lookback).ToList(),
            Tickets = a.Tickets.Where(t => t.OpenedAt < asOf).ToList(),
            Surveys = a.Surveys.Where(s => s.RespondedAt < asOf).ToList(),
        }).ToList();

    /// <summary>The demo world of <paramref name="seed"/>, its telemetry folded into day rollups.</summary>
    public static EvaluationWorld FromDemo(int seed, int accounts, int days)
    {
        var world = DemoWorld.Generate(new DemoWorldOptions
        {
            Seed = seed, Accounts = accounts, Days = days, EndUtc = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc),
        });
        var byAccount = world.Accounts.ToDictionary(a => a.Index, a => new EvaluationAccount
        {
            Id = a.Index + 1, Arr = a.Arr, CreatedAt = a.CreatedAt, ChurnedAt = a.ChurnedAt, Connections = a.Connections.Count,
            Driver = a.ChurnDriver, Truth = a.Drivers, Ceiling = DemoCeiling.For(a),
            Happenings = [.. a.Connections.SelectMany(c => c.Episodes.Select(e => new EvaluationHappening(
                    e.Cause + " (" + c.Provider.Key + (e.Resource is null ? "" : " " + e.Resource) + ")", e.Start, e.End)))
                .Concat(a.DisengagedAt is { } q ? [new EvaluationHappening("champion went quiet", q, null)] : [])
                .Concat(a.UnhappyAt is { } u ? [new EvaluationHappening("unhappy outside integrations", u, null)] : [])],
        });
        for (var d = 0; d < world.Days; d++)
        {
            var events = DemoEventStream.ForDay(world, d).Select(e => new TelemetryEvent
            {
                Id = e.Id, OccurredAt = e.OccurredAt, TenantId = 1, AccountId = e.AccountIndex + 1, ProviderId = e.ProviderIndex + 1,
                ConnectionId = e.ConnectionIndex + 1, Kind = e.Kind, Outcome = e.Outcome, ErrorClass = e.ErrorClass, Method = e.Method,
                HttpStatus = e.HttpStatus, LatencyMs = e.LatencyMs, Records = e.Records, RateLimitRemaining = e.RateLimitRemaining,
                RateLimitLimit = e.RateLimitLimit, Resource = e.Resource, UserId = e.UserId,
            }).ToList();
            var rows = RollupFold.Fold(events, e => (e.AccountId, e.ProviderId, e.ConnectionId ?? 0, e.Resource ?? "", Day: RollupFold.Floor(e.OccurredAt, TimeSpan.FromDays(1))),
                k => new ConnectionRollup
                {
                    TenantId = 1, Grain = RollupGrain.Day, BucketStart = k.Day, AccountId = k.AccountId, ProviderId = k.ProviderId,
                    ConnectionId = k.Item3, Resource = k.Item4,
                });
            foreach (var row in rows.Values) byAccount[row.AccountId - 1].Days.Add(row);
            foreach (var u in events.Where(e => e.UserId is not null).Select(e => (e.AccountId, e.UserId, Day: RollupFold.Floor(e.OccurredAt, TimeSpan.FromDays(1)))).Distinct())
                byAccount[u.AccountId - 1].Users.Add(new ActiveUserDay { TenantId = 1, AccountId = u.AccountId, Day = u.Day, UserId = u.UserId! });
        }

        foreach (var t in world.Tickets)
            byAccount[t.AccountIndex].Tickets.Add(new SupportTicket
            {
                AccountId = t.AccountIndex + 1, ExternalId = t.ExternalId, Subject = t.Subject, ProviderId = t.ProviderIndex + 1,
                Category = t.ProviderIndex is null ? SupportTicketCategory.Other : SupportTicketCategory.Integration, OpenedAt = t.OpenedAt,
                ResolvedAt = t.ClosedAt, ClosedAt = t.ClosedAt,
            });
        foreach (var s in world.Surveys)
            byAccount[s.AccountIndex].Surveys.Add(new SurveyResponse { AccountId = s.AccountIndex + 1, ExternalId = s.ExternalId, Score = s.Score, RespondedAt = s.RespondedAt });

        return new EvaluationWorld
        {
            Start = world.WindowStart, End = world.WindowEnd, Accounts = [.. byAccount.Values],
            ProviderNames = DemoCatalog.Providers.Select((p, i) => (p, i)).ToDictionary(x => x.i + 1, x => x.p.Name),
        };
    }
}

internal sealed class EvaluationAccount
{
    public required int Id { get; init; }
    public required decimal Arr { get; init; }
    public required DateTime CreatedAt { get; init; }
    public DateTime? ChurnedAt { get; init; }
    public int Connections { get; init; }
    public string Driver { get; set; } = "";
    /// <summary>The world's own account of what happened to the account (for --explain only; no scorer reads it).</summary>
    public string Truth { get; set; } = "";
    /// <summary>The demo's <see cref="DemoCeiling"/> of the account (for --ceiling only; no scorer reads it); null in
    /// worlds without one.</summary>
    public Func<DateTime, double>? Ceiling { get; init; }
    /// <summary>When each of the world's problems began and ended (for --explain only; no scorer reads it).</summary>
    public List<EvaluationHappening> Happenings { get; init; } = [];
    public List<ConnectionRollup> Days { get; } = [];
    public List<ActiveUserDay> Users { get; } = [];
    public List<SupportTicket> Tickets { get; } = [];
    public List<SurveyResponse> Surveys { get; } = [];
}

/// <summary>A problem the world gave an account: what, from when, until when (null: never ended).</summary>
internal sealed record EvaluationHappening(string What, DateTime Start, DateTime? End);
