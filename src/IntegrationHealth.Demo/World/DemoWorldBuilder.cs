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
    internal const long AccountStream = 1, ConnectionStream = 2, FeedbackStream = 3, ChurnStream = 4, IncidentStream = 5;

    /// <summary>Churn risk multiplier by number of healthy connections at the end of the window (0, 1, 2, 3+).
    /// Accounts with 3+ healthy integrations churn a third as often as accounts with none.</summary>
    public static IReadOnlyList<double> HealthChurnFactor { get; } = [3.0, 2.0, 1.4, 1.0];

    /// <summary>Churn probability over the window of an account with 3+ healthy integrations (before noise).</summary>
    public const double BaseChurnRisk = 0.06;

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
            connection.Episodes.Add(new(DemoEpisodeKind.AuthBroken, at, Recovery(at, 0.4, 2.5), cause));
        }
        if (rng.Chance(0.03))
        {
            connection.Episodes.Add(new(DemoEpisodeKind.Disabled, RandomInstant(), null, "disabled by customer"));
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

    /// <summary>Churn odds depend on integration health; the churn date follows the account's last health change.</summary>
    private static void DecideChurn(int seed, DemoAccount account, DateTime start, DateTime end)
    {
        var rng = DemoRandom.For(seed, ChurnStream, account.Index);
        var healthy = account.Connections.Count(c => c.HealthyAtEnd);
        account.HealthyConnections = healthy;
        // Mean-one log-normal noise: accounts differ for reasons outside the model, without biasing the health effect.
        const double sigma = 0.35;
        var noise = Math.Exp(sigma * rng.Normal() - sigma * sigma / 2);
        var risk = Math.Clamp(BaseChurnRisk * HealthChurnFactor[Math.Min(healthy, 3)] * noise, 0, 0.95);
        account.LatentRisk = Math.Round(risk, 6);
        account.Drivers = DescribeDrivers(account, healthy);
        if (!rng.Chance(risk))
        {
            return;
        }
        var lastChange = account.Connections.SelectMany(c => c.Episodes)
            .Select(e => e.End ?? e.Start).DefaultIfEmpty(start).Max();
        var earliest = new[] { lastChange.AddDays(1), start.AddDays((end - start).TotalDays * 0.3) }.Max();
        var churnedAt = earliest < end.AddHours(-1)
            ? earliest.AddSeconds(rng.Uniform(0, (end - earliest).TotalSeconds))
            : end.AddHours(-rng.Uniform(0.1, 1));
        account.ChurnedAt = TruncateToSecond(churnedAt);
    }

    private static string DescribeDrivers(DemoAccount account, int healthy)
    {
        var causes = account.Connections.SelectMany(c => c.Episodes.Select(e => (c, e)))
            .Select(x => $"{x.e.Cause} ({x.c.Provider.Key}{(x.e.End is null ? ", unresolved" : ", resolved")})")
            .Distinct()
            .ToList();
        var summary = $"{healthy} of {account.Connections.Count} connections healthy";
        return causes.Count == 0 ? summary + "; no integration incidents" : summary + "; " + string.Join("; ", causes);
    }

    private static void SetSyncState(int seed, DemoConnection connection, DemoAccount account, DateTime end)
    {
        var rng = DemoRandom.For(seed, ConnectionStream, connection.Index, 1);
        var stop = account.ChurnedAt ?? end;
        var broken = connection.Episodes.Where(e => e.End is null && e.Kind != DemoEpisodeKind.MappingDrift)
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
