using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Web.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Analytics.Issues;

/// <summary>The hourly issue job: per tenant, <see cref="IssueDetector"/> over the rollups, <see cref="IssueLifecycle"/>
/// over the stored issues, then the transitions handed to the webhook outbox (when one is registered) with an
/// idempotency key per issue and transition, so a re-run never sends one twice. Muted issues send nothing.</summary>
public sealed class IssueJob(IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time, IOptions<IssueOptions> options,
    IServiceProvider services, ILogger<IssueJob> logger) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        List<int> tenants;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            tenants = await db.Accounts.AsNoTracking().Select(a => a.TenantId).Distinct().ToListAsync(cancellationToken);
        foreach (var tenant in tenants) await RunTenantAsync(tenant, cancellationToken);
    }

    public async Task<List<(ConnectionIssue Issue, IssueTransition Transition)>> RunTenantAsync(int tenantId, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var hoursFrom = now - (o.Window > TimeSpan.FromDays(o.StaleDays) ? o.Window : TimeSpan.FromDays(o.StaleDays)) - TimeSpan.FromHours(1);
        var daysFrom = now.AddDays(-o.StaleDays - 9);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hours = await db.ConnectionRollups.AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.Grain == RollupGrain.Hour && r.BucketStart >= hoursFrom).ToListAsync(cancellationToken);
        var days = await db.ConnectionRollups.AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.Grain == RollupGrain.Day && r.BucketStart >= daysFrom).ToListAsync(cancellationToken);
        var names = await db.Providers.AsNoTracking().Where(p => p.TenantId == null || p.TenantId == tenantId).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var findings = IssueDetector.Detect(hours, days, now, o, id => names.GetValueOrDefault(id) ?? "provider " + id);
        var lastSuccess = hours.Concat(days).Where(r => r.LastSuccessAt is not null).GroupBy(r => (r.AccountId, r.ProviderId, r.ConnectionId))
            .ToDictionary(g => g.Key, g => g.Max(r => r.LastSuccessAt!.Value));
        var issues = await db.ConnectionIssues.Where(i => i.TenantId == tenantId).ToListAsync(cancellationToken);
        var changes = IssueLifecycle.Apply(tenantId, issues, findings, lastSuccess, now, o.QuietPeriod);
        foreach (var (issue, transition) in changes.Where(c => c.Transition == IssueTransition.Opened)) db.ConnectionIssues.Add(issue);
        await db.SaveChangesAsync(cancellationToken);
        AnalyticsLog.IssuesDetected(logger, tenantId, changes.Count(c => c.Transition == IssueTransition.Opened),
            changes.Count(c => c.Transition == IssueTransition.Reopened), changes.Count(c => c.Transition == IssueTransition.Updated),
            changes.Count(c => c.Transition == IssueTransition.Resolved));
        var outbox = services.GetService(typeof(IWebhookOutbox)) as IWebhookOutbox;
        if (outbox is not null)
        {
            foreach (var (issue, transition) in changes.Where(c => c.Transition != IssueTransition.Updated && c.Issue.MutedAt is null))
                await NotifyAsync(outbox, issue, transition.ToString().ToLowerInvariant(), issue.UpdatedAt, cancellationToken);
        }

        return changes;
    }

    /// <summary>Hands one transition to the outbox as <c>connection_issue.&lt;transition&gt;</c>.</summary>
    public static Task NotifyAsync(IWebhookOutbox outbox, ConnectionIssue issue, string transition, DateTime at, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync(issue.TenantId, "connection_issue." + transition, IssueView.Of(issue, null),
            $"connection-issue:{issue.Id}:{transition}:{at.Ticks}", cancellationToken);
}
