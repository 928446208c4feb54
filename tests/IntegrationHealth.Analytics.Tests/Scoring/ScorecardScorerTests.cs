using IntegrationHealth.Analytics.Scoring;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Tests.Scoring;

public sealed class ScorecardScorerTests
{
    private static IReadOnlyList<Measure> Risks(params double[] risks) =>
        Enum.GetValues<MeasureGroup>().Select((g, i) => new Measure(g, risks[i], risks[i] > 0 ? "evidence " + g : "")).ToList();

    [Fact]
    public void Score_IsTheWeightedSumOfRisks_WithPercentContributionsAndBands()
    {
        // Default weights: reliability 15, credentials 20, freshness 15, quality 5, support 10, sentiment 10, engagement 20, depth 5.
        var result = ScorecardScorer.Score(7, Risks(1, 0.5, 0, 0, 0, 0, 0, 0.6), new ScoringOptions());

        Assert.Equal(15 + 10 + 3, result.Score);
        Assert.Equal(RiskBand.Watch, result.Band);
        Assert.Equal(100, result.Factors.Sum(f => f.WeightPercent));
        Assert.Equal(("integration_reliability", 15.0, "critical"), (result.Factors[0].Measure, result.Factors[0].Points, result.Factors[0].Band));
        Assert.Equal("evidence IntegrationReliability; evidence CredentialHealth; evidence IntegrationDepth.", result.Explanation);
    }

    [Theory]
    [InlineData(0, RiskBand.Healthy)]
    [InlineData(19.9, RiskBand.Healthy)]
    [InlineData(20, RiskBand.Watch)]
    [InlineData(40, RiskBand.AtRisk)]
    [InlineData(60, RiskBand.Critical)]
    [InlineData(100, RiskBand.Critical)]
    public void BandOf_DefaultThresholds(double score, RiskBand band) => Assert.Equal(band, new ScoringOptions().BandOf(score));

    [Fact]
    public void Options_WeightsNotSummingTo100_OrUnknownGroup_AreRejected()
    {
        var options = new ScoringOptions();
        options.Weights["engagement"] = 30;
        options.Weights["vibes"] = 0;
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(e => e.ErrorMessage).ToList();
        Assert.Contains(errors, e => e!.Contains("sum to 100"));
        Assert.Contains(errors, e => e!.Contains("vibes"));
    }

    [Fact]
    public void RankMetrics_KnownAnswers()
    {
        (double, bool)[] perfect = [(0.9, true), (0.8, true), (0.3, false), (0.1, false)];
        (double, bool)[] inverted = [(0.1, true), (0.9, false)];
        (double, bool)[] tied = [(0.5, true), (0.5, false)];
        Assert.Equal(1.0, RankMetrics.Auc(perfect));
        Assert.Equal(0.0, RankMetrics.Auc(inverted));
        Assert.Equal(0.5, RankMetrics.Auc(tied));
        Assert.Null(RankMetrics.Auc([(0.5, true)]));
        Assert.Equal(1.0, RankMetrics.PrecisionAtTop(perfect, 0.5));
        Assert.Equal(2.0, RankMetrics.LiftAtTop(perfect, 0.5));
    }

    [Fact]
    public void ChurnModel_LearnsWhichMeasureDrivesChurn_AndFallsBackWhenHistoryIsSmall()
    {
        var random = new Random(11);
        var examples = new List<ChurnExample>();
        for (var week = 0; week < 3; week++)
        for (var i = 0; i < 400; i++)
        {
            var x = Enumerable.Range(0, 8).Select(_ => random.NextDouble() < 0.3 ? random.NextDouble() : 0).ToArray();
            // Churn depends on credential health (index 1) only.
            var p = 0.03 + 0.8 * x[1];
            examples.Add(new ChurnExample(x, random.NextDouble() < p, new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(7 * week)));
        }

        var model = ChurnModel.Fit(examples, 15, 0.1, out var reason);

        Assert.NotNull(model);
        Assert.Null(reason);
        Assert.True(model.Weights[1] > 2, $"weight {model.Weights[1]}");
        Assert.All(model.Weights.Where((_, i) => i != 1), w => Assert.InRange(w, -1, 1));
        Assert.True(model.BacktestAuc > 0.75, $"auc {model.BacktestAuc}");
        Assert.True(model.Probability([0, 1, 0, 0, 0, 0, 0, 0]) > 0.5);
        Assert.True(model.Probability([0, 0, 0, 0, 0, 0, 0, 0]) < 0.1);
        Assert.Null(ChurnModel.Fit(examples.Take(20).ToList(), 15, 0.1, out var small));
        Assert.Contains("needs 15 churned", small);
    }
    [Fact]
    public void ChurnModel_WithTheScorecardAsPrior_AShortNoisyHistoryKeepsTheScorecardsOrder_ALongOneOverridesIt()
    {
        var prior = new ScoringOptions().ModelPrior(); // 1.5, 2, 1.5, 0.5, 1, 1, 2, 0.5
        List<ChurnExample> History(int perWeek, int seed, Func<double[], double> chance)
        {
            var random = new Random(seed);
            var list = new List<ChurnExample>();
            for (var week = 0; week < 3; week++)
            for (var i = 0; i < perWeek; i++)
            {
                var x = Enumerable.Range(0, 8).Select(_ => random.NextDouble() < 0.3 ? random.NextDouble() : 0).ToArray();
                list.Add(new ChurnExample(x, random.NextDouble() < chance(x), new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(7 * week)));
            }
            return list;
        }

        // Churn as the scorecard says, but only ~60 examples a week: without the prior, the weights are mostly noise.
        var shortHistory = History(60, 3, x => 1 / (1 + Math.Exp(3 - x.Select((v, i) => v * prior[i]).Sum())));
        var withPrior = ChurnModel.Fit(shortHistory, 5, 10, out _, prior)!;
        var order = Enumerable.Range(0, 8).ToList();
        // Every measure keeps a positive weight, and the 20% measures weigh more than the 5% ones.
        Assert.All(withPrior.Weights, w => Assert.True(w > 0, $"weights {string.Join(", ", withPrior.Weights)}"));
        Assert.True(Math.Min(withPrior.Weights[1], withPrior.Weights[6]) > Math.Max(withPrior.Weights[3], withPrior.Weights[7]));

        // A long history where only data quality (index 3, 5% on the scorecard) drives churn: the data win.
        var longHistory = History(2000, 4, x => 0.02 + 0.8 * x[3]);
        var learned = ChurnModel.Fit(longHistory, 15, 10, out _, prior)!;
        Assert.Equal(3, order.MaxBy(i => learned.Weights[i]));
        Assert.True(learned.Weights[3] > 2, $"weight {learned.Weights[3]}");
    }
}
