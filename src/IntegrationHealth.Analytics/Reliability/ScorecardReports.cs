using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Analytics.Reliability;

/// <summary>A scorecard line on the wire: the provider's key, or null for the overall line.</summary>
public sealed record ScorecardView(string? Provider, DateTime PeriodStart, DateTime PeriodEnd, IReadOnlyList<ScorecardMeasure> Measures);

/// <summary>
/// The data layer of the scorecards: for each period, request and success counts per provider (one grouped count
/// per period), the alerts opened in it (incidents) and the support tickets opened in it.
/// </summary>
public sealed class ScorecardReports(IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time)
{
    public async Task<List<ScorecardView>> BuildAsync(int tenantId, ScorecardPeriod period, int periods, ScorecardTargets targets,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var current = ReliabilityScorecard.PeriodStart(now, period);
        var starts = Enumerable.Range(0, periods).Select(i => period == ScorecardPeriod.Monthly ? current.AddMonths(-i) : current.AddDays(-7 * i)).ToList();
        var from = starts[^1];
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var providers = await db.Providers.AsNoTracking().Where(p => p.TenantId == null || p.TenantId == tenantId).ToDictionaryAsync(p => p.Id, p => p.Key, cancellationToken);
        var incidents = await db.Alerts.AsNoTracking().Where(a => a.TenantId == tenantId && a.OpenedAt >= from)
            .Select(a => new { a.ProviderId, a.OpenedAt, a.AcknowledgedAt, a.ResolvedAt }).ToListAsync(cancellationToken);
        var tickets = await db.SupportTickets.AsNoTracking().Where(t => t.TenantId == tenantId && t.OpenedAt >= from)
            .Select(t => new { t.ProviderId, t.OpenedAt, t.FirstResponseAt }).ToListAsync(cancellationToken);
        var incidentTimes = incidents.Select(i => new IncidentTimes(i.ProviderId, Utc(i.OpenedAt), Utc(i.AcknowledgedAt), Utc(i.ResolvedAt))).ToList();
        var ticketTimes = tickets.Select(t => new TicketTimes(t.ProviderId, Utc(t.OpenedAt), Utc(t.FirstResponseAt))).ToList();

        var views = new List<ScorecardView>();
        foreach (var start in starts)
        {
            var end = ReliabilityScorecard.PeriodEnd(start, period);
            var counts = await db.TelemetryEvents.AsNoTracking()
                .Where(e => e.TenantId == tenantId && e.Kind == TelemetryKind.Request && e.OccurredAt >= start && e.OccurredAt < end)
                .GroupBy(e => e.ProviderId)
                .Select(g => new { ProviderId = g.Key, Total = g.LongCount(), Successes = g.LongCount(e => e.Outcome == TelemetryOutcome.Success) })
                .ToListAsync(cancellationToken);
            var overall = ReliabilityScorecard.Compute(null, start, period, counts.Sum(c => c.Total), counts.Sum(c => c.Successes),
                incidentTimes, ticketTimes, now, targets);
            views.Add(new ScorecardView(null, overall.PeriodStart, overall.PeriodEnd, overall.Measures));
            var ids = counts.Select(c => c.ProviderId).Concat(incidentTimes.Where(i => i.ProviderId is not null).Select(i => i.ProviderId!.Value))
                .Concat(ticketTimes.Where(t => t.ProviderId is not null).Select(t => t.ProviderId!.Value)).Distinct().Order();
            foreach (var id in ids)
            {
                var c = counts.FirstOrDefault(x => x.ProviderId == id);
                var line = ReliabilityScorecard.Compute(id, start, period, c?.Total ?? 0, c?.Successes ?? 0,
                    incidentTimes.Where(i => i.ProviderId == id), ticketTimes.Where(t => t.ProviderId == id), now, targets);
                views.Add(new ScorecardView(providers.GetValueOrDefault(id, id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    line.PeriodStart, line.PeriodEnd, line.Measures));
            }
        }
        return views;
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
