using System.Globalization;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Demo.World;

/// <summary>
/// Builds a <see cref="DemoWorld"/>: accounts, their connections, the platform incidents, each connection's health
/// history, churn outcomes driven by integration health, support tickets and NPS responses. Every account and every
/// connection draws from its own random stream keyed by the seed, so the world is reproducible slice by slice.
/// </summary>
public static class DemoWorldBuilder
{
    // Stream keys: the first key of every DemoRandom.For call names what the stream is for.
    internal const long AccountStream = 1, ConnectionStream = 2, FeedbackStream = 3, ChurnStream = 4, IncidentStream = 5, MoodStream = 6;

    /// <summary>Churn probability over the window of an account with no integration problem (price, budget, a
    /// competitor: churn no integration signal can foresee).</summary>
    public const double BackgroundChurnRisk = 0.02;

    /// <summary>Chance that a problem of each kind, once it has lasted long enough to hurt, makes the account leave
    /// (before the depth factor and noise). Problems that end sooner (a re-auth within hours, a rate-limit burst, a
    /// platform outage) carry none.</summary>
    public static IReadOnlyDictionary<string, (double Hazard, TimeSpan Matures)> Hazards { get; } = new Dictionary<string, (double, TimeSpan)>
    {
        ["credentials broken for days"] = (0.55, TimeSpan.FromDays(3)),
        ["sync stalled"] = (0.45, TimeSpan.FromDays(3)),
        ["sync silently empty"] = (0.45, TimeSpan.FromDays(3)),
        ["sustained errors on a resource"] = (0.40, TimeSpan.FromDays(2)),
        ["mapping failures unfixed"] = (0.25, TimeSpan.FromDays(4)),
        ["disabled by customer"] = (0.60, TimeSpan.Zero),
        ["usage decline (champion quiet)"] = (0.50, TimeSpan.Zero),
        ["nps detractor"] = (0.35, TimeSpan.Zero),
    };

    /// <summary>Integration depth lowers every hazard: by number of connections (1, 2, 3+).</summary>
    public static IReadOnlyList<double> DepthFactor { get; } = [1.3, 1.0, 0.7];

    /// <summary>Median days from a problem maturing to the account leaving (log-normal, clamped to 14–75 days).</summary>
    /// <remarks>B2B customers rarely leave in the week a problem hurts: they escalate, wait for the fix, find and set
    /// up a replacement, and leave at a renewal, a month or more later; CS teams act on that lead. The first world
    /// had a median of 18 days (8–45), so a good share of the accounts churning in any three weeks had a cause that
    /// began within those same weeks, which no scorer can see in advance (the evaluation's <c>--ceiling</c>, ranking by
    /// the world's hidden causes, stayed under 0.80 AUC on some seeds). Chosen once from that reasoning (a month,
    /// two weeks at the soonest, two and a half months at the latest) and not searched over; its effect on the
    /// evaluation is recorded in the benchmarks README.</remarks>
    public const double MedianChurnDelayDays = 30;

    /// <summary>σ of the churn delay's logarithm.</summary>
    public const double ChurnDelaySigma = 0.5;

    /// <summary>Shortest and longest churn delay in days.</summary>
    public const double MinChurnDelayDays = 14, MaxChurnDelayDays = 75;

    /// <summary>The <see cref="Hazards"/> key of an episode kind.</summary>
    public static string DriverOf(DemoEpisodeKind kind) => kind switch
    {
        DemoEpisodeKind.AuthBroken => "credentials broken for days",
        DemoEpisodeKind.SyncStalled => "sync stalled",
        DemoEpisodeKind.SyncEmpty => "sync silently empty",
        DemoEpisodeKind.ErrorSpike => "sustained errors on a resource",
        DemoEpisodeKind.MappingDrift => "mapping failures unfixed",
        _ => "disabled by customer",
    };

