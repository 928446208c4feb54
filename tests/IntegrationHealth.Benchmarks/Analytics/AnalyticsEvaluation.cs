using System.Globalization;
using IntegrationHealth.Analytics.Scoring;

namespace IntegrationHealth.Benchmarks.Analytics;

/// <summary>
/// <c>analytics-eval</c>: how well the churn-risk scorers rank accounts that went on to churn, on the demo world over
/// several seeds and on <see cref="SyntheticWorld"/> (different mechanics). Not a timing benchmark. Each world is
/// scored as of <c>end − 21 days</c> from what was known then; an account is positive when it churned in the 21 days
/// after. The model is fitted on the same world's earlier instants (weekly, 14-day horizon), never on the outcome
/// window. Reports AUC, precision and lift in the top decile, and recall in the top decile per churn driver.
/// Options: --seeds 42,43,44 --accounts 500 --days 60 --synthetic-accounts 2000, and --explain N to print the N worst
/// ranked churned and retained accounts with their measures and what the world says happened to them, and
/// --measures-csv FILE to append every scored account's measure risks and label (to tune weights on other seeds), and
/// --ceiling to rank the demo accounts also by <see cref="DemoCeiling"/> (the world's hidden causes before the as-of
/// instant, scored with the world's own rules) and by that plus the scorecard / 200: how much AUC there is to get.
/// </summary>
public static class AnalyticsEvaluation
{
    public static Task<int> RunAsync(string[] args)
    {
        var seeds = Option(args, "--seeds", "42,43,44").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var accounts = int.Parse(Option(args, "--accounts", "500"), CultureInfo.InvariantCulture);
        var days = int.Parse(Option(args, "--days", "60"), CultureInfo.InvariantCulture);
        var synthetic = int.Parse(Option(args, "--synthetic-accounts", "2000"), CultureInfo.InvariantCulture);
        s_explain = int.Parse(Option(args, "--explain", "0"), CultureInfo.InvariantCulture);
        s_measures = Option(args, "--measures-csv", "") is { Length: > 0 } csv ? csv : null;
        s_ceiling = args.Contains("--ceiling");
        Console.WriteLine($"analytics-eval: demo seeds {string.Join(",", seeds)} × {accounts} accounts × {days} days; synthetic world {synthetic} accounts");
        var demo = new List<Row>();
        foreach (var seed in seeds)
            demo.AddRange(Evaluate($"demo seed {seed}", EvaluationWorld.FromDemo(seed, accounts, days)));
        var second = new List<Row>();
        foreach (var seed in seeds)
            second.AddRange(Evaluate($"synthetic seed {seed}", SyntheticWorld.Build(seed, synthetic, days)));
        foreach (var (name, rows) in new[] { ("demo", demo), ("synthetic", second) })
        foreach (var scorer in new[] { "scorecard", "model", "ceiling", "ceiling+scorecard" })
        {
            var aucs = rows.Where(r => r.Scorer == scorer && r.Auc is not null).Select(r => r.Auc!.Value).ToList();
            if (aucs.Count > 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name} {scorer} AUC mean {aucs.Average():0.000} over {aucs.Count} seeds (min {aucs.Min():0.000}){(name == "demo" ? " (target ≥ 0.80)" : "")}"));
        }

        return Task.FromResult(0);
    }

    private static int s_explain;
    private static string? s_measures;
    private static bool s_ceiling;

    private sealed record Row(string Scorer, double? Auc);

    private static List<Row> Evaluate(string name, EvaluationWorld world)
    {
        var asOf = world.End.AddDays(-21);
        var evidence = world.EvidenceAt(asOf);
        var byId = world.Accounts.ToDictionary(a => a.Id);
        bool Churned(int id) => byId[id].ChurnedAt is { } c && c >= asOf && c < world.End;
        var measures = ChurnRiskScorer.Measures(new EvidenceLoader.TenantEvidence(evidence, world.ProviderNames), asOf);
        var options = new ScoringOptions();
        var scorecard = measures.Select(m => (m.AccountId, ScorecardScorer.Score(m.AccountId, m.Measures, options).Score)).ToList();

        // The model: fitted on weekly instants whose 14-day horizon ends before asOf.
        var examples = new List<ChurnExample>();
        for (var t = asOf.AddDays(-14); t >= world.Start.AddDays(14); t = t.AddDays(-7))
        {
            foreach (var (id, m) in ChurnRiskScorer.Measures(new EvidenceLoader.TenantEvidence(world.EvidenceAt(t), world.ProviderNames), t))
                examples.Add(new ChurnExample(ChurnRiskScorer.Features(m), byId[id].ChurnedAt is { } c && c >= t && c < t.AddDays(14), t));
        }

        var model = ChurnModel.Fit(examples, 10, options.L2, out var reason, options.ModelPrior());
        var rows = new List<Row> { Report(name, "scorecard", scorecard, Churned, byId) };
        if (s_ceiling && measures.All(m => byId[m.AccountId].Ceiling is not null))
        {
            var ceiling = measures.Select(m => (m.AccountId, Score: byId[m.AccountId].Ceiling!(asOf))).ToList();
            rows.Add(Report(name, "ceiling", ceiling, Churned, byId));
            var points = scorecard.ToDictionary(x => x.AccountId, x => x.Score);
            rows.Add(Report(name, "ceiling+scorecard", ceiling.Select(c => (c.AccountId, c.Score + points[c.AccountId] / 200)).ToList(), Churned, byId));
        }

        if (s_explain > 0) Explain(scorecard, measures, Churned, byId, asOf);
        if (s_measures is { } path)
            File.AppendAllLines(path, measures.Select(m => string.Join(",", new[] { name, m.AccountId.ToString(CultureInfo.InvariantCulture), Churned(m.AccountId) ? "1" : "0" }
                .Concat(m.Measures.OrderBy(x => x.Group).Select(x => x.Risk.ToString("0.####", CultureInfo.InvariantCulture))))));
        // Each measure on its own: how it ranks the churned, and its mean risk among churned and retained accounts.
        foreach (var group in Enum.GetValues<MeasureGroup>())
        {
            var single = measures.Select(m => (m.Measures.Single(x => x.Group == group).Risk, Churned(m.AccountId))).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {MeasureNames.Of(group),-24} AUC {Fmt(RankMetrics.Auc(single))}  mean risk churned {single.Where(x => x.Item2).Select(x => x.Risk).DefaultIfEmpty().Average():0.000} retained {single.Where(x => !x.Item2).Select(x => x.Risk).DefaultIfEmpty().Average():0.000}"));
        }

        if (model is null)
        {
            Console.WriteLine($"  {name} model: not fitted ({reason}); the scorecard scores");
        }
        else
        {
            var modelScores = measures.Select(m => (m.AccountId, model.Probability(ChurnRiskScorer.Features(m.Measures)))).ToList();
            rows.Add(Report(name, "model", modelScores, Churned, byId));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name} model: {model.Examples} training examples ({model.Churned} churned), backtest AUC {Fmt(model.BacktestAuc)}"));
        }

