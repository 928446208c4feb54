using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Scoring;

/// <summary>
/// The scorecard: score = Σ weight(group) × risk(group), with the weights in percent summing to 100, so each
/// factor's points are its % contribution and a score of 100 means every measure at its worst.
/// </summary>
public static class ScorecardScorer
{
    public static ScoreResult Score(int accountId, IReadOnlyList<Measure> measures, ScoringOptions options)
    {
        var factors = measures.Select(m =>
        {
            var weight = options.WeightOf(m.Group);
            return new ScoreFactor(MeasureNames.Of(m.Group), Math.Round(m.Risk, 4), weight, Math.Round(weight * m.Risk, 2),
                RiskBands.OfMeasure(m.Risk), m.Evidence);
        }).ToList();
        var score = Math.Round(Math.Clamp(factors.Sum(f => f.WeightPercent * f.Risk), 0, 100), 1);
        return new ScoreResult(accountId, score, options.BandOf(score), ScorerKind.Scorecard, null, factors, ScoreResult.Explain(factors));
    }
}
