using System.Diagnostics;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Analytics.Scoring;

/// <summary>What scoring a tenant at an instant produced, and with which scorer and why.</summary>
public sealed record TenantScores(DateTime AsOf, ScorerKind Scorer, double? ModelAuc, string? FallbackReason, IReadOnlyList<ScoreResult> Scores);

/// <summary>
/// Scores a tenant's accounts as of any instant: measures from <see cref="EvidenceLoader"/>, then the scorecard, or
/// the calibrated model fitted on the tenant's own churn history before that instant (accounts scored at weekly
/// instants, labelled by whether they churned within the horizon after, which must have passed by the as-of instant),
/// falling back to the scorecard when that history is too small.
/// </summary>
public sealed class ChurnRiskScorer(EvidenceLoader loader, IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    IOptions<ScoringOptions> options, ILogger<ChurnRiskScorer> logger)
{
    private static readonly int Width = Enum.GetValues<MeasureGroup>().Length;

    public async Task<TenantScores> ScoreAsync(int tenantId, DateTime asOf, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var o = options.Value;
        var evidence = await loader.LoadAsync(tenantId, asOf, cancellationToken);
        var measures = Measures(evidence, asOf);
        ChurnModel? model = null;
        string? reason = null;
        if (o.Scorer != "scorecard")
        {
            var examples = await TrainingExamplesAsync(tenantId, asOf, cancellationToken);
            model = ChurnModel.Fit(examples, o.MinimumExamples, o.L2, out reason, o.ModelPrior());
            if (model is null)
                AnalyticsLog.ModelFallback(logger, tenantId, o.MinimumExamples, examples.Count(e => e.Churned), examples.Count(e => !e.Churned));
        }
        else
        {
            reason = "the scorecard is configured";
        }

        var scores = measures.Select(m => model is null ? ScorecardScorer.Score(m.AccountId, m.Measures, o) : ModelScore(model, m.AccountId, m.Measures, o)).ToList();
        var kind = model is null ? ScorerKind.Scorecard : ScorerKind.Model;
        AnalyticsLog.ScoresComputed(logger, tenantId, scores.Count, asOf, kind == ScorerKind.Model ? "model" : "scorecard", clock.ElapsedMilliseconds);
        return new TenantScores(asOf, kind, model?.BacktestAuc, reason, scores);
    }

    /// <summary>The measures of every account live at the instant.</summary>
    public static List<(int AccountId, IReadOnlyList<Measure> Measures)> Measures(EvidenceLoader.TenantEvidence evidence, DateTime asOf)
    {
        var baselines = ProviderBaselines.From(evidence.Accounts, asOf, MeasureExtractor.Recent);
        string Name(int id) => evidence.ProviderNames.GetValueOrDefault(id) ?? "provider " + id;
        return evidence.Accounts.Select(a => (a.AccountId, MeasureExtractor.Extract(a, baselines, asOf, Name))).ToList();
    }

    public static double[] Features(IReadOnlyList<Measure> measures) => measures.OrderBy(m => m.Group).Select(m => m.Risk).ToArray();

    /// <summary>Training examples from the tenant's history before <paramref name="asOf"/>: accounts at weekly
    /// instants whose horizon has passed, labelled by churn within it.</summary>
    public async Task<List<ChurnExample>> TrainingExamplesAsync(int tenantId, DateTime asOf, CancellationToken cancellationToken)
    {
        var o = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var earliest = await db.ConnectionRollups.AsNoTracking().Where(r => r.TenantId == tenantId && r.Grain == RollupGrain.Day)
            .MinAsync(r => (DateTime?)r.BucketStart, cancellationToken);
        if (earliest is null) return [];
        var churn = await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenantId && a.ChurnedAt != null && a.ChurnedAt < asOf)
            .ToDictionaryAsync(a => a.Id, a => a.ChurnedAt!.Value, cancellationToken);
        var examples = new List<ChurnExample>();
        var horizon = TimeSpan.FromDays(o.HorizonDays);
        // The newest instant whose horizon has passed, then weekly back while 14 days of data precede it.
        for (var t = Rollups.RollupFold.Floor(asOf - horizon, TimeSpan.FromDays(1)); t >= earliest.Value.AddDays(14) && examples.Count < 200_000; t = t.AddDays(-7))
        {
            var evidence = await loader.LoadAsync(tenantId, t, cancellationToken);
            foreach (var (account, measures) in Measures(evidence, t))
            {
                var churned = churn.TryGetValue(account, out var at) && at >= t && at < t + horizon;
                examples.Add(new ChurnExample(Features(measures), churned, t));
            }
        }

        return examples;
    }

    private static ScoreResult ModelScore(ChurnModel model, int accountId, IReadOnlyList<Measure> measures, ScoringOptions o)
    {
        var ordered = measures.OrderBy(m => m.Group).ToList();
        var x = Features(ordered);
        var p = model.Probability(x);
        var contributions = model.Contributions(x);
        var factors = ordered.Select((m, i) => new ScoreFactor(MeasureNames.Of(m.Group), Math.Round(m.Risk, 4),
            Math.Round(model.Weights[i], 3), Math.Round(contributions[i], 3), RiskBands.OfMeasure(m.Risk), m.Evidence)).ToList();
        var score = Math.Round(100 * p, 1);
        // Points are log-odds here: explain by those that push the probability up.
        var explanation = ScoreResult.Explain(factors.Select(f => f with { Points = f.Points * 10 }));
        return new ScoreResult(accountId, score, o.BandOf(score), ScorerKind.Model, Math.Round(p, 4), factors, explanation);
    }
}
