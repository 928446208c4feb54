using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Analytics.Scoring;

/// <summary>The evidence of a tenant's accounts as of an instant, from the rollups and the feedback tables: only what
/// happened before the instant (day rollups of the days before it, hour rollups of its own day up to its hour), so a
/// score as of a past instant sees what a score computed then would have seen (bar events that arrived late).</summary>
public sealed class EvidenceLoader(IDbContextFactory<IntegrationHealthDbContext> dbFactory)
{
    /// <summary>How far back the measures look.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(36);

    public sealed record TenantEvidence(List<AccountEvidence> Accounts, Dictionary<int, string> ProviderNames);

    public async Task<TenantEvidence> LoadAsync(int tenantId, DateTime asOf, CancellationToken cancellationToken = default,
        IReadOnlyCollection<int>? accountIds = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var day = RollupFold.Floor(asOf, TimeSpan.FromDays(1));
        var hour = RollupFold.Floor(asOf, TimeSpan.FromHours(1));
        var from = day - Lookback;
        var accountsQuery = db.Accounts.AsNoTracking().Where(a => a.TenantId == tenantId && a.CreatedAt < asOf && (a.ChurnedAt == null || a.ChurnedAt >= asOf));
        if (accountIds is not null) accountsQuery = accountsQuery.Where(a => accountIds.Contains(a.Id));
        var accounts = await accountsQuery.Select(a => new { a.Id, a.Name, a.Arr }).ToListAsync(cancellationToken);
        var ids = accounts.Select(a => a.Id).ToHashSet();
        bool Wanted(int id) => ids.Contains(id);

        var rollups = await db.ConnectionRollups.AsNoTracking()
            .Where(r => r.TenantId == tenantId && ((r.Grain == RollupGrain.Day && r.BucketStart >= from && r.BucketStart < day)
                || (r.Grain == RollupGrain.Hour && r.BucketStart >= day && r.BucketStart < hour)))
            .ToListAsync(cancellationToken);
        var users = await db.ActiveUserDays.AsNoTracking().Where(u => u.TenantId == tenantId && u.Day >= from && u.Day < asOf).ToListAsync(cancellationToken);
        var ticketsFrom = asOf.AddDays(-30);
        var tickets = await db.SupportTickets.AsNoTracking().Where(t => t.TenantId == tenantId && t.OpenedAt >= ticketsFrom && t.OpenedAt < asOf).ToListAsync(cancellationToken);
        var surveysFrom = asOf.AddDays(-180);
        var surveys = await db.SurveyResponses.AsNoTracking().Where(s => s.TenantId == tenantId && s.RespondedAt >= surveysFrom && s.RespondedAt < asOf).ToListAsync(cancellationToken);
        var issues = await db.ConnectionIssues.AsNoTracking()
            .Where(i => i.TenantId == tenantId && i.FirstSeenAt < asOf && (i.ResolvedAt == null || i.ResolvedAt > asOf) && i.MutedAt == null)
            .ToListAsync(cancellationToken);
        var connections = await db.Connections.AsNoTracking().Where(c => c.TenantId == tenantId && c.CreatedAt < asOf)
            .GroupBy(c => c.AccountId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var names = await db.Providers.AsNoTracking().Where(p => p.TenantId == null || p.TenantId == tenantId)
            .ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);

        var byAccount = rollups.Where(r => Wanted(r.AccountId)).ToLookup(r => r.AccountId);
        var usersBy = users.Where(u => Wanted(u.AccountId)).ToLookup(u => u.AccountId);
        var ticketsBy = tickets.ToLookup(t => t.AccountId);
        var surveysBy = surveys.ToLookup(s => s.AccountId);
        var issuesBy = issues.ToLookup(i => i.AccountId);
        var evidence = accounts.Select(a => new AccountEvidence
        {
            AccountId = a.Id, Name = a.Name, Arr = a.Arr, Rollups = [.. byAccount[a.Id]], ActiveUsers = [.. usersBy[a.Id]],
            Tickets = [.. ticketsBy[a.Id]], Surveys = [.. surveysBy[a.Id]], OpenIssues = [.. issuesBy[a.Id]],
            Connections = connections.GetValueOrDefault(a.Id),
        }).ToList();
        return new TenantEvidence(evidence, names);
    }
}
