using System.Globalization;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Scoring;

/// <summary>One factor of a score: the measure, its risk 0–1, its weight and the points it adds, its own band and
/// the evidence.</summary>
public sealed record ScoreFactor(string Measure, double Risk, double WeightPercent, double Points, string Band, string Evidence);

/// <summary>An account's churn-risk score with its explanation.</summary>
public sealed record ScoreResult(int AccountId, double Score, RiskBand Band, ScorerKind Scorer, double? Probability,
    IReadOnlyList<ScoreFactor> Factors, string Explanation)
{
    /// <summary>The plain-words explanation: the factors that add points, largest first, with their numbers.</summary>
    public static string Explain(IEnumerable<ScoreFactor> factors)
    {
        var parts = factors.Where(f => f.Points >= 0.5 && f.Evidence.Length > 0).OrderByDescending(f => f.Points)
            .Select(f => f.Evidence).ToList();
        return parts.Count == 0 ? "No integration, support or engagement problems found." : string.Join("; ", parts) + ".";
    }
}

/// <summary>Wire names of bands.</summary>
public static class RiskBands
{
    public static string Of(RiskBand band) => band switch
    {
        RiskBand.Healthy => "healthy",
        RiskBand.Watch => "watch",
        RiskBand.AtRisk => "at_risk",
        _ => "critical",
    };

    public static bool TryParse(string? text, out RiskBand band)
    {
        foreach (var b in Enum.GetValues<RiskBand>())
        {
            if (string.Equals(Of(b), text, StringComparison.Ordinal))
            {
                band = b;
                return true;
            }
        }

        band = default;
        return false;
    }

    /// <summary>The band of a measure's risk (0–1), on the quarters of the scale.</summary>
    public static string OfMeasure(double risk) =>
        Of(risk >= 0.75 ? RiskBand.Critical : risk >= 0.5 ? RiskBand.AtRisk : risk >= 0.25 ? RiskBand.Watch : RiskBand.Healthy);

    internal static string Points(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
