using System.Text;
using System.Text.Json;
using IntegrationHealth.Analytics.Scoring;

namespace IntegrationHealth.Analytics.AtRisk;

/// <summary>One account in the at-risk list.</summary>
public sealed record AtRiskAccountView(string AccountId, string Name, string Segment, string? Csm, decimal Arr, double Score, string Band,
    decimal ArrAtRisk, double? ScoreChange7d, double? ScoreChange30d, string Explanation);

/// <summary>A page of the at-risk list: the instant the scores are as of, the total ARR at risk of the whole filtered
/// list, the items riskiest first.</summary>
public sealed record AtRiskPage(DateTime? AsOf, string Scorer, decimal TotalArrAtRisk, IReadOnlyList<AtRiskAccountView> Items, string? NextCursor);

/// <summary>A stored or computed score.</summary>
public sealed record ScoreView(string AccountId, DateTime AsOf, string Scorer, double Score, string Band, double? Probability,
    string Explanation, IReadOnlyList<ScoreFactor> Factors);

/// <summary>An account's health: the latest score with its factors, its trend and history, and its open issues.</summary>
public sealed record AccountHealthView(string AccountId, string Name, decimal Arr, ScoreView? Current, double? ScoreChange7d, double? ScoreChange30d,
    IReadOnlyList<HistoryPoint> History, IReadOnlyList<Issues.IssueView> OpenIssues);

public sealed record HistoryPoint(DateTime Day, double Score, string Band);

/// <summary>Scores as of an instant (stored history when the instant is a scored day, computed otherwise).</summary>
public sealed record ScoresPage(DateTime AsOf, string Scorer, bool Stored, double? ModelAuc, IReadOnlyList<ScoreView> Items, string? NextCursor);

/// <summary>Keyset cursors over (score, account) and (ARR, id) orders.</summary>
internal static class RankCursor
{
    public static string Encode(double score, long id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { score, id })))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out double score, out long id)
    {
        score = 0;
        id = 0;
        if (string.IsNullOrEmpty(text)) return true;
        if (text.Length > 120 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var values = JsonSerializer.Deserialize<double[]>(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
            if (values is not { Length: 2 } || !double.IsFinite(values[0]) || values[1] is < 0 or > long.MaxValue || values[1] != Math.Floor(values[1])) return false;
            (score, id) = (values[0], (long)values[1]);
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }
}
