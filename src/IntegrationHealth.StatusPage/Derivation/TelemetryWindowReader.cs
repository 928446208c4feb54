using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Derivation;

/// <summary>What a component's status is derived from: one tenant's provider (and optionally one resource), minute by
/// minute.</summary>
public readonly record struct TelemetrySource(int TenantId, int ProviderId, string? Resource);

/// <summary>Reads the per-minute request windows of a telemetry source.</summary>
public interface ITelemetryWindowReader
{
    /// <summary>The minutes from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) that have
    /// requests, oldest first.</summary>
    Task<IReadOnlyList<MinuteWindow>> ReadAsync(IntegrationHealthDbContext db, TelemetrySource source, DateTime from, DateTime to, CancellationToken cancellationToken);
}

/// <summary>
/// The windows computed from raw telemetry: the request events of the window, one query per minute reading only the
/// outcome and latency (the telemetry index on (tenant, provider, occurred_at) serves it), percentiles exact. Reading
/// raw events costs in proportion to traffic; the analytics rollups (per provider × resource per minute) are the
/// cheaper source once they exist. A minute holding more than <see cref="MaxEventsPerMinute"/> requests is judged on
/// the first that many.
/// </summary>
public sealed class RawTelemetryWindowReader : ITelemetryWindowReader
{
    public const int MaxEventsPerMinute = 100_000;

    public async Task<IReadOnlyList<MinuteWindow>> ReadAsync(IntegrationHealthDbContext db, TelemetrySource source, DateTime from, DateTime to,
        CancellationToken cancellationToken)
    {
        var windows = new List<MinuteWindow>();
        var start = new DateTime(from.Ticks - from.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        for (var minute = start; minute < to; minute = minute.AddMinutes(1))
        {
            var end = minute.AddMinutes(1) < to ? minute.AddMinutes(1) : to;
            var query = db.TelemetryEvents.AsNoTracking().Where(e => e.TenantId == source.TenantId && e.ProviderId == source.ProviderId
                && e.OccurredAt >= minute && e.OccurredAt < end && e.Kind == TelemetryKind.Request);
            if (source.Resource is { } resource) query = query.Where(e => e.Resource == resource);
            var rows = await query.Select(e => new { e.Outcome, e.LatencyMs }).Take(MaxEventsPerMinute).ToListAsync(cancellationToken);
            if (rows.Count == 0) continue;
            var latencies = rows.Where(r => r.LatencyMs is not null).Select(r => (double)r.LatencyMs!.Value).Order().ToArray();
            windows.Add(new MinuteWindow(minute, rows.Count, rows.Count(r => r.Outcome == TelemetryOutcome.Failure),
                Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99)));
        }
        return windows;
    }

    /// <summary>Nearest-rank percentile of sorted values; null when there are none.</summary>
    public static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
