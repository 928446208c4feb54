using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace IntegrationHealth.Analytics.Scoring;

/// <summary>One training example: the measure risks of an account at an instant, and whether it churned within the
/// horizon after it.</summary>
public sealed record ChurnExample(double[] Features, bool Churned, DateTime AsOf);

/// <summary>
/// The calibrated model: an L2-regularised logistic regression (ML.NET's L-BFGS trainer, whose output is the logistic
/// of the linear score, i.e. a calibrated probability) over the eight measure risks, fitted on the tenant's own
/// history. Its explanation is per-factor contributions in log-odds, <c>wᵢ × (xᵢ − x̄ᵢ)</c> against the average
/// training account, so the contributions and the intercept add up to the account's log-odds. Its backtest AUC is
/// measured on the latest training instant after fitting on the earlier ones (a time split, as it will be used).
/// With a prior (the scorer passes the scorecard's weights), the prior's score is one more feature: L2 then costs
/// little to follow the prior as a whole and much to depart from it measure by measure, so a short history (a tenant
/// with two or three weekly instants behind it) yields about the scorecard, rescaled and calibrated, and a long one
/// what the history shows. The prior feature is folded back into the eight weights, which stay the explanation.
/// </summary>
public sealed class ChurnModel
{
    private readonly float[] _weights;
    private readonly double _bias;
    private readonly double[] _means;

    private ChurnModel(float[] weights, double bias, double[] means, double? auc, int examples, int churned)
    {
        _weights = weights;
        _bias = bias;
        _means = means;
        BacktestAuc = auc;
        Examples = examples;
        Churned = churned;
    }

    public double? BacktestAuc { get; }
    public int Examples { get; }
    public int Churned { get; }

    /// <summary>The fitted weight of each feature (log-odds per unit of measure risk).</summary>
    public IReadOnlyList<float> Weights => _weights;

    /// <summary>Fits on <paramref name="examples"/>; null (with the reason) when either class has fewer than
    /// <paramref name="minimum"/> examples.</summary>
    public static ChurnModel? Fit(IReadOnlyList<ChurnExample> examples, int minimum, double l2, out string? reason, IReadOnlyList<double>? prior = null)
    {
        var churned = examples.Count(e => e.Churned);
        var retained = examples.Count - churned;
        if (churned < minimum || retained < minimum)
        {
            reason = $"needs {minimum} churned and {minimum} retained examples, has {churned} and {retained}";
            return null;
        }

        reason = null;
        double? auc = null;
        var last = examples.Max(e => e.AsOf);
        var train = examples.Where(e => e.AsOf < last).ToList();
        var test = examples.Where(e => e.AsOf == last).ToList();
        if (train.Count(e => e.Churned) >= 2 && train.Count(e => !e.Churned) >= 2 && test.Any(e => e.Churned) && test.Any(e => !e.Churned))
        {
            var early = Train(train, l2, prior);
            auc = RankMetrics.Auc(test.Select(e => (early.Probability(e.Features), e.Churned)).ToList());
        }

        var model = Train(examples, l2, prior);
        return new ChurnModel(model._weights, model._bias, model._means, auc, examples.Count, churned);
    }

    private static ChurnModel Train(IReadOnlyList<ChurnExample> examples, double l2, IReadOnlyList<double>? prior)
    {
        var width = examples[0].Features.Length;
        if (prior is not null)
        {
            // One more feature, the prior's score Σ priorᵢ × xᵢ: a single strong predictor costs L2 little, so the fit
            // starts from the prior scaled and departs from it per measure only where the history says so. Folded back
            // into per-measure weights afterwards (the model stays linear in the measures).
            var inner = Train(examples.Select(e => e with { Features = [.. e.Features, Dot(prior, e.Features)] }).ToList(), l2, null);
            var folded = Enumerable.Range(0, width).Select(i => (float)(inner._weights[i] + inner._weights[width] * prior[i])).ToArray();
            return new ChurnModel(folded, inner._bias, inner._means[..width], null, examples.Count, examples.Count(e => e.Churned));
        }

        var ml = new MLContext(seed: 1);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var data = ml.Data.LoadFromEnumerable(
            examples.Select(e => new Row { Features = e.Features.Select(f => (float)f).ToArray(), Label = e.Churned }), schema);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = (float)l2, L1Regularization = 0, NumberOfThreads = 1,
        });
        var fitted = trainer.Fit(data);
        var linear = fitted.Model.SubModel;
        var weights = linear.Weights.ToArray();
        var means = Enumerable.Range(0, width).Select(i => examples.Average(e => e.Features[i])).ToArray();
        return new ChurnModel(weights, linear.Bias, means, null, examples.Count, examples.Count(e => e.Churned));
    }

    private static double Dot(IReadOnlyList<double> a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < b.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>The churn probability within the horizon.</summary>
    public double Probability(double[] features) => 1 / (1 + Math.Exp(-LogOdds(features)));

    private double LogOdds(double[] features)
    {
        var z = _bias;
        for (var i = 0; i < features.Length; i++) z += _weights[i] * features[i];
        return z;
    }

    /// <summary>Per-feature contributions in log-odds against the average training example.</summary>
    public double[] Contributions(double[] features) =>
        features.Select((x, i) => _weights[i] * (x - _means[i])).ToArray();

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }
}