    /// <summary>The <see cref="Hazards"/> keys of the account-level drifts.</summary>
    public const string DisengagedDriver = "usage decline (champion quiet)", UnhappyDriver = "nps detractor";

    /// <summary>Generates the world (pure and deterministic).</summary>
    public static DemoWorld Build(DemoWorldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var end = options.ResolveEnd();
        var start = end.AddDays(-options.Days);
        var incidents = PlanIncidents(options.Seed, start, options.Days);

        var accounts = new List<DemoAccount>(options.Accounts);
        var connections = new List<DemoConnection>();
        for (var i = 0; i < options.Accounts; i++)
        {
            var account = CreateAccount(options.Seed, i, start);
            AddConnections(options.Seed, account, start, connections);
            accounts.Add(account);
        }
        foreach (var connection in connections)
        {
            PlanHealth(options.Seed, connection, start, end, incidents);
        }
        foreach (var account in accounts)
        {
            PlanMood(options.Seed, account, start, end);
            DecideChurn(options.Seed, account, start, end);
            foreach (var connection in account.Connections)
            {
                SetSyncState(options.Seed, connection, account, end);
            }
        }
        var tickets = new List<DemoTicket>();
        var surveys = new List<DemoSurvey>();
        foreach (var account in accounts)
        {
            DemoFeedback.AddTickets(options.Seed, account, start, end, incidents, tickets);
            DemoFeedback.AddSurveys(options.Seed, account, start, end, surveys);
        }
        return new DemoWorld
        {
            Options = options,
            WindowStart = start,
            WindowEnd = end,
            Accounts = accounts,
            Connections = connections,
            Incidents = incidents,
            Tickets = tickets,
            Surveys = surveys,
        };
    }

    /// <summary>The four incidents of the narrative, placed at fixed fractions of the window.</summary>
    private static List<DemoIncident> PlanIncidents(int seed, DateTime start, int days)
    {
        var rng = DemoRandom.For(seed, IncidentStream);
        // Incidents start at a given UTC hour of the day a fraction into the window (the window itself may start mid-day).
        DateTime At(double fraction, int hour) => start.Date.AddDays(Math.Floor(days * fraction) + 1).AddHours(hour);
        var netsuite = DemoCatalog.IndexOf("netsuite");
        var hubspot = DemoCatalog.IndexOf("hubspot");
        var salesforce = DemoCatalog.IndexOf("salesforce");
        var zendesk = DemoCatalog.IndexOf("zendesk");
        var outageStart = At(0.3, 13 + rng.Next(0, 4));
        var waveStart = At(0.55, 8 + rng.Next(0, 3));
        var driftStart = At(0.7, 16);
        var list = new List<DemoIncident>
        {
            new("outage", netsuite, outageStart, outageStart.AddHours(4 + rng.Next(0, 3)),
                "NetSuite API outage: 5xx and timeouts"),
            new("token_wave", hubspot, waveStart, waveStart.AddHours(6),
                "HubSpot revoked refresh tokens (invalid_grant) after a security change"),
            new("schema_drift", salesforce, driftStart, driftStart.AddDays(3),
                "Salesforce opportunities: custom field changed type; mappings fail until updated"),
        };
        foreach (var fraction in new[] { 0.2, 0.45, 0.8 })
        {
            var s = At(fraction, 10 + rng.Next(0, 6));
            list.Add(new("rate_limit_storm", zendesk, s, s.AddHours(2), "Zendesk rate-limit storm: 429s, remaining near 0"));
        }
        // Windows shorter than a few days can push incidents past the end; keep only what the window shows.
        var end = start.AddDays(days);
        return list.Where(i => i.Start < end).Select(i => i.End > end ? i with { End = end } : i).ToList();
    }

