using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Analytics.Alerts;

/// <summary>One telemetry event as the alert evaluation needs it.</summary>
public readonly record struct SignalEvent(int AccountId, int ProviderId, int? ConnectionId, TelemetryKind Kind, bool Failed, DateTime At);

/// <summary>
/// The thin data layer of the alert evaluation: the tenant's request, token-refresh and webhook-delivery events since
/// an instant, read as narrow tuples (the two telemetry indexes serve it: tenant × account × time). The computations
/// take buckets and know nothing of the store.
/// </summary>
public sealed class AlertInputs(IDbContextFactory<IntegrationHealthDbContext> dbFactory)
{
    public async Task<List<SignalEvent>> EventsAsync(int tenantId, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.TelemetryEvents.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.OccurredAt >= from && e.OccurredAt < to
                && (e.Kind == TelemetryKind.Request || e.Kind == TelemetryKind.TokenRefresh || e.Kind == TelemetryKind.WebhookDelivery))
            .Select(e => new { e.AccountId, e.ProviderId, e.ConnectionId, e.Kind, e.Outcome, e.OccurredAt })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new SignalEvent(r.AccountId, r.ProviderId, r.ConnectionId, r.Kind, r.Outcome == TelemetryOutcome.Failure,
            DateTime.SpecifyKind(r.OccurredAt, DateTimeKind.Utc)))];
    }

    /// <summary>Events in buckets of <paramref name="size"/> (minute or hour), counting failures as bad.</summary>
    public static List<CountBucket> Bucket(IEnumerable<SignalEvent> events, TimeSpan size) =>
        [.. events.GroupBy(e => new DateTime(e.At.Ticks - e.At.Ticks % size.Ticks, DateTimeKind.Utc))
            .Select(g => new CountBucket(g.Key, g.LongCount(), g.LongCount(e => e.Failed))).OrderBy(b => b.Start)];
}
