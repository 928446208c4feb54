using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Surveys;

/// <summary>One sync run of a connection.</summary>
public readonly record struct SyncRunOutcome(int ConnectionId, int AccountId, DateTime At, bool Succeeded);

/// <summary>An integration event a survey rule can fire on. <see cref="SourceKey"/> identifies the event itself (a
/// connection and instant, an alert), so the trigger job is idempotent. Score band changes are fed by the scores'
/// history in the same shape.</summary>
public sealed record SurveyEvent(SurveyTriggerEvent Event, int AccountId, DateTime At, string SourceKey, string Reason);

/// <summary>
/// Finds the sync events in a window: a connection's first successful sync ever (after it was set up), and a sync that
/// succeeded right after one or more failed ones (recovered). <paramref name="runs"/> holds the window's runs and, for
/// context, earlier ones; <paramref name="hadEarlierSuccess"/> the connections with a success before them all.
/// </summary>
public static class SurveyEvents
{
    public static List<SurveyEvent> FromSyncRuns(IReadOnlyList<SyncRunOutcome> runs, DateTime windowStart, IReadOnlySet<int> hadEarlierSuccess)
    {
        var events = new List<SurveyEvent>();
        foreach (var connection in runs.GroupBy(r => r.ConnectionId))
        {
            var ordered = connection.OrderBy(r => r.At).ToList();
            var succeededBefore = hadEarlierSuccess.Contains(connection.Key);
            for (var i = 0; i < ordered.Count; i++)
            {
                var run = ordered[i];
                if (run.Succeeded && run.At >= windowStart)
                {
                    if (!succeededBefore)
                        events.Add(new SurveyEvent(SurveyTriggerEvent.FirstSuccessfulSync, run.AccountId, run.At,
                            $"first-sync:{connection.Key}", "first successful sync of a new connection"));
                    else if (i > 0 && !ordered[i - 1].Succeeded)
                        events.Add(new SurveyEvent(SurveyTriggerEvent.SyncRecovered, run.AccountId, run.At,
                            $"recovered:{connection.Key}:{run.At.Ticks}", "a failing sync recovered"));
                }
                succeededBefore |= run.Succeeded;
            }
        }
        return events;
    }
}
