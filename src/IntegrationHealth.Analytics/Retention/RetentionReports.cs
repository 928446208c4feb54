using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Analytics.Retention;

/// <summary>
/// The data layer of the retention summary over the last <c>days</c>: accounts, their connections (healthy: active,
/// and under 5% failed requests and syncs over the last 7 days), latest NPS in the period, tickets opened in it, and
/// distinct integration-feature users (usage events) per day over the last 30 days and over all 30.
/// </summary>
public sealed class RetentionReports(IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time)
{
    public async Task<RetentionReport> BuildAsync(int tenantId, int days, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var start = now.AddDays(-days);
        var week = now.AddDays(-7);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenantId)
            .Select(a => new { a.Id, a.Segment, a.Arr, a.CreatedAt, a.ChurnedAt }).ToListAsync(cancellationToken);
        var connections = await db.Connections.AsNoTracking().Where(c => c.TenantId == tenantId)
            .Select(c => new { c.Id, c.AccountId, c.Status }).ToListAsync(cancellationToken);
        var failure = await db.TelemetryEvents.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.OccurredAt >= week && e.ConnectionId != null
                && (e.Kind == TelemetryKind.Request || e.Kind == TelemetryKind.SyncRun))
            .GroupBy(e => e.ConnectionId)
            .Select(g => new { ConnectionId = g.Key, Total = g.Count(), Failed = g.Count(e => e.Outcome == TelemetryOutcome.Failure) })
            .ToDictionaryAsync(x => x.ConnectionId!.Value, x => x.Total == 0 ? 0 : (double)x.Failed / x.Total, cancellationToken);
        var nps = await db.SurveyResponses.AsNoTracking().Where(s => s.TenantId == tenantId && s.RespondedAt >= start)
            .Select(s => new { s.AccountId, s.Score, s.RespondedAt }).ToListAsync(cancellationToken);
        var tickets = await db.SupportTickets.AsNoTracking().Where(t => t.TenantId == tenantId && t.OpenedAt >= start)
            .Select(t => new { t.AccountId, t.Category }).ToListAsync(cancellationToken);

        var latestNps = nps.GroupBy(n => n.AccountId).ToDictionary(g => g.Key, g => g.OrderBy(n => n.RespondedAt).Last().Score);
        var connectionsOf = connections.ToLookup(c => c.AccountId);
        var ticketsOf = tickets.ToLookup(t => t.AccountId);
        var input = accounts.Select(a =>
        {
            var own = connectionsOf[a.Id].ToList();
            var healthy = own.Count(c => c.Status == ConnectionStatus.Active && failure.GetValueOrDefault(c.Id, 0) < 0.05);
            var activeAtStart = a.CreatedAt < start && (a.ChurnedAt is null || a.ChurnedAt >= start);
            var churned = a.ChurnedAt is { } churnedAt && churnedAt >= start && churnedAt < now;
            return new RetentionAccount(a.Segment, a.Arr, own.Count, healthy, activeAtStart, churned,
                latestNps.TryGetValue(a.Id, out var score) ? score : null,
                ticketsOf[a.Id].Count(t => t.Category == SupportTicketCategory.Integration), ticketsOf[a.Id].Count());
        }).ToList();

        var daily = new List<int>();
        var monthStart = now.AddDays(-30);
        var usage = db.TelemetryEvents.AsNoTracking().Where(e => e.TenantId == tenantId && e.Kind == TelemetryKind.Usage && e.UserId != null);
        for (var day = monthStart; day < now; day = day.AddDays(1))
        {
            var end = day.AddDays(1);
            daily.Add(await usage.Where(e => e.OccurredAt >= day && e.OccurredAt < end).Select(e => new { e.AccountId, e.UserId }).Distinct().CountAsync(cancellationToken));
        }
        var monthly = await usage.Where(e => e.OccurredAt >= monthStart && e.OccurredAt < now).Select(e => new { e.AccountId, e.UserId }).Distinct().CountAsync(cancellationToken);
        return RetentionSummary.Compute(input, daily, monthly);
    }
}
