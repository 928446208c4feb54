using System.Globalization;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Demo.World;

/// <summary>Support tickets and NPS responses: routine ones plus more (and angrier) ones when integrations break.</summary>
internal static class DemoFeedback
{
    public static void AddTickets(int seed, DemoAccount account, DateTime start, DateTime end,
        IReadOnlyList<DemoIncident> incidents, List<DemoTicket> tickets)
    {
        var rng = DemoRandom.For(seed, DemoWorldBuilder.FeedbackStream, account.Index, 1);
        var stop = account.ChurnedAt ?? end;
        var drafts = new List<(int? Provider, string Subject, string Priority, DateTime OpenedAt)>();
        var days = (end - start).TotalDays;
        var routineRate = account.Segment switch { AccountSegment.Smb => 0.4, AccountSegment.MidMarket => 0.8, _ => 1.5 };
        var routine = rng.Poisson(routineRate * days / 30);
        for (var i = 0; i < routine; i++)
        {
            var at = start.AddSeconds(rng.Uniform(0, (end - start).TotalSeconds));
            drafts.Add((null, rng.Pick(DemoCatalog.TicketRoutine), rng.Chance(0.5) ? "low" : "normal", at));
        }
        var urgentChance = account.Segment == AccountSegment.Enterprise ? 0.85 : 0.65;
        foreach (var connection in account.Connections)
        {
            var provider = connection.Provider;
            foreach (var episode in connection.Episodes)
            {
                // Silent problems are noticed later and less often: nothing errors, data just goes missing.
                var silent = episode.Kind is DemoEpisodeKind.SyncStalled or DemoEpisodeKind.SyncEmpty;
                if (!rng.Chance(silent ? 0.35 : urgentChance))
                {
                    continue;
                }
                var subject = episode.Kind switch
                {
                    DemoEpisodeKind.AuthBroken => $"{provider.Name} integration disconnected ({(connection.AuthKind == AuthKind.OAuth2 ? "invalid_grant" : "401 Unauthorized")})",
                    DemoEpisodeKind.Disabled => $"Why did our {provider.Name} sync stop?",
                    DemoEpisodeKind.SyncStalled => $"{provider.Name} data has stopped updating",
                    DemoEpisodeKind.SyncEmpty => $"{provider.Name} sync shows no new records",
                    DemoEpisodeKind.ErrorSpike => $"{provider.Name} {episode.Resource} requests failing",
                    _ => $"{provider.Name} records failing to map",
                };
                var delayHours = silent ? Math.Clamp(rng.LogNormal(60, 0.6), 12, 240) : Math.Clamp(rng.LogNormal(10, 0.8), 0.2, 96);
                if (episode.End is { } fixedAt && episode.Start.AddHours(delayHours) >= fixedAt && silent)
                {
                    continue; // fixed before anyone noticed
                }
                drafts.Add((connection.ProviderIndex, subject, BreakagePriority(rng, account.Segment), episode.Start.AddHours(delayHours)));
            }
            foreach (var incident in incidents.Where(i => i.ProviderIndex == connection.ProviderIndex))
            {
                var (chance, subject) = incident.Kind switch
                {
                    "outage" => (0.3, $"{provider.Name} sync failing with server errors"),
                    "rate_limit_storm" => (0.08, $"{provider.Name} sync slow / rate limited"),
                    _ => (0.0, ""),
                };
                if (chance > 0 && rng.Chance(chance))
                {
                    drafts.Add((connection.ProviderIndex, subject, rng.Chance(0.5) ? "high" : "normal",
                        incident.Start.AddMinutes(rng.Uniform(20, 240))));
                }
            }
        }
        if (account.UnhappyAt is { } unhappy)
        {
            drafts.Add((null, rng.Pick(DemoCatalog.TicketRoutine), "normal", unhappy.AddHours(rng.Uniform(2, 72))));
        }
        var n = 0;
        foreach (var d in drafts.OrderBy(d => d.OpenedAt))
        {
            if (d.OpenedAt >= stop)
            {
                continue;
            }
            var opened = DemoWorldBuilder.TruncateToSecond(d.OpenedAt);
            DateTime? closed = DemoWorldBuilder.TruncateToSecond(opened.AddHours(Math.Clamp(rng.LogNormal(30, 0.9), 0.5, 24 * 20)));
            if (closed >= end)
            {
                closed = null;
            }
            n++;
            tickets.Add(new DemoTicket($"tkt-{account.Index + 1:D4}-{n:D3}", account.Index, d.Provider, d.Subject, d.Priority,
                opened, closed));
        }
    }

    public static void AddSurveys(int seed, DemoAccount account, DateTime start, DateTime end, List<DemoSurvey> surveys)
    {
        var rng = DemoRandom.For(seed, DemoWorldBuilder.FeedbackStream, account.Index, 2);
        var stop = account.ChurnedAt ?? end;
        var count = Math.Min(8, rng.Poisson(1 + account.IntegrationUsers * 0.05));
        var responses = new List<(DateTime At, string User, int Score, string? Comment)>();
        for (var i = 0; i < count; i++)
        {
            var at = DemoWorldBuilder.TruncateToSecond(start.AddSeconds(rng.Uniform(0, (stop - start).TotalSeconds)));
            // Users who saw an integration break in the last two weeks answer lower.
            var recentBreaks = account.Connections.Count(c => c.Episodes.Exists(e =>
                e.Start <= at && e.Start > at.AddDays(-14) || e.Covers(at) && e.Kind != DemoEpisodeKind.MappingDrift));
            // Sentiment sours in the month before an account leaves.
            var leaving = account.ChurnedAt is { } churned && at >= churned.AddDays(-30);
            var mean = 8.4 - 2.6 * Math.Min(recentBreaks, 2) - (leaving ? 1.0 : 0.0);
            var score = Math.Clamp((int)Math.Round(mean + 1.4 * rng.Normal()), 0, 10);
            string? comment = null;
            if (rng.Chance(0.6))
            {
                comment = score >= 9 ? rng.Pick(DemoCatalog.SurveyPraise)
                    : score <= 6 ? rng.Pick(DemoCatalog.SurveyComplaint)
                    : null;
            }
            var user = "u-" + rng.Next(1, account.IntegrationUsers + 1).ToString(CultureInfo.InvariantCulture);
            responses.Add((at, user, score, comment));
        }
        if (account.UnhappyAt is { } unhappy && unhappy.AddHours(6) < stop)
        {
            // The unhappy account says so: a detractor answer soon after.
            var at = DemoWorldBuilder.TruncateToSecond(unhappy.AddHours(rng.Uniform(1, 6)));
            var user = "u-" + rng.Next(1, account.IntegrationUsers + 1).ToString(CultureInfo.InvariantCulture);
            responses.Add((at, user, rng.Next(0, 5), rng.Pick(DemoCatalog.SurveyComplaint)));
        }
        var n = 0;
        foreach (var r in responses.OrderBy(r => r.At))
        {
            n++;
            surveys.Add(new DemoSurvey($"nps-{account.Index + 1:D4}-{n:D2}", account.Index, r.User, r.Score, r.Comment, r.At));
        }
    }

    private static string BreakagePriority(DemoRandom rng, AccountSegment segment) => segment switch
    {
        AccountSegment.Enterprise => rng.Chance(0.5) ? "urgent" : "high",
        AccountSegment.MidMarket => rng.Chance(0.6) ? "high" : "normal",
        _ => rng.Chance(0.3) ? "high" : "normal",
    };
}
