using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Analytics.Scoring;

/// <summary>The daily score job: every tenant's accounts scored as of 00:00 UTC today and kept as that day's history
/// row (re-running the day replaces its rows, so it is idempotent).</summary>
public sealed class ScoreJob(ChurnRiskScorer scorer, IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var day = Rollups.RollupFold.Floor(time.GetUtcNow().UtcDateTime, TimeSpan.FromDays(1));
        List<int> tenants;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            tenants = await db.Accounts.AsNoTracking().Select(a => a.TenantId).Distinct().ToListAsync(cancellationToken);
        foreach (var tenant in tenants) await ScoreDayAsync(tenant, day, cancellationToken);
    }

    /// <summary>Scores one tenant as of <paramref name="day"/> (00:00 UTC) and stores the history rows.</summary>
    public async Task<TenantScores> ScoreDayAsync(int tenantId, DateTime day, CancellationToken cancellationToken = default)
    {
        var scores = await scorer.ScoreAsync(tenantId, day, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.AccountScores.Where(s => s.TenantId == tenantId && s.Day == day).ExecuteDeleteAsync(cancellationToken);
        db.AccountScores.AddRange(scores.Scores.Select(s => ToRow(tenantId, day, s, now)));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return scores;
    }

    public static AccountScore ToRow(int tenantId, DateTime day, ScoreResult s, DateTime now) => new()
    {
        TenantId = tenantId, AccountId = s.AccountId, Day = day, Scorer = s.Scorer, Score = s.Score, Band = s.Band,
        Probability = s.Probability, Explanation = Truncate(s.Explanation, 4000), Factors = JsonSerializer.Serialize(s.Factors, FactorJson),
        ComputedAt = now,
    };

    internal static readonly JsonSerializerOptions FactorJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
