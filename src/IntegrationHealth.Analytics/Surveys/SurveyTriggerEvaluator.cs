using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Web.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Analytics.Surveys;

/// <summary>A survey trigger on the wire (poll API and the <c>survey_trigger.created</c> webhook).</summary>
public sealed record SurveyTriggerView(int Id, string Survey, string Account, string User, string Event, string Reason, DateTime OccurredAt,
    DateTime ShowAfter, string State)
{
    public static readonly string[] Events = ["first_successful_sync", "sync_recovered", "incident_resolved", "score_band_changed"];
    public static readonly string[] States = ["pending", "displayed", "answered"];
}

/// <summary>
/// The survey-trigger job for one tenant: the integration events of the lookback window (sync runs, resolved
/// incidents; score band changes once the scores feed <see cref="SurveyEvent"/>s), each matched against the tenant's
/// enabled rules for the account's most active users, throttled by <see cref="SurveyThrottle"/>, stored once per
/// (rule, user, event) and pushed through the webhook outbox.
/// </summary>
public sealed class SurveyTriggerEvaluator(IDbContextFactory<IntegrationHealthDbContext> dbFactory, IWebhookOutbox outbox,
    IOptions<SignalsOptions> options, TimeProvider time, ILogger<SurveyTriggerEvaluator> logger)
{
    public async Task<int> EvaluateAsync(int tenantId, IReadOnlyList<SurveyEvent>? extraEvents = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var o = options.Value;
        var windowStart = now - o.SurveyLookback;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.SurveyRules.AsNoTracking().Where(r => r.TenantId == tenantId && r.Enabled).ToListAsync(cancellationToken);
        if (rules.Count == 0) return 0;

        var events = await SyncEventsAsync(db, tenantId, windowStart, now, cancellationToken);
        var resolved = await db.Alerts.AsNoTracking()
            .Where(a => a.TenantId == tenantId && a.State == AlertState.Resolved && a.ResolvedAt >= windowStart && a.ResolvedAt < now)
            .Select(a => new { a.Id, a.AccountId, a.ProviderId, a.ResolvedAt, a.Title }).ToListAsync(cancellationToken);
        var connections = await db.Connections.AsNoTracking().Where(c => c.TenantId == tenantId)
            .Select(c => new { c.AccountId, c.ProviderId }).ToListAsync(cancellationToken);
        foreach (var alert in resolved)
        {
            var affected = alert.AccountId is { } one ? [one]
                : connections.Where(c => c.ProviderId == alert.ProviderId).Select(c => c.AccountId).Distinct().ToList();
            events.AddRange(affected.Select(a => new SurveyEvent(SurveyTriggerEvent.IncidentResolved, a, DateTime.SpecifyKind(alert.ResolvedAt!.Value, DateTimeKind.Utc),
                $"incident:{alert.Id}", "an incident affecting the account was resolved")));
        }
        var resolvedIssues = await db.ConnectionIssues.AsNoTracking()
            .Where(i => i.TenantId == tenantId && i.Status == IssueStatus.Resolved && i.ResolvedAt >= windowStart && i.ResolvedAt < now)
            .Select(i => new { i.Id, i.AccountId, i.ResolvedAt, i.Reopened }).ToListAsync(cancellationToken);
        events.AddRange(resolvedIssues.Select(i => new SurveyEvent(SurveyTriggerEvent.IncidentResolved, i.AccountId,
            DateTime.SpecifyKind(i.ResolvedAt!.Value, DateTimeKind.Utc), $"issue:{i.Id}:{i.Reopened}", "a connection issue of the account was resolved")));
        events.AddRange(await BandChangesAsync(db, tenantId, windowStart, cancellationToken));
        if (extraEvents is not null) events.AddRange(extraEvents);

        var blocked = (await db.Alerts.AsNoTracking().Where(a => a.TenantId == tenantId && a.State != AlertState.Resolved)
            .Select(a => new { a.AccountId, a.ProviderId }).ToListAsync(cancellationToken))
            .SelectMany(a => a.AccountId is { } one ? [one] : connections.Where(c => c.ProviderId == a.ProviderId).Select(c => c.AccountId))
            .ToHashSet();
        blocked.UnionWith(await db.ConnectionIssues.AsNoTracking()
            .Where(i => i.TenantId == tenantId && i.Status == IssueStatus.Open && i.MutedAt == null).Select(i => i.AccountId).Distinct().ToListAsync(cancellationToken));
        var accountIds = events.Select(e => e.AccountId).Distinct().ToList();
        var accountKeys = await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenantId && accountIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.ExternalId, cancellationToken);
        var monthAgo = now.AddDays(-30);
        var users = (await db.TelemetryEvents.AsNoTracking()
                .Where(e => e.TenantId == tenantId && e.Kind == TelemetryKind.Usage && e.UserId != null && e.OccurredAt >= monthAgo && accountIds.Contains(e.AccountId))
                .GroupBy(e => new { e.AccountId, e.UserId }).Select(g => new { g.Key.AccountId, g.Key.UserId, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .GroupBy(u => u.AccountId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(u => u.Count).ThenBy(u => u.UserId, StringComparer.Ordinal).Take(o.SurveyUsersPerEvent).Select(u => u.UserId!).ToList());
        var existing = await (from t in db.SurveyTriggers.AsNoTracking()
                              join r in db.SurveyRules on t.RuleId equals r.Id
                              where t.TenantId == tenantId && accountIds.Contains(t.AccountId)
                              select new { t.AccountId, t.UserId, r.SurveyKey, t.State, t.DisplayedAt, t.EventKey }).ToListAsync(cancellationToken);
        var keys = existing.Select(e => e.EventKey).ToHashSet();

        var created = new List<SurveyTrigger>();
        var throttled = 0;
        foreach (var e in events)
        {
            if (!accountKeys.TryGetValue(e.AccountId, out var accountKey) || !users.TryGetValue(e.AccountId, out var accountUsers)) continue;
            foreach (var rule in rules.Where(r => r.Event == e.Event))
            {
                foreach (var user in accountUsers)
                {
                    var eventKey = $"{rule.Id}:{e.AccountId}:{user}:{e.SourceKey}";
                    if (keys.Contains(eventKey)) continue;
                    var mine = existing.Where(x => x.AccountId == e.AccountId && x.UserId == user).ToList();
                    mine.AddRange(created.Where(c => c.AccountId == e.AccountId && c.UserId == user)
                        .Select(c => new { c.AccountId, c.UserId, SurveyKey = rules.First(r => r.Id == c.RuleId).SurveyKey, c.State, c.DisplayedAt, c.EventKey }));
                    if (mine.Any(x => x.SurveyKey == rule.SurveyKey && x.State == SurveyTriggerState.Pending))
                    {
                        throttled++;
                        continue; // one pending ask per survey and user
                    }
                    var history = new SurveyHistory(
                        mine.Where(x => x.DisplayedAt != null).GroupBy(x => x.SurveyKey).ToDictionary(g => g.Key, g => g.Count()),
                        mine.Where(x => x.State == SurveyTriggerState.Answered).Select(x => x.SurveyKey).ToHashSet(),
                        mine.Max(x => x.DisplayedAt) is { } last ? DateTime.SpecifyKind(last, DateTimeKind.Utc) : null);
                    var decision = SurveyThrottle.Decide(rule, accountKey, user, history, now, o.SurveyRecontactDays, blocked.Contains(e.AccountId));
                    if (decision == SurveyDecision.HeldBack) continue; // not stored: asked again once the problem is over, if still in the window
                    if (decision != SurveyDecision.Show)
                    {
                        throttled++;
                        keys.Add(eventKey);
                        continue;
                    }
                    keys.Add(eventKey);
                    created.Add(new SurveyTrigger
                    {
                        TenantId = tenantId, RuleId = rule.Id, AccountId = e.AccountId, UserId = user, EventKey = eventKey, Reason = e.Reason,
                        OccurredAt = e.At, ShowAfter = e.At.AddSeconds(rule.DelaySeconds), State = SurveyTriggerState.Pending,
                    });
                }
            }
        }
        db.SurveyTriggers.AddRange(created);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var t in created)
        {
            var rule = rules.First(r => r.Id == t.RuleId);
            await outbox.EnqueueAsync(tenantId, "survey_trigger.created", new SurveyTriggerView(t.Id, rule.SurveyKey, accountKeys[t.AccountId], t.UserId,
                SurveyTriggerView.Events[(int)rule.Event], t.Reason, t.OccurredAt, t.ShowAfter, "pending"), $"survey-trigger:{t.Id}:created", cancellationToken);
        }
        AnalyticsLog.SurveyTriggersEvaluated(logger, tenantId, events.Count, created.Count, throttled);
        return created.Count;
    }

    /// <summary>Accounts whose score band on a day within the window differs from the day before (the scores'
    /// daily history).</summary>
    private static async Task<List<SurveyEvent>> BandChangesAsync(IntegrationHealthDbContext db, int tenantId, DateTime windowStart,
        CancellationToken cancellationToken)
    {
        var from = windowStart.Date.AddDays(-1);
        var scores = await db.AccountScores.AsNoTracking().Where(s => s.TenantId == tenantId && s.Day >= from)
            .Select(s => new { s.AccountId, s.Day, s.Band, s.ComputedAt }).ToListAsync(cancellationToken);
        var events = new List<SurveyEvent>();
        foreach (var account in scores.GroupBy(s => s.AccountId))
        {
            var days = account.OrderBy(s => s.Day).ToList();
            for (var i = 1; i < days.Count; i++)
            {
                if (days[i].Band == days[i - 1].Band || DateTime.SpecifyKind(days[i].ComputedAt, DateTimeKind.Utc) < windowStart) continue;
                events.Add(new SurveyEvent(SurveyTriggerEvent.ScoreBandChanged, account.Key, DateTime.SpecifyKind(days[i].ComputedAt, DateTimeKind.Utc),
                    $"band:{account.Key}:{days[i].Day:yyyyMMdd}", $"risk band changed from {days[i - 1].Band} to {days[i].Band}".ToLowerInvariant()));
            }
        }
        return events;
    }

    private static async Task<List<SurveyEvent>> SyncEventsAsync(IntegrationHealthDbContext db, int tenantId, DateTime windowStart, DateTime now,
        CancellationToken cancellationToken)
    {
        var context = windowStart.AddDays(-1);
        var runs = await db.TelemetryEvents.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.Kind == TelemetryKind.SyncRun && e.ConnectionId != null && e.OccurredAt >= context && e.OccurredAt < now)
            .Select(e => new { e.ConnectionId, e.AccountId, e.OccurredAt, e.Outcome }).ToListAsync(cancellationToken);
        var ids = runs.Where(r => r.Outcome == TelemetryOutcome.Success && r.OccurredAt >= windowStart).Select(r => r.ConnectionId!.Value).Distinct().ToList();
        var earlier = (await db.TelemetryEvents.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.Kind == TelemetryKind.SyncRun && e.Outcome == TelemetryOutcome.Success
                && e.OccurredAt < context && e.ConnectionId != null && ids.Contains(e.ConnectionId.Value))
            .Select(e => e.ConnectionId!.Value).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        return SurveyEvents.FromSyncRuns([.. runs.Select(r => new SyncRunOutcome(r.ConnectionId!.Value, r.AccountId,
            DateTime.SpecifyKind(r.OccurredAt, DateTimeKind.Utc), r.Outcome == TelemetryOutcome.Success))], windowStart, earlier);
    }
}

/// <summary>The recurring survey-trigger evaluation over every tenant.</summary>
public sealed class SurveyTriggerJob(IDbContextFactory<IntegrationHealthDbContext> dbFactory, SurveyTriggerEvaluator evaluator) : IRecurringJob
{
    public const string RecurringJobId = "analytics-survey-triggers";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        List<int> tenants;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            tenants = await db.Tenants.Select(t => t.Id).ToListAsync(cancellationToken);
        foreach (var tenant in tenants) await evaluator.EvaluateAsync(tenant, null, cancellationToken);
    }
}
