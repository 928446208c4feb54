using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Analytics.Alerts;

/// <summary>One connection's request buckets.</summary>
public sealed record ConnectionSeries(int ConnectionId, int AccountId, int ProviderId, List<CountBucket> Buckets);

/// <summary>One account × provider's last whole hour and its same-hour-of-week history.</summary>
public sealed record AccountProviderHour(int AccountId, int ProviderId, CountBucket Current, Dictionary<DateTime, double> History);

/// <summary>Everything one alert evaluation reads, already in buckets: the computations never see the store.</summary>
public sealed record AlertData(
    Dictionary<int, List<CountBucket>> ProviderRequests,
    Dictionary<int, List<CountBucket>> ProviderWebhooks,
    List<ConnectionSeries> Connections,
    Dictionary<int, List<RefreshOutcome>> ProviderRefreshes,
    List<AccountProviderHour> AnomalyCandidates,
    DateTime HistoryStart);

/// <summary>
/// The thin data layer of the alert evaluation, on the rollups: per-minute provider rollups (requests, errors, webhook
/// outcomes) for the last 3 days; hourly connection rollups for connections' long windows, with the last 7 hours
/// from raw telemetry at minute grain for the short windows (5 min to 6 h); hourly rollups of the last whole hour and
/// of the same hour 1–N weeks before for anomalies (only pairs with traffic in that hour, so the read is a handful of
/// hour buckets, not weeks of them); raw token-refresh events of the last 15 minutes ("at once"). What is read grows
/// with the tenant's current activity, not with history.
/// </summary>
public sealed class AlertInputs(IDbContextFactory<IntegrationHealthDbContext> dbFactory)
{
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(3);
    public static readonly TimeSpan RawWindow = TimeSpan.FromHours(7);
    public static readonly TimeSpan RefreshWindow = TimeSpan.FromMinutes(15);

    public async Task<AlertData> ReadAsync(int tenantId, DateTime now, AlertOptions options, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var from = now - LongestWindow;
        var minutes = await db.ProviderRollups.AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.BucketStart >= from && r.BucketStart < now)
            .GroupBy(r => new { r.ProviderId, r.BucketStart })
            .Select(g => new { g.Key.ProviderId, g.Key.BucketStart, Requests = g.Sum(r => r.Requests), Errors = g.Sum(r => r.Errors),
                Hooks = g.Sum(r => r.WebhookSuccesses + r.WebhookFailures), HookFailures = g.Sum(r => r.WebhookFailures) })
            .ToListAsync(cancellationToken);
        var providerRequests = minutes.Where(m => m.Requests > 0).GroupBy(m => m.ProviderId)
            .ToDictionary(g => g.Key, g => g.Select(m => new CountBucket(Utc(m.BucketStart), m.Requests, m.Errors)).OrderBy(b => b.Start).ToList());
        var providerWebhooks = minutes.Where(m => m.Hooks > 0).GroupBy(m => m.ProviderId)
            .ToDictionary(g => g.Key, g => g.Select(m => new CountBucket(Utc(m.BucketStart), m.Hooks, m.HookFailures)).OrderBy(b => b.Start).ToList());

