using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Web.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Analytics.Alerts;

/// <summary>
/// One evaluation for one tenant: burn rates per provider and per connection, the rollback triggers per provider, and
/// the last whole hour's anomalies per account × provider, turned into alert changes by <see cref="AlertBook"/>, saved,
/// and announced through the webhook outbox (<c>alert.opened</c>, <c>alert.resolved</c>; idempotent per alert and
/// transition, so a re-run announces nothing twice).
/// </summary>
public sealed class AlertEvaluator(IDbContextFactory<IntegrationHealthDbContext> dbFactory, AlertInputs inputs, IWebhookOutbox outbox,
    IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertEvaluator> logger)
{
    private static readonly HashSet<AlertKind> Evaluated = [AlertKind.Anomaly, AlertKind.BurnRate, AlertKind.RollbackTrigger];

    public async Task<IReadOnlyList<AlertChange>> EvaluateAsync(int tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var o = options.Value;
        var history = now.AddDays(-7 * o.BaselineWeeks - 1);
        var events = await inputs.EventsAsync(tenantId, history, now, cancellationToken);
        var signals = Signals(events, now, history, o);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var unresolved = await db.Alerts.Where(a => a.TenantId == tenantId && a.State != AlertState.Resolved).ToListAsync(cancellationToken);
        var changes = AlertBook.Apply(tenantId, unresolved, signals, Evaluated, now, o.QuietPeriod);
        foreach (var change in changes.Where(c => c.Kind == AlertChangeKind.Opened)) db.Alerts.Add(change.Alert);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var change in changes.Where(c => c.Kind != AlertChangeKind.Updated))
        {
            var transition = change.Kind == AlertChangeKind.Opened ? "opened" : "resolved";
            await outbox.EnqueueAsync(tenantId, $"alert.{transition}", AlertView.Of(change.Alert), $"alert:{change.Alert.Id}:{transition}", cancellationToken);
        }
        AnalyticsLog.AlertsEvaluated(logger, tenantId, signals.Count, changes.Count(c => c.Kind == AlertChangeKind.Opened),
            changes.Count(c => c.Kind == AlertChangeKind.Resolved));
        return changes;
    }

    /// <summary>Every alert signal the events give at <paramref name="now"/> (pure).</summary>
    public static List<AlertSignal> Signals(IReadOnlyList<SignalEvent> events, DateTime now, DateTime historyStart, AlertOptions o)
    {
        var signals = new List<AlertSignal>();
        var recent = events.Where(e => e.At >= now.AddDays(-3)).ToList();
        var requests = recent.Where(e => e.Kind == TelemetryKind.Request).ToList();
        foreach (var provider in requests.GroupBy(e => e.ProviderId))
        {
            var minutes = AlertInputs.Bucket(provider, TimeSpan.FromMinutes(1));
            if (BurnRate.Worst(BurnRate.Evaluate(minutes, now, o.Objective, o.MinProviderEvents)) is { } worst)
                signals.Add(BurnSignal(worst, $"provider:{provider.Key}", "Provider", provider.Key, null, null));
            var sustained = RollbackTriggers.SustainedErrorRate(minutes, now);
            if (sustained.Fires)
                signals.Add(new AlertSignal($"rollback:error-rate:provider:{provider.Key}", AlertKind.RollbackTrigger, AlertSeverity.Page,
                    "Rollback trigger: provider error rate above 1% for over 10 minutes", sustained.Detail, sustained.Value, 0.01, ProviderId: provider.Key));
        }
        foreach (var connection in requests.Where(e => e.ConnectionId is not null).GroupBy(e => e.ConnectionId!.Value))
        {
            var minutes = AlertInputs.Bucket(connection, TimeSpan.FromMinutes(1));
            if (BurnRate.Worst(BurnRate.Evaluate(minutes, now, o.Objective, o.MinConnectionEvents)) is { } worst)
            {
                var first = connection.First();
                signals.Add(BurnSignal(worst, $"connection:{connection.Key}", "Connection", first.ProviderId, first.AccountId, connection.Key));
            }
        }
        foreach (var provider in recent.Where(e => e.Kind == TelemetryKind.TokenRefresh).GroupBy(e => e.ProviderId))
        {
            var verdict = RollbackTriggers.RefreshFailureSpread([.. provider.Select(e => new RefreshOutcome(e.AccountId, e.At, !e.Failed))], now);
            if (verdict.Fires)
                signals.Add(new AlertSignal($"rollback:refresh-failures:provider:{provider.Key}", AlertKind.RollbackTrigger, AlertSeverity.Page,
                    "Rollback trigger: OAuth refresh failing at more than 5 accounts", verdict.Detail, verdict.Value, 5, ProviderId: provider.Key));
        }
        foreach (var provider in recent.Where(e => e.Kind == TelemetryKind.WebhookDelivery).GroupBy(e => e.ProviderId))
        {
            var verdict = RollbackTriggers.WebhookDeliverySuccess(AlertInputs.Bucket(provider, TimeSpan.FromMinutes(1)), now);
            if (verdict.Fires)
                signals.Add(new AlertSignal($"rollback:webhook-success:provider:{provider.Key}", AlertKind.RollbackTrigger, AlertSeverity.Page,
                    "Rollback trigger: webhook delivery success below 95%", verdict.Detail, verdict.Value, 0.95, ProviderId: provider.Key));
        }
        signals.AddRange(Anomalies(events.Where(e => e.Kind == TelemetryKind.Request), now, historyStart, o));
        return signals;
    }

    private static IEnumerable<AlertSignal> Anomalies(IEnumerable<SignalEvent> requests, DateTime now, DateTime historyStart, AlertOptions o)
    {
        var hour = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc).AddHours(-1);
        var earliest = requests.Select(e => e.At).DefaultIfEmpty(now).Min();
        var start = earliest > historyStart ? earliest : historyStart;
        foreach (var pair in requests.GroupBy(e => (e.AccountId, e.ProviderId)))
        {
            var hourly = AlertInputs.Bucket(pair, TimeSpan.FromHours(1)).ToDictionary(b => b.Start);
            if (!hourly.TryGetValue(hour, out var current) || current.Total < o.AnomalyMinRequests) continue;
            var rates = hourly.Values.Where(b => b.Start < hour).ToDictionary(b => b.Start, b => b.Rate);
            var verdict = RobustBaseline.Judge(rates, start, hour, current.Rate, o.BaselineWeeks, o.AnomalyThreshold);
            if (verdict.IsAnomaly)
                yield return new AlertSignal($"anomaly:account:{pair.Key.AccountId}:provider:{pair.Key.ProviderId}", AlertKind.Anomaly,
                    AlertSeverity.Ticket, "Error rate far above this account's usual for the hour of the week", verdict.Reason, verdict.Score,
                    o.AnomalyThreshold, ProviderId: pair.Key.ProviderId, AccountId: pair.Key.AccountId);
        }
    }

    private static AlertSignal BurnSignal(BurnRateVerdict verdict, string scope, string what, int providerId, int? accountId, int? connectionId)
    {
        var severity = verdict.Rule.Severity == AlertSeverity.Page ? "page" : "ticket";
        return new AlertSignal($"burn-rate:{severity}:{scope}", AlertKind.BurnRate, verdict.Rule.Severity,
            $"{what} burning its error budget at {verdict.LongBurn:F1}x",
            FormattableString.Invariant($"{verdict.Rule.Name}: burn {verdict.LongBurn:F1}x over {verdict.Rule.LongWindow.TotalHours:0.#} h and {verdict.ShortBurn:F1}x over {verdict.Rule.ShortWindow.TotalMinutes:0} min (threshold {verdict.Rule.Factor}x)"),
            verdict.LongBurn, verdict.Rule.Factor, providerId, accountId, connectionId);
    }
}

/// <summary>The recurring evaluation over every tenant.</summary>
public sealed class AlertEvaluationJob(IDbContextFactory<IntegrationHealthDbContext> dbFactory, AlertEvaluator evaluator) : IRecurringJob
{
    public const string RecurringJobId = "analytics-alerts";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        List<int> tenants;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            tenants = await db.Tenants.Select(t => t.Id).ToListAsync(cancellationToken);
        foreach (var tenant in tenants) await evaluator.EvaluateAsync(tenant, cancellationToken);
    }
}