    private static DemoAccount CreateAccount(int seed, int index, DateTime windowStart)
    {
        var rng = DemoRandom.For(seed, AccountStream, index);
        var segment = (AccountSegment)rng.PickWeighted([0.62, 0.28, 0.10]);
        var (arrMedian, arrSigma, arrMin, arrMax) = segment switch
        {
            AccountSegment.Smb => (12_000.0, 0.45, 5_000.0, 30_000.0),
            AccountSegment.MidMarket => (65_000.0, 0.45, 30_000.0, 150_000.0),
            _ => (380_000.0, 0.6, 150_000.0, 1_500_000.0),
        };
        var arr = Math.Round(Truncated(rng, arrMedian, arrSigma, arrMin, arrMax) / 100) * 100;
        var (seatMedian, seatSigma, seatMin, seatMax) = segment switch
        {
            AccountSegment.Smb => (15.0, 0.6, 3.0, 80.0),
            AccountSegment.MidMarket => (120.0, 0.5, 40.0, 600.0),
            _ => (1_200.0, 0.7, 300.0, 20_000.0),
        };
        var seats = (int)Math.Round(Truncated(rng, seatMedian, seatSigma, seatMin, seatMax));
        var plan = segment switch
        {
            AccountSegment.Smb => rng.Chance(0.55) ? "starter" : "growth",
            AccountSegment.MidMarket => rng.Chance(0.4) ? "growth" : "business",
            _ => "enterprise",
        };
        // SMB accounts are often digitally served (no named CSM).
        var csm = segment == AccountSegment.Smb && rng.Chance(0.4) ? null : rng.Pick(DemoCatalog.Csms);
        var ageDays = Math.Clamp(rng.LogNormal(400, 0.8), 30, 2_500);
        var createdAt = TruncateToSecond(windowStart.AddDays(-ageDays));
        var usersMedian = segment switch { AccountSegment.Smb => 6.0, AccountSegment.MidMarket => 20.0, _ => 45.0 };
        var users = Math.Clamp((int)Math.Round(rng.LogNormal(usersMedian, 0.4)), 2, Math.Max(2, seats));
        var name = string.Join(' ', rng.Pick(DemoCatalog.NameFirst), rng.Pick(DemoCatalog.NameSecond), rng.Pick(DemoCatalog.NameSuffix));
        return new DemoAccount
        {
            Index = index,
            ExternalId = AccountExternalId(index),
            Name = name,
            Segment = segment,
            Arr = (decimal)arr,
            Plan = plan,
            Seats = seats,
            Csm = csm,
            CreatedAt = createdAt,
            IntegrationUsers = users,
            Engagement = rng.Uniform(0.2, 0.5),
            // Huge accounts call far more, with errors at the same rate: raw error counts say nothing about health.
            RequestScale = segment == AccountSegment.Enterprise ? Math.Clamp(seats / 300.0, 1, 6) : 1,
        };
    }

    /// <summary>External id of the i-th demo account (<c>acct-0001</c> for index 0).</summary>
    public static string AccountExternalId(int index) => "acct-" + (index + 1).ToString("D4", CultureInfo.InvariantCulture);