        // Connections: hours wholly before the cut from hourly rollups, the rest from raw events by minute.
        var cut = FloorHour(now - RawWindow);
        var hours = await db.ConnectionRollups.AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.Grain == RollupGrain.Hour && r.ConnectionId != 0 && r.BucketStart >= from && r.BucketStart < cut)
            .GroupBy(r => new { r.ConnectionId, r.AccountId, r.ProviderId, r.BucketStart })
            .Select(g => new { g.Key.ConnectionId, g.Key.AccountId, g.Key.ProviderId, g.Key.BucketStart, Requests = g.Sum(r => r.Requests), Errors = g.Sum(r => r.Errors) })
            .ToListAsync(cancellationToken);
        var raw = await db.TelemetryEvents.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.OccurredAt >= cut && e.OccurredAt < now && e.ConnectionId != null
                && (e.Kind == TelemetryKind.Request || e.Kind == TelemetryKind.TokenRefresh))
            .Select(e => new { e.ConnectionId, e.AccountId, e.ProviderId, e.Kind, e.Outcome, e.OccurredAt })
            .ToListAsync(cancellationToken);
        var connections = hours.Where(h => h.Requests > 0)
            .Select(h => (h.ConnectionId, h.AccountId, h.ProviderId, Bucket: new CountBucket(Utc(h.BucketStart), h.Requests, h.Errors)))
            .Concat(raw.Where(e => e.Kind == TelemetryKind.Request)
                .GroupBy(e => new { e.ConnectionId, e.AccountId, e.ProviderId, Minute = FloorMinute(Utc(e.OccurredAt)) })
                .Select(g => (ConnectionId: g.Key.ConnectionId!.Value, g.Key.AccountId, g.Key.ProviderId,
                    Bucket: new CountBucket(g.Key.Minute, g.LongCount(), g.LongCount(e => e.Outcome == TelemetryOutcome.Failure)))))
            .GroupBy(x => (x.ConnectionId, x.AccountId, x.ProviderId))
            .Select(g => new ConnectionSeries(g.Key.ConnectionId, g.Key.AccountId, g.Key.ProviderId, [.. g.Select(x => x.Bucket).OrderBy(b => b.Start)]))
            .ToList();

        var refreshFrom = now - RefreshWindow;
        var refreshes = await db.TelemetryEvents.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.Kind == TelemetryKind.TokenRefresh && e.OccurredAt >= refreshFrom && e.OccurredAt < now)
            .Select(e => new { e.AccountId, e.ProviderId, e.Outcome, e.OccurredAt }).ToListAsync(cancellationToken);
        var providerRefreshes = refreshes.GroupBy(r => r.ProviderId)
            .ToDictionary(g => g.Key, g => g.Select(r => new RefreshOutcome(r.AccountId, Utc(r.OccurredAt), r.Outcome == TelemetryOutcome.Success)).ToList());

        // Anomalies: the last whole hour, and the same hour in each of the baseline's weeks.
        var hour = FloorHour(now).AddHours(-1);
        var instants = Enumerable.Range(0, options.BaselineWeeks + 1).Select(w => hour.AddDays(-7 * w)).ToList();
        var anomalyRows = await db.ConnectionRollups.AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.Grain == RollupGrain.Hour && instants.Contains(r.BucketStart))
            .GroupBy(r => new { r.AccountId, r.ProviderId, r.BucketStart })
            .Select(g => new { g.Key.AccountId, g.Key.ProviderId, g.Key.BucketStart, Requests = g.Sum(r => r.Requests), Errors = g.Sum(r => r.Errors) })
            .ToListAsync(cancellationToken);
        var candidates = anomalyRows.GroupBy(r => (r.AccountId, r.ProviderId))
            .Select(g =>
            {
                var current = g.FirstOrDefault(r => Utc(r.BucketStart) == hour);
                if (current is null || current.Requests < options.AnomalyMinRequests) return null;
                var history = g.Where(r => Utc(r.BucketStart) != hour && r.Requests > 0)
                    .ToDictionary(r => Utc(r.BucketStart), r => (double)r.Errors / r.Requests);
                return new AccountProviderHour(g.Key.AccountId, g.Key.ProviderId, new CountBucket(hour, current.Requests, current.Errors), history);
            })
            .Where(c => c is not null).Select(c => c!).ToList();
        var earliest = await db.ConnectionRollups.AsNoTracking().Where(r => r.TenantId == tenantId && r.Grain == RollupGrain.Day)
            .OrderBy(r => r.BucketStart).Select(r => (DateTime?)r.BucketStart).FirstOrDefaultAsync(cancellationToken);
        return new AlertData(providerRequests, providerWebhooks, connections, providerRefreshes, candidates, earliest is { } e0 ? Utc(e0) : now);
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public static DateTime FloorHour(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);

    public static DateTime FloorMinute(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
}
