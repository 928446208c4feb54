using System.Security.Cryptography;
using System.Text;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Surveys;

/// <summary>What one user has seen and answered: per survey, the times shown and answered, and the last time any
/// survey was shown to them.</summary>
public sealed record SurveyHistory(IReadOnlyDictionary<string, int> Displays, IReadOnlySet<string> Answered, DateTime? LastDisplayAt)
{
    public static readonly SurveyHistory Empty = new(new Dictionary<string, int>(), new HashSet<string>(), null);
}

/// <summary>Why a trigger is or is not produced.</summary>
public enum SurveyDecision
{
    Show,
    AlreadyShown,
    AlreadyAnswered,
    DisplayLimitReached,
    RecontactWait,
    NotSampled,
    HeldBack,
}

/// <summary>
/// Whether a rule's survey may be shown to a user, with Formbricks' semantics: <c>displayOnce</c> (never again after
/// one display), <c>displayMultiple</c> (until answered), <c>displayFixed</c> (up to N displays, or until answered),
/// <c>respondMultiple</c> (always); a recontact wait across all surveys (a user who saw any survey within that many
/// days is left alone; a rule may set its own); a sampling percentage, decided by a stable hash of the rule, account
/// and user so that re-running the job never flips a user in or out; and held back while the account has an open
/// issue or incident (asking for a score in the middle of an outage measures the outage).
/// </summary>
public static class SurveyThrottle
{
    public static SurveyDecision Decide(SurveyRule rule, string accountKey, string userId, SurveyHistory history, DateTime now,
        int defaultRecontactDays, bool accountHasOpenProblem)
    {
        if (accountHasOpenProblem) return SurveyDecision.HeldBack;
        history.Displays.TryGetValue(rule.SurveyKey, out var shown);
        var answered = history.Answered.Contains(rule.SurveyKey);
        switch (rule.DisplayOption)
        {
            case SurveyDisplayOption.DisplayOnce when shown > 0:
                return SurveyDecision.AlreadyShown;
            case SurveyDisplayOption.DisplayMultiple when answered:
            case SurveyDisplayOption.DisplayFixed when answered:
                return SurveyDecision.AlreadyAnswered;
            case SurveyDisplayOption.DisplayFixed when shown >= (rule.DisplayLimit ?? 1):
                return SurveyDecision.DisplayLimitReached;
        }
        var recontact = rule.RecontactDays ?? defaultRecontactDays;
        if (history.LastDisplayAt is { } last && recontact > 0 && now - last < TimeSpan.FromDays(recontact))
            return SurveyDecision.RecontactWait;
        if (!Sampled(rule.SurveyKey, accountKey, userId, rule.Percentage)) return SurveyDecision.NotSampled;
        return SurveyDecision.Show;
    }

    /// <summary>Whether the user falls within the percentage: a stable hash of (survey, account, user) mapped to
    /// [0, 100).</summary>
    public static bool Sampled(string surveyKey, string accountKey, string userId, double percentage)
    {
        if (percentage >= 100) return true;
        if (percentage <= 0) return false;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{surveyKey}\n{accountKey}\n{userId}"));
        var unit = BitConverter.ToUInt32(hash, 0) / (double)uint.MaxValue * 100;
        return unit < percentage;
    }
}