    private static void AddConnections(int seed, DemoAccount account, DateTime windowStart, List<DemoConnection> all)
    {
        var rng = DemoRandom.For(seed, AccountStream, account.Index, 1);
        var count = account.Segment switch
        {
            AccountSegment.Smb => 1 + rng.PickWeighted([0.45, 0.35, 0.20]),
            AccountSegment.MidMarket => 2 + rng.PickWeighted([0.30, 0.40, 0.30]),
            _ => 3 + rng.PickWeighted([0.20, 0.30, 0.30, 0.20]),
        };
        var providers = DemoCatalog.Providers;
        Span<double> weights = stackalloc double[providers.Count];
        for (var p = 0; p < providers.Count; p++)
        {
            var bias = account.Segment switch
            {
                AccountSegment.Enterprise => providers[p].EnterpriseBias,
                AccountSegment.MidMarket => providers[p].EnterpriseBias / 2,
                _ => -providers[p].EnterpriseBias / 2,
            };
            weights[p] = Math.Max(0.02, providers[p].Popularity + bias);
        }
        var slug = Slug(account.Name, account.Index);
        for (var c = 0; c < count; c++)
        {
            var p = rng.PickWeighted(weights);
            weights[p] = 0; // one connection per provider per account
            var provider = providers[p];
            var span = Math.Max(1.0, (windowStart - account.CreatedAt).TotalDays);
            all.Add(new DemoConnection
            {
                Index = all.Count,
                AccountIndex = account.Index,
                ProviderIndex = p,
                ExternalId = $"conn-{account.Index + 1:D4}-{provider.Key}",
                AuthKind = provider.AuthKind,
                Scopes = Scopes(provider.Key),
                InstanceUrl = InstanceUrl(provider.Key, slug),
                ApiVersion = provider.ApiVersion,
                CreatedAt = TruncateToSecond(account.CreatedAt.AddDays(rng.Uniform(0, span))),
            });
            account.Connections.Add(all[^1]);
        }
    }

    /// <summary>Decides when a connection broke (and whether it recovered): individual failures plus the incidents.</summary>
    private static void PlanHealth(int seed, DemoConnection connection, DateTime start, DateTime end, List<DemoIncident> incidents)
    {
        var rng = DemoRandom.For(seed, ConnectionStream, connection.Index);
        var windowSeconds = (end - start).TotalSeconds;
        DateTime RandomInstant() => TruncateToSecond(start.AddSeconds(rng.Uniform(0, windowSeconds)));
        DateTime? Recovery(DateTime from, double chance, double medianDays)
        {
            if (!rng.Chance(chance))
            {
                return null;
            }
            var at = TruncateToSecond(from.AddDays(Math.Clamp(rng.LogNormal(medianDays, 0.7), 0.1, 30)));
            return at < end ? at : null;
        }

        if (rng.Chance(0.10))
        {
            var at = RandomInstant();
            var cause = connection.AuthKind == AuthKind.OAuth2 ? "refresh token revoked" : "credentials rotated";
            // A third are re-authorised within hours (minor); the rest recover after days or never.
            var back = rng.Chance(0.35) ? TruncateToSecond(at.AddHours(rng.Uniform(0.5, 8))) : Recovery(at, 0.35, 4);
            connection.Episodes.Add(new(DemoEpisodeKind.AuthBroken, at, back < end ? back : null, cause));
        }
        if (rng.Chance(0.03))
        {
            connection.Episodes.Add(new(DemoEpisodeKind.Disabled, RandomInstant(), null, "disabled by customer"));
        }
        // The silent problems: requests keep working, so only sync outcomes or one resource's error rate show them.
        var silent = rng.NextDouble();
        if (silent < 0.05)
        {
            var at = RandomInstant();
            connection.Episodes.Add(new(DemoEpisodeKind.SyncStalled, at, Recovery(at, 0.45, 3), "sync stalled"));
        }
        else if (silent < 0.10)
        {
            var at = RandomInstant();
            connection.Episodes.Add(new(DemoEpisodeKind.SyncEmpty, at, Recovery(at, 0.45, 3), "sync silently empty"));
        }
        if (rng.Chance(0.06))
        {
            var at = RandomInstant();
            connection.Episodes.Add(new(DemoEpisodeKind.ErrorSpike, at, Recovery(at, 0.5, 3), "sustained errors",
                rng.Pick(connection.Provider.Resources)));
        }
        foreach (var incident in incidents.Where(i => i.ProviderIndex == connection.ProviderIndex))
        {
            if (incident.Kind == "token_wave" && connection.AuthKind == AuthKind.OAuth2 && rng.Chance(0.45))
            {
                var at = TruncateToSecond(incident.Start.AddSeconds(rng.Uniform(0, (incident.End - incident.Start).TotalSeconds)));
                if (connection.StateAt(at) == DemoConnectionState.Healthy)
                {
                    connection.Episodes.Add(new(DemoEpisodeKind.AuthBroken, at, Recovery(at, 0.5, 1.5), "revoked-token wave"));
                }
            }
            else if (incident.Kind == "schema_drift" && rng.Chance(0.4))
            {
                var at = TruncateToSecond(incident.Start.AddSeconds(rng.Uniform(0, 12 * 3600)));
                // Most accounts get the mapping fixed shortly after the platform ships an update; some never do.
                DateTime? fixedAt = rng.Chance(0.7) ? TruncateToSecond(incident.End.AddHours(rng.Uniform(0, 48))) : null;
                if (at < end)
                {
                    connection.Episodes.Add(new(DemoEpisodeKind.MappingDrift, at, fixedAt < end ? fixedAt : null, "schema drift"));
                }
            }
        }
    }

