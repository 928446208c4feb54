namespace IntegrationHealth.Analytics.Scoring;

/// <summary>Ranking quality of risk scores against what happened: AUC, and precision and lift in the top decile.</summary>
public static class RankMetrics
{
    /// <summary>The area under the ROC curve (the chance a random churned account scores above a random retained one,
    /// ties counting half), by the Mann–Whitney rank sum; null when either class is missing.</summary>
    public static double? Auc(IReadOnlyList<(double Score, bool Positive)> scored)
    {
        var positives = scored.Count(s => s.Positive);
        var negatives = scored.Count - positives;
        if (positives == 0 || negatives == 0) return null;
        var ordered = scored.OrderBy(s => s.Score).ToList();
        double rankSum = 0;
        for (var i = 0; i < ordered.Count;)
        {
            var j = i;
            while (j < ordered.Count && ordered[j].Score == ordered[i].Score) j++;
            var averageRank = (i + 1 + j) / 2.0; // ranks i+1..j
            for (var k = i; k < j; k++)
                if (ordered[k].Positive) rankSum += averageRank;
            i = j;
        }

        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Share of churned accounts among the riskiest <paramref name="fraction"/> (ties broken by order given).</summary>
    public static double PrecisionAtTop(IReadOnlyList<(double Score, bool Positive)> scored, double fraction = 0.1)
    {
        var n = Math.Max(1, (int)Math.Ceiling(scored.Count * fraction));
        return scored.OrderByDescending(s => s.Score).Take(n).Count(s => s.Positive) / (double)n;
    }

    /// <summary>Precision in the top fraction divided by the base churn rate.</summary>
    public static double? LiftAtTop(IReadOnlyList<(double Score, bool Positive)> scored, double fraction = 0.1)
    {
        var baseRate = scored.Count == 0 ? 0 : scored.Count(s => s.Positive) / (double)scored.Count;
        return baseRate == 0 ? null : PrecisionAtTop(scored, fraction) / baseRate;
    }
}
