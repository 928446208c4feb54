using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Data;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Derivation;

/// <summary>
/// The windows read from analytics' per-minute rollups (<c>provider_rollups</c>: one row per tenant, provider, resource
/// and minute), the default source: a handful of rows per component and run whatever the traffic. A component without
/// a resource merges the provider's resources minute by minute (sums, and the mergeable latency histograms, so its
/// percentiles are those of all its requests). The rollup job runs every few minutes, so the newest minutes appear
/// with that delay; <see cref="RawTelemetryWindowReader"/> (<c>StatusPage:Derivation:Source=events</c>) reads the
/// events themselves instead.
/// </summary>
public sealed class RollupTelemetryWindowReader : ITelemetryWindowReader
{
    public async Task<IReadOnlyList<MinuteWindow>> ReadAsync(IntegrationHealthDbContext db, TelemetrySource source, DateTime from, DateTime to,
        CancellationToken cancellationToken)
    {
        var start = new DateTime(from.Ticks - from.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        var query = db.ProviderRollups.AsNoTracking().Where(r => r.TenantId == source.TenantId && r.ProviderId == source.ProviderId
            && r.BucketStart >= start && r.BucketStart < to && r.Requests > 0);
        if (source.Resource is { } resource) query = query.Where(r => r.Resource == resource);
        var rows = await query.Select(r => new { r.BucketStart, r.Requests, r.Errors, r.LatencyHistogram }).ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => r.BucketStart).OrderBy(g => g.Key).Select(g =>
        {
            var histogram = new LatencyHistogram();
            foreach (var row in g) histogram.Merge(row.LatencyHistogram);
            return new MinuteWindow(DateTime.SpecifyKind(g.Key, DateTimeKind.Utc), g.Sum(r => r.Requests), g.Sum(r => r.Errors),
                histogram.Quantile(0.50), histogram.Quantile(0.95), histogram.Quantile(0.99));
        })];
    }
}