    /// <summary>Account-level drift: the champion going quiet, or unhappiness outside integrations.</summary>
    private static void PlanMood(int seed, DemoAccount account, DateTime start, DateTime end)
    {
        var rng = DemoRandom.For(seed, MoodStream, account.Index);
        var span = (end - start).TotalSeconds;
        if (rng.Chance(0.08))
        {
            account.DisengagedAt = TruncateToSecond(start.AddSeconds(rng.Uniform(0.15, 1) * span));
        }
        if (rng.Chance(0.06))
        {
            account.UnhappyAt = TruncateToSecond(start.AddSeconds(rng.Uniform(0.1, 1) * span));
        }
    }

    /// <summary>
    /// Churn is caused by what happens, with a delay: each problem that lasts long enough to hurt (see
    /// <see cref="Hazards"/>) may make the account leave, some days after it matured; depth (more connections)
    /// lowers every hazard; a small background churn has no integration cause at all. Problems that were fixed quickly
    /// and the platform-wide incidents carry no hazard of their own, so they are noise a scorer must not read as risk.
    /// </summary>
    private static void DecideChurn(int seed, DemoAccount account, DateTime start, DateTime end)
    {
        var rng = DemoRandom.For(seed, ChurnStream, account.Index);
        account.HealthyConnections = account.Connections.Count(c => c.HealthyAtEnd);
        var depth = DepthFactor[Math.Min(account.Connections.Count, 3) - 1];
        var causes = new List<(string Driver, DateTime At, double Hazard)>();
        void Consider(string driver, DateTime from, DateTime? until)
        {
            var (hazard, matures) = Hazards[driver];
            var at = from + matures;
            if (at < (until ?? end) && at < end)
            {
                causes.Add((driver, at, hazard * depth));
            }
        }
        foreach (var e in account.Connections.SelectMany(c => c.Episodes))
        {
            Consider(DriverOf(e.Kind), e.Start, e.End);
        }
        if (account.DisengagedAt is { } quiet)
        {
            Consider(DisengagedDriver, quiet, null);
        }
        if (account.UnhappyAt is { } unhappy)
        {
            Consider(UnhappyDriver, unhappy, null);
        }
        // Mean-one log-normal noise: accounts differ for reasons outside the model.
        const double sigma = 0.35;
        var noise = Math.Exp(sigma * rng.Normal() - sigma * sigma / 2);
        var stay = 1 - BackgroundChurnRisk;
        foreach (var c in causes)
        {
            stay *= 1 - Math.Clamp(c.Hazard * noise, 0, 0.95);
        }
        account.LatentRisk = Math.Round(Math.Clamp(1 - stay, 0, 0.99), 6);
        account.Drivers = DescribeDrivers(account, account.HealthyConnections);
        // Which cause (if any) makes the account leave, then when: some days after it matured.
        DateTime? churnAt = null;
        var driverName = "none";
        if (rng.Chance(BackgroundChurnRisk))
        {
            churnAt = start.AddSeconds(rng.Uniform(0.3, 1) * (end - start).TotalSeconds);
            driverName = "background";
        }
        foreach (var c in causes.OrderBy(c => c.At))
        {
            if (!rng.Chance(Math.Clamp(c.Hazard * noise, 0, 0.95)))
            {
                continue;
            }
            var at = c.At.AddDays(Math.Clamp(rng.LogNormal(MedianChurnDelayDays, ChurnDelaySigma), MinChurnDelayDays, MaxChurnDelayDays));
            if (churnAt is null || at < churnAt)
            {
                (churnAt, driverName) = (at, c.Driver);
            }
        }
        if (churnAt is { } when && when < end)
        {
            account.ChurnedAt = TruncateToSecond(when);
            account.ChurnDriver = driverName;
        }
    }

