using System.ComponentModel.DataAnnotations;

namespace IntegrationHealth.Analytics.Scoring;

/// <summary>Options of the churn-risk scorers (section <c>Analytics:Scoring</c>), per environment like every setting.</summary>
public sealed class ScoringOptions : IValidatableObject
{
    public const string Section = "Analytics:Scoring";

    /// <summary>Scorecard weights in percent of the score, per measure group (wire names). They must sum to 100.</summary>
    public Dictionary<string, double> Weights { get; set; } = new()
    {
        ["integration_reliability"] = 15,
        ["credential_health"] = 20,
        ["sync_freshness"] = 15,
        ["data_quality"] = 5,
        ["support_friction"] = 10,
        ["sentiment"] = 10,
        ["engagement"] = 20,
        ["integration_depth"] = 5,
    };

    /// <summary>Lowest score of the watch band (0–100). Default 20.</summary>
    [Range(0, 100)]
    public double WatchFrom { get; set; } = 20;

    /// <summary>Lowest score of the at-risk band. Default 40.</summary>
    [Range(0, 100)]
    public double AtRiskFrom { get; set; } = 40;

    /// <summary>Lowest score of the critical band. Default 60.</summary>
    [Range(0, 100)]
    public double CriticalFrom { get; set; } = 60;

    /// <summary>Which scorer the daily job and the APIs use: <c>auto</c> (the model when the tenant's history is large
    /// enough, else the scorecard), <c>scorecard</c> or <c>model</c> (still falls back when it cannot be fitted).</summary>
    [RegularExpression("^(auto|scorecard|model)$")]
    public string Scorer { get; set; } = "auto";

    /// <summary>The model's label: churned within this many days after a training instant. Default 21.</summary>
    [Range(7, 180)]
    public int HorizonDays { get; set; } = 21;

    /// <summary>Churned (and, separately, retained) training examples the model needs; fewer and the scorecard
    /// scores. Default 15.</summary>
    [Range(2, 100_000)]
    public int MinimumExamples { get; set; } = 15;

    /// <summary>L2 regularisation of the logistic regression, which starts from the scorecard (see
    /// <see cref="ModelPrior"/>): the larger, the closer the model stays to the scorecard's weights unless the
    /// tenant's history says otherwise. Default 10 (on the demo and synthetic evaluation worlds 0.1 and 1 let the
    /// model drift from the scorecard on two or three weekly training instants and rank worse; see the benchmarks
    /// README).</summary>
    [Range(0, 100)]
    public double L2 { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var known = Enum.GetValues<MeasureGroup>().Select(MeasureNames.Of).ToHashSet();
        foreach (var key in Weights.Keys.Where(k => !known.Contains(k)))
            yield return new ValidationResult($"Analytics:Scoring:Weights:{key} is not a measure group ({string.Join(", ", known)}).");
        if (Weights.Values.Any(w => w < 0 || double.IsNaN(w)))
            yield return new ValidationResult("Analytics:Scoring:Weights must not be negative.");
        else if (Math.Abs(Weights.Values.Sum() - 100) > 0.01)
            yield return new ValidationResult($"Analytics:Scoring:Weights must sum to 100 (they sum to {Weights.Values.Sum()}).");
        if (!(WatchFrom < AtRiskFrom && AtRiskFrom < CriticalFrom))
            yield return new ValidationResult("Analytics:Scoring band thresholds must rise: WatchFrom < AtRiskFrom < CriticalFrom.");
    }

    /// <summary>The model's prior: the scorecard's weights per measure (in feature order), in points per 10, so its
    /// score Σ priorᵢ × riskᵢ is the scorecard score / 10, in log-odds units.</summary>
    public double[] ModelPrior() => Enum.GetValues<MeasureGroup>().Order().Select(g => WeightOf(g) / 10).ToArray();

    /// <summary>The weight of a group in percent (0 when not configured).</summary>
    public double WeightOf(MeasureGroup group) => Weights.GetValueOrDefault(MeasureNames.Of(group));

    public Data.Entities.RiskBand BandOf(double score) =>
        score >= CriticalFrom ? Data.Entities.RiskBand.Critical
        : score >= AtRiskFrom ? Data.Entities.RiskBand.AtRisk
        : score >= WatchFrom ? Data.Entities.RiskBand.Watch
        : Data.Entities.RiskBand.Healthy;
}
