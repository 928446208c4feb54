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
        var data = await inputs.ReadAsync(tenantId, now, o, cancellationToken);
        var signals = Signals(data, now, o);

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

    /// <summary>Every alert signal the data gives at <paramref name="now"/> (pure).</summary>
    public static List<AlertSignal> Signals(AlertData data, DateTime now, AlertOptions o)
    {
        var signals = new List<AlertSignal>();
        foreach (var (providerId, minutes) in data.ProviderRequests)
        {
            if (BurnRate.Worst(BurnRate.Evaluate(minutes, now, o.Objective, o.MinProviderEvents)) is { } worst)
                signals.Add(BurnSignal(worst, $"provider:{providerId}", "Provider", providerId, null, null));
            var sustained = RollbackTriggers.SustainedErrorRate(minutes, now);
            if (sustained.Fires)
                signals.Add(new AlertSignal($"rollback:error-rate:provider:{providerId}", AlertKind.RollbackTrigger, AlertSeverity.Page,
                    "Rollback trigger: provider error rate above 1% for over 10 minutes", sustained.Detail, sustained.Value, 0.01, ProviderId: providerId));
        }
        foreach (var connection in data.Connections)
        {
            if (BurnRate.Worst(BurnRate.Evaluate(connection.Buckets, now, o.Objective, o.MinConnectionEvents)) is { } worst)
                signals.Add(BurnSignal(worst, $"connection:{connection.ConnectionId}", "Connection", connection.ProviderId, connection.AccountId, connection.ConnectionId));
        }
        foreach (var (providerId, refreshes) in data.ProviderRefreshes)
        {
            var verdict = RollbackTriggers.RefreshFailureSpread(refreshes, now);
            if (verdict.Fires)
                signals.Add(new AlertSignal($"rollback:refresh-failures:provider:{providerId}", AlertKind.RollbackTrigger, AlertSeverity.Page,
                    "Rollback trigger: OAuth refresh failing at more than 5 accounts", verdict.Detail, verdict.Value, 5, ProviderId: providerId));
        }
        foreach (var (providerId, deliveries) in data.ProviderWebhooks)
        {
            var verdict = RollbackTriggers.WebhookDeliverySuccess(deliveries, now);
            if (verdict.Fires)
                signals.Add(new AlertSignal($"rollback:webhook-success:provider:{providerId}", AlertKind.RollbackTrigger, AlertSeverity.Page,
                    "Rollback trigger: webhook delivery success below 95%", verdict.Detail, verdict.Value, 0.95, ProviderId: providerId));
        }
        foreach (var pair in data.AnomalyCandidates)
        {
            var verdict = RobustBaseline.Judge(pair.History, data.HistoryStart, pair.Current.Start, pair.Current.Rate, o.BaselineWeeks, o.AnomalyThreshold);
            if (verdict.IsAnomaly)
                signals.Add(new AlertSignal($"anomaly:account:{pair.AccountId}:provider:{pair.ProviderId}", AlertKind.Anomaly,
                    AlertSeverity.Ticket, "Error rate far above this account's usual for the hour of the week", verdict.Reason, verdict.Score,
                    o.AnomalyThreshold, ProviderId: pair.ProviderId, AccountId: pair.AccountId));
        }
        return signals;
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
