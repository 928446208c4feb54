using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Alerts;

/// <summary>A problem an evaluation found now; <see cref="DedupKey"/> says which problem it is.</summary>
public sealed record AlertSignal(string DedupKey, AlertKind Kind, AlertSeverity Severity, string Title, string Detail, double Value,
    double Threshold, int? ProviderId = null, int? AccountId = null, int? ConnectionId = null);

public enum AlertChangeKind
{
    Opened,
    Updated,
    Resolved,
}

/// <summary>What an evaluation did to one alert (the outbox announces <see cref="AlertChangeKind.Opened"/> and
/// <see cref="AlertChangeKind.Resolved"/>).</summary>
public sealed record AlertChange(AlertChangeKind Kind, Alert Alert);

/// <summary>
/// The alert lifecycle, open → acknowledged → resolved, deduplicated: while a problem keeps firing it stays one
/// alert (its last-seen time, value and occurrence count move on), whether open or acknowledged; it resolves itself
/// once it has not fired for the quiet period; a problem that fires after its alert resolved is a new alert (a new
/// incident, so incident durations stay true). Only kinds the evaluation looked at are resolved: a skipped anomaly
/// pass must not resolve anomalies.
/// </summary>
public static class AlertBook
{
    /// <summary>Applies one evaluation: <paramref name="unresolved"/> are the tenant's alerts not yet resolved
    /// (changed in place), <paramref name="firing"/> what fires now.</summary>
    public static IReadOnlyList<AlertChange> Apply(int tenantId, IReadOnlyList<Alert> unresolved, IReadOnlyList<AlertSignal> firing,
        IReadOnlySet<AlertKind> evaluated, DateTime now, TimeSpan quietPeriod)
    {
        var changes = new List<AlertChange>();
        var byKey = unresolved.Where(a => a.State != AlertState.Resolved).ToDictionary(a => a.DedupKey);
        foreach (var signal in firing.GroupBy(s => s.DedupKey).Select(g => g.OrderByDescending(s => s.Value).First()))
        {
            if (byKey.TryGetValue(signal.DedupKey, out var alert))
            {
                alert.LastSeenAt = now;
                alert.Occurrences++;
                alert.Value = signal.Value;
                alert.Detail = signal.Detail;
                changes.Add(new AlertChange(AlertChangeKind.Updated, alert));
                continue;
            }
            var opened = new Alert
            {
                TenantId = tenantId, DedupKey = signal.DedupKey, Kind = signal.Kind, Severity = signal.Severity, State = AlertState.Open,
                ProviderId = signal.ProviderId, AccountId = signal.AccountId, ConnectionId = signal.ConnectionId, Title = signal.Title,
                Detail = signal.Detail, Value = signal.Value, Threshold = signal.Threshold, OpenedAt = now, LastSeenAt = now, Occurrences = 1,
            };
            byKey[signal.DedupKey] = opened;
            changes.Add(new AlertChange(AlertChangeKind.Opened, opened));
        }
        var firingKeys = firing.Select(s => s.DedupKey).ToHashSet();
        foreach (var alert in unresolved)
        {
            if (alert.State == AlertState.Resolved || firingKeys.Contains(alert.DedupKey) || !evaluated.Contains(alert.Kind)) continue;
            if (now - alert.LastSeenAt < quietPeriod) continue;
            alert.State = AlertState.Resolved;
            alert.ResolvedAt = now;
            changes.Add(new AlertChange(AlertChangeKind.Resolved, alert));
        }
        return changes;
    }

    public enum AcknowledgeOutcome
    {
        Acknowledged,
        AlreadyAcknowledged,
        AlreadyResolved,
    }

    /// <summary>Acknowledges an open alert; acknowledging twice keeps the first time and person.</summary>
    public static AcknowledgeOutcome Acknowledge(Alert alert, DateTime now, string by)
    {
        switch (alert.State)
        {
            case AlertState.Resolved:
                return AcknowledgeOutcome.AlreadyResolved;
            case AlertState.Acknowledged:
                return AcknowledgeOutcome.AlreadyAcknowledged;
            default:
                alert.State = AlertState.Acknowledged;
                alert.AcknowledgedAt = now;
                alert.AcknowledgedBy = by;
                return AcknowledgeOutcome.Acknowledged;
        }
    }
}