        return rows;
    }

    private static Row Report(string world, string scorer, List<(int Id, double Score)> scores, Func<int, bool> churned, Dictionary<int, EvaluationAccount> byId)
    {
        var labelled = scores.Select(s => (s.Score, churned(s.Id))).ToList();
        var auc = RankMetrics.Auc(labelled);
        var top = scores.OrderByDescending(s => s.Score).Take(Math.Max(1, (int)Math.Ceiling(scores.Count * 0.1))).Select(s => s.Id).ToHashSet();
        var recall = scores.Where(s => churned(s.Id)).GroupBy(s => byId[s.Id].Driver)
            .Select(g => $"{g.Key} {g.Count(s => top.Contains(s.Id))}/{g.Count()}").ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {world} {scorer}: {scores.Count} accounts, {labelled.Count(l => l.Item2)} churned; AUC {Fmt(auc)}; top decile precision {RankMetrics.PrecisionAtTop(labelled):0.000}, lift {Fmt(RankMetrics.LiftAtTop(labelled))}; top-decile recall by driver: {string.Join(", ", recall)}"));
        return new Row(scorer, auc);
    }

    /// <summary>The churned accounts ranked lowest and the retained ranked highest, with their measures.</summary>
    private static void Explain(List<(int Id, double Score)> scores, List<(int AccountId, IReadOnlyList<Measure> Measures)> measures,
        Func<int, bool> churned, Dictionary<int, EvaluationAccount> byId, DateTime asOf)
    {
        var ranked = scores.OrderByDescending(s => s.Score).Select((s, i) => (s.Id, s.Score, Rank: i + 1)).ToList();
        var of = measures.ToDictionary(m => m.AccountId, m => m.Measures);
        void Print(string title, IEnumerable<(int Id, double Score, int Rank)> rows)
        {
            Console.WriteLine("    " + title);
            foreach (var r in rows)
            {
                var a = byId[r.Id];
                var factors = string.Join("; ", of[r.Id].Where(m => m.Risk > 0).Select(m => string.Create(CultureInfo.InvariantCulture, $"{MeasureNames.Of(m.Group)} {m.Risk:0.00} {m.Evidence}")));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"      #{r.Rank} score {r.Score:0.0} acct {r.Id} churn {(a.ChurnedAt is { } c ? (c - asOf).TotalDays.ToString("+0.0", CultureInfo.InvariantCulture) + "d" : "-")} driver {a.Driver} | {a.Truth}{When(a, asOf)}\n        {factors}"));
            }
        }

        if (Environment.GetEnvironmentVariable("IH_EVAL_DUMP") is { } dump)
            foreach (var id in dump.Split(',').Select(int.Parse))
            foreach (var g in byId[id].Days.GroupBy(r => (r.ProviderId, r.BucketStart.Date)).OrderBy(g => g.Key))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"      dump {id} p{g.Key.ProviderId} {(g.Key.Date - asOf).TotalDays:+0;-0} req {g.Sum(r => r.Requests)} err {g.Sum(r => r.Errors)} cred {g.Sum(r => r.CredentialFailures)} refOk {g.Sum(r => r.RefreshSuccesses)} refFail {g.Sum(r => r.RefreshFailures)} sync {g.Sum(r => r.SyncRuns)} rec {g.Sum(r => r.SyncRecords)} empty {g.Sum(r => r.EmptySyncs)} ok {g.Max(r => r.LastSuccessAt):HH:mm} fail {g.Max(r => r.LastFailureAt):HH:mm}"));
        Print("churned, ranked lowest:", ranked.Where(r => churned(r.Id)).OrderByDescending(r => r.Rank).Take(s_explain));
        Print("retained, ranked highest:", ranked.Where(r => !churned(r.Id)).Take(s_explain));
    }

    /// <summary>The world's problems with their days relative to the as-of instant ("sync stalled (zendesk) −12.3d…+2.0d").</summary>
    private static string When(EvaluationAccount a, DateTime asOf)
    {
        string Day(DateTime t) => (t - asOf).TotalDays.ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + "d";
        return a.Happenings.Count == 0 ? "" : "\n        when: " + string.Join("; ", a.Happenings.OrderBy(h => h.Start)
            .Select(h => $"{h.What} {Day(h.Start)}…{(h.End is { } e ? Day(e) : "open")}"));
    }

    private static string Fmt(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? "n/a";

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