    private static string DescribeDrivers(DemoAccount account, int healthy)
    {
        var causes = account.Connections.SelectMany(c => c.Episodes.Select(e => (c, e)))
            .Select(x => $"{x.e.Cause} ({x.c.Provider.Key}{(x.e.Resource is null ? "" : " " + x.e.Resource)}{(x.e.End is null ? ", unresolved" : ", resolved")})")
            .Distinct()
            .ToList();
        if (account.DisengagedAt is not null)
        {
            causes.Add("champion went quiet");
        }
        if (account.UnhappyAt is not null)
        {
            causes.Add("unhappy outside integrations");
        }
        var summary = $"{healthy} of {account.Connections.Count} connections healthy";
        return causes.Count == 0 ? summary + "; no integration incidents" : summary + "; " + string.Join("; ", causes);
    }

    private static void SetSyncState(int seed, DemoConnection connection, DemoAccount account, DateTime end)
    {
        var rng = DemoRandom.For(seed, ConnectionStream, connection.Index, 1);
        var stop = account.ChurnedAt ?? end;
        var broken = connection.Episodes.Where(e => e.End is null && e.Kind is DemoEpisodeKind.AuthBroken or DemoEpisodeKind.Disabled or DemoEpisodeKind.SyncStalled)
            .Select(e => (DateTime?)e.Start).Min();
        var last = broken is { } b && b < stop ? b : stop;
        var lastSync = TruncateToSecond(last.AddMinutes(-rng.Uniform(1, 180)));
        connection.LastSyncAt = lastSync;
        connection.SyncCursor = lastSync.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    }

    /// <summary>Log-normal draw kept inside [min, max] by redrawing, so the bounds don't pile up mass.</summary>
    private static double Truncated(DemoRandom rng, double median, double sigma, double min, double max)
    {
        for (var attempt = 0; attempt < 32; attempt++)
        {
            var x = rng.LogNormal(median, sigma);
            if (x >= min && x <= max)
            {
                return x;
            }
        }
        return Math.Clamp(median, min, max);
    }

    private static string Slug(string name, int index)
    {
        var letters = new string(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(16).ToArray());
        return letters + (index + 1).ToString(CultureInfo.InvariantCulture);
    }

    private static string? Scopes(string provider) => provider switch
    {
        "salesforce" => "api refresh_token offline_access",
        "hubspot" => "crm.objects.contacts.read crm.objects.contacts.write crm.objects.deals.read oauth",
        "zendesk" => "read write",
        "slack" => "chat:write channels:read users:read",
        "netsuite" => "rest_webservices",
        "quickbooks" => "com.intuit.quickbooks.accounting",
        _ => null,
    };

    private static string? InstanceUrl(string provider, string slug) => provider switch
    {
        "salesforce" => $"https://{slug}.my.salesforce.com",
        "zendesk" => $"https://{slug}.zendesk.com",
        "netsuite" => $"https://{slug}.suitetalk.api.netsuite.com",
        "workday" => $"https://wd5-services1.myworkday.com/ccx/service/{slug}",
        "bamboohr" => $"https://api.bamboohr.com/api/gateway.php/{slug}",
        _ => null,
    };

    internal static DateTime TruncateToSecond(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
