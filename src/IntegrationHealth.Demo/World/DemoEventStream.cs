using System.Globalization;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Demo.World;

/// <summary>
/// Streams a world's telemetry day by day. Each (day, account) pair draws from its own random stream, so a day can be
/// generated on its own, in parallel with others, and always yields the same events; nothing but one day is ever held.
/// </summary>
public static class DemoEventStream
{
    internal const long EventStream = 10;

    // Share of activity per UTC hour: a broad business-hours hump (accounts span time zones).
    private static readonly double[] HourWeights = [1, 1, 1, 1, 1.5, 2, 3, 5, 8, 10, 10, 10, 9, 10, 10, 9, 8, 6, 4, 3, 2, 2, 1.5, 1];
    private static readonly double[] MethodWeights = [0, 0.70, 0.15, 0.03, 0.08, 0.04]; // None, GET, POST, PUT, PATCH, DELETE
    private static readonly string[] UserIds = Enumerable.Range(0, 4097).Select(i => "u-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>All events of the world, day by day (not sorted by time within a day).</summary>
    public static IEnumerable<DemoEvent> All(DemoWorld world)
    {
        for (var day = 0; day < world.Days; day++)
        {
            foreach (var e in ForDay(world, day))
            {
                yield return e;
            }
        }
    }

    /// <summary>The events of one day of the window (0-based), for every account.</summary>
    public static List<DemoEvent> ForDay(DemoWorld world, int day)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(day);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(day, world.Days);
        var list = new List<DemoEvent>(world.Connections.Count * 16 + 1024);
        foreach (var account in world.Accounts)
        {
            AddAccountDay(world, account, day, list);
        }
        return list;
    }

    /// <summary>Approximate number of events the world streams (for progress reporting).</summary>
    public static long EstimateCount(DemoWorld world)
    {
        var perDay = 0.0;
        var density = world.Options.EventDensity;
        foreach (var account in world.Accounts)
        {
            var (req, sync, hooks) = Rates(account.Segment);
            foreach (var c in account.Connections)
            {
                perDay += density * (0.85 * req * account.RequestScale + sync + (c.Provider.Webhooks ? 0.85 * hooks : 0)
                    + (c.AuthKind == AuthKind.OAuth2 ? 1.5 : 0));
            }
            perDay += account.IntegrationUsers * account.Engagement * 0.8 * 1.25;
        }
        return (long)(perDay * world.Days * 0.93);
    }

    private static (double Requests, double Syncs, double Webhooks) Rates(AccountSegment segment) => segment switch
    {
        AccountSegment.Smb => (3, 1, 1),
        AccountSegment.MidMarket => (5, 2, 2),
        _ => (8, 3, 3),
    };

    private static void AddAccountDay(DemoWorld world, DemoAccount account, int day, List<DemoEvent> list)
    {
        var dayStart = world.WindowStart.AddDays(day);
        var limit = dayStart.AddDays(1);
        if (limit > world.WindowEnd)
        {
            limit = world.WindowEnd;
        }
        if (account.ChurnedAt is { } churned && churned < limit)
        {
            limit = churned;
        }
        if (limit <= dayStart)
        {
            return;
        }
        var g = new DayGenerator(world, account, dayStart, limit, DemoRandom.For(world.Options.Seed, EventStream, day, account.Index), list);
        foreach (var connection in account.Connections)
        {
            g.Connection(connection);
        }
        g.Usage();
    }

    /// <summary>Generates one account's events for one day.</summary>
    private readonly struct DayGenerator(DemoWorld world, DemoAccount account, DateTime dayStart, DateTime limit, DemoRandom rng,
        List<DemoEvent> list)
    {
        // The simulated day spans two calendar days when the window starts mid-day; its middle decides.
        private bool Weekend => dayStart.AddHours(12).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

        public void Connection(DemoConnection c)
        {
            var p = c.Provider;
            var density = world.Options.EventDensity;
            var weekend = Weekend ? 0.55 : 1.0;
            var (reqRate, syncRate, hookRate) = Rates(account.Segment);

            foreach (var e in c.Episodes)
            {
                if (e.Kind == DemoEpisodeKind.AuthBroken && e.Start >= dayStart && e.Start < limit)
                {
                    BreakageSignal(c, e.Start);
                }
            }
            var n = rng.Poisson(reqRate * account.RequestScale * density * weekend);
            for (var i = 0; i < n; i++)
            {
                Request(c, BusinessTime());
            }
            if (c.AuthKind == AuthKind.OAuth2)
            {
                n = rng.Poisson(1.5 * density);
                for (var i = 0; i < n; i++)
                {
                    TokenRefresh(c, AnyTime());
                }
            }
            n = rng.Poisson(syncRate * density);
            for (var i = 0; i < n; i++)
            {
                SyncRun(c, AnyTime());
            }
            if (p.Webhooks)
            {
                n = rng.Poisson(hookRate * density * weekend);
                for (var i = 0; i < n; i++)
                {
                    Webhook(c, BusinessTime());
                }
            }
            MappingFailures(c);
        }

        public void Usage()
        {
            var decay = 1.0;
            if (account.ChurnedAt is { } churned)
            {
                // Users drift away in the weeks before an account leaves.
                decay = Math.Clamp((churned - dayStart).TotalDays / 14, 0.15, 1);
            }
            var quiet = account.DisengagedAt is { } q && q < limit;
            if (quiet)
            {
                // Once the champion goes quiet the others drift away too.
                decay *= 0.5;
            }
            var chance = account.Engagement * (Weekend ? 0.3 : 1.0) * decay;
            for (var u = 1; u <= account.IntegrationUsers; u++)
            {
                // User 1 is the account's champion: active most weekdays, until they go quiet.
                var own = u == 1 ? (quiet ? 0 : Math.Min(0.95, chance * 2.5)) : chance;
                if (!rng.Chance(own))
                {
                    continue;
                }
                var actions = 1 + rng.Poisson(0.25);
                for (var k = 0; k < actions; k++)
                {
                    var t = BusinessTime();
                    var c = account.Connections[rng.Next(0, account.Connections.Count)];
                    var state = t < limit ? c.StateAt(t) : DemoConnectionState.Disabled;
                    if (state is DemoConnectionState.Healthy or DemoConnectionState.MappingDrift)
                    {
                        Add(c, t, TelemetryKind.Usage, ErrorClass.None, HttpMethodCode.None, null, null, null, null, null,
                            rng.Pick(c.Provider.Features), u <= 4096 ? UserIds[u] : "u-" + u.ToString(CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        private void BreakageSignal(DemoConnection c, DateTime at)
        {
            if (c.AuthKind == AuthKind.OAuth2)
            {
                // The refresh fails, is retried a couple of times, then the connection is flagged needs_reauth.
                var attempts = 1 + rng.Next(0, 3);
                for (var i = 0; i < attempts && at < limit; i++, at = at.AddMinutes(1 + rng.Next(0, 5)))
                {
                    Add(c, at, TelemetryKind.TokenRefresh, ErrorClass.InvalidGrant, HttpMethodCode.Post, 400,
                        Latency(250, 0.3), null, null, null, "oauth/token", null);
                }
            }
            else
            {
                Add(c, at, TelemetryKind.Request, ErrorClass.Client4xx, HttpMethodCode.Get, 401, Latency(c.Provider.MedianLatencyMs / 2, 0.3),
                    null, null, null, rng.Pick(c.Provider.Resources), null);
            }
        }

        private void Request(DemoConnection c, DateTime t)
        {
            if (t >= limit)
            {
                return;
            }
            var p = c.Provider;
            var resource = rng.Pick(p.Resources);
            switch (c.StateAt(t))
            {
                case DemoConnectionState.Disabled:
                    return;
                case DemoConnectionState.AuthBroken:
                    // Most callers stop once the connection is flagged; a few keep trying and get 401s.
                    if (rng.Chance(0.08))
                    {
                        Add(c, t, TelemetryKind.Request, ErrorClass.Client4xx, HttpMethodCode.Get, 401, Latency(p.MedianLatencyMs / 2, 0.3),
                            null, null, null, resource, null);
                    }
                    return;
            }
            var method = (HttpMethodCode)rng.PickWeighted(MethodWeights);
            var rateLimit = p.RateLimit;
            var latency = Latency(p.MedianLatencyMs, 0.55);
            if (Active("outage", c.ProviderIndex, t))
            {
                var x = rng.NextDouble();
                if (x < 0.65)
                {
                    short status = x < 0.33 ? (short)503 : x < 0.52 ? (short)502 : (short)500;
                    Add(c, t, TelemetryKind.Request, ErrorClass.Server5xx, method, status, Latency(p.MedianLatencyMs * 3, 0.5), null,
                        (int)(rateLimit * rng.Uniform(0.5, 1)), rateLimit, resource, null);
                    return;
                }
                if (x < 0.9)
                {
                    Add(c, t, TelemetryKind.Request, ErrorClass.Timeout, method, null, 30_000, null, null, null, resource, null);
                    return;
                }
                latency *= 4;
            }
            if (c.Active(DemoEpisodeKind.ErrorSpike, t) is { } spike && spike.Resource == resource && rng.Chance(0.5))
            {
                // The resource fails; the engine retries once or twice, and the retries fail too.
                var tries = 1 + rng.Next(1, 3);
                for (var k = 0; k < tries; k++)
                {
                    var server = rng.Chance(0.7);
                    Add(c, t.AddSeconds(k * 2), TelemetryKind.Request, server ? ErrorClass.Server5xx : ErrorClass.Client4xx, method,
                        server ? (short)500 : (short)422, latency, null, (int)(rateLimit * rng.Uniform(0.15, 1)), rateLimit, resource, null);
                }
                return;
            }
            int remaining;
            if (Active("rate_limit_storm", c.ProviderIndex, t))
            {
                if (rng.Chance(0.6))
                {
                    Add(c, t, TelemetryKind.Request, ErrorClass.RateLimited, method, 429, Latency(40, 0.4), null, 0, rateLimit, resource, null);
                    return;
                }
                remaining = rng.Next(0, Math.Max(2, rateLimit / 50));
            }
            else
            {
                remaining = (int)(rateLimit * rng.Uniform(0.15, 1));
                var x = rng.NextDouble();
                if (x < 0.024)
                {
                    var (error, status) = x switch
                    {
                        < 0.012 => (ErrorClass.Client4xx, (short?)rng.Pick<short>([400, 404, 404, 409, 422])),
                        < 0.016 => (ErrorClass.Server5xx, (short?)500),
                        < 0.018 => (ErrorClass.Timeout, null),
                        < 0.020 => (ErrorClass.Network, null),
                        _ => (ErrorClass.RateLimited, (short?)429),
                    };
                    Add(c, t, TelemetryKind.Request, error, method, status, error == ErrorClass.Timeout ? 30_000 : latency, null,
                        error == ErrorClass.RateLimited ? 0 : remaining, rateLimit, resource, null);
                    return;
                }
            }
            var (ok, records) = method switch
            {
                HttpMethodCode.Get => ((short)200, (int?)Math.Clamp((int)rng.LogNormal(40, 1.0), 0, 2_000)),
                HttpMethodCode.Post => ((short)201, 1),
                HttpMethodCode.Delete => ((short)204, 1),
                _ => ((short)200, 1),
            };
            Add(c, t, TelemetryKind.Request, ErrorClass.None, method, ok, latency, records, remaining, rateLimit, resource, null);
        }

        private void TokenRefresh(DemoConnection c, DateTime t)
        {
            if (t >= limit || c.StateAt(t) is DemoConnectionState.AuthBroken or DemoConnectionState.Disabled)
            {
                return;
            }
            if (Active("outage", c.ProviderIndex, t) && rng.Chance(0.7))
            {
                Add(c, t, TelemetryKind.TokenRefresh, ErrorClass.Server5xx, HttpMethodCode.Post, 503, Latency(900, 0.5), null, null, null,
                    "oauth/token", null);
                return;
            }
            Add(c, t, TelemetryKind.TokenRefresh, ErrorClass.None, HttpMethodCode.Post, 200, Latency(250, 0.4), null, null, null,
                "oauth/token", null);
        }

        private void SyncRun(DemoConnection c, DateTime t)
        {
            // The scheduler pauses syncs of connections that need re-authorisation or are switched off.
            if (t >= limit || c.StateAt(t) is DemoConnectionState.AuthBroken or DemoConnectionState.Disabled)
            {
                return;
            }
            if (c.Active(DemoEpisodeKind.SyncStalled, t) is not null)
            {
                return;
            }
            var resource = rng.Pick(c.Provider.Resources);
            var duration = Latency(6_000, 0.6);
            if (c.Active(DemoEpisodeKind.SyncEmpty, t) is not null)
            {
                Add(c, t, TelemetryKind.SyncRun, ErrorClass.None, HttpMethodCode.None, null, duration / 4, 0, null, null, resource, null);
                return;
            }
            if (Active("outage", c.ProviderIndex, t))
            {
                Add(c, t, TelemetryKind.SyncRun, ErrorClass.Server5xx, HttpMethodCode.None, null, duration * 3, 0, null, null, resource, null);
                return;
            }
            if (Active("rate_limit_storm", c.ProviderIndex, t) && rng.Chance(0.4))
            {
                Add(c, t, TelemetryKind.SyncRun, ErrorClass.RateLimited, HttpMethodCode.None, null, duration * 2,
                    rng.Next(0, 20), null, null, resource, null);
                return;
            }
            if (rng.Chance(0.015))
            {
                Add(c, t, TelemetryKind.SyncRun, rng.Chance(0.5) ? ErrorClass.Timeout : ErrorClass.Other, HttpMethodCode.None, null,
                    duration, 0, null, null, resource, null);
                return;
            }
            var records = Math.Clamp((int)rng.LogNormal(40, 1.2), 0, 50_000);
            Add(c, t, TelemetryKind.SyncRun, ErrorClass.None, HttpMethodCode.None, null, duration, records, null, null, resource, null);
        }

        private void Webhook(DemoConnection c, DateTime t)
        {
            if (t >= limit || c.StateAt(t) is DemoConnectionState.AuthBroken or DemoConnectionState.Disabled)
            {
                return;
            }
            var resource = rng.Pick(c.Provider.Resources);
            if (rng.Chance(0.012))
            {
                var timeout = rng.Chance(0.4);
                Add(c, t, TelemetryKind.WebhookDelivery, timeout ? ErrorClass.Timeout : ErrorClass.Server5xx, HttpMethodCode.Post,
                    timeout ? null : (short)500, timeout ? 10_000 : Latency(300, 0.5), 0, null, null, resource, null);
                return;
            }
            Add(c, t, TelemetryKind.WebhookDelivery, ErrorClass.None, HttpMethodCode.Post, 200, Latency(120, 0.5), rng.Next(1, 6), null, null,
                resource, null);
        }

        private void MappingFailures(DemoConnection c)
        {
            var baseline = rng.Poisson(0.03);
            for (var i = 0; i < baseline; i++)
            {
                var t = AnyTime();
                if (t < limit && c.StateAt(t) is DemoConnectionState.Healthy or DemoConnectionState.MappingDrift)
                {
                    Add(c, t, TelemetryKind.MappingFailure, ErrorClass.Mapping, HttpMethodCode.None, null, null, 1, null, null,
                        rng.Pick(c.Provider.Resources), null);
                }
            }
            foreach (var e in c.Episodes)
            {
                if (e.Kind != DemoEpisodeKind.MappingDrift)
                {
                    continue;
                }
                var from = e.Start > dayStart ? e.Start : dayStart;
                var to = e.End is { } end && end < limit ? end : limit;
                if (to <= from)
                {
                    continue;
                }
                var hours = (to - from).TotalHours;
                var n = rng.Poisson((6 + 4 * (int)account.Segment) * hours / 24 * world.Options.EventDensity);
                for (var i = 0; i < n; i++)
                {
                    var t = Millis(from.AddSeconds(rng.Uniform(0, (to - from).TotalSeconds)));
                    if (c.StateAt(t) == DemoConnectionState.MappingDrift)
                    {
                        Add(c, t, TelemetryKind.MappingFailure, ErrorClass.Mapping, HttpMethodCode.None, null, null, rng.Next(1, 50),
                            null, null, "opportunities", null);
                    }
                }
            }
        }

        private bool Active(string kind, int provider, DateTime t)
        {
            foreach (var incident in world.Incidents)
            {
                if (incident.ProviderIndex == provider && incident.Kind == kind && incident.Covers(t))
                {
                    return true;
                }
            }
            return false;
        }

        private int Latency(double median, double sigma) => Math.Clamp((int)rng.LogNormal(median, sigma), 1, 120_000);

        /// <summary>An instant of the day weighted by the UTC hour of day (the simulated day may start at any hour).</summary>
        private DateTime BusinessTime()
        {
            var hourOfDay = rng.PickWeighted(HourWeights);
            var offset = (hourOfDay - dayStart.Hour + 24) % 24;
            return Millis(dayStart.AddHours(offset).AddSeconds(rng.Uniform(0, 3600)));
        }

        private DateTime AnyTime() => Millis(dayStart.AddSeconds(rng.Uniform(0, 86_400)));

        private static DateTime Millis(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

        private void Add(DemoConnection c, DateTime t, TelemetryKind kind, ErrorClass error, HttpMethodCode method, short? status,
            int? latency, int? records, int? remaining, int? rateLimit, string? resource, string? user)
        {
            list.Add(new DemoEvent(rng.NextGuidV7(t), t, account.Index, c.ProviderIndex, c.Index, kind,
                error == ErrorClass.None ? TelemetryOutcome.Success : TelemetryOutcome.Failure, error, method, status, latency, records,
                remaining, rateLimit, resource, user));
        }
    }
}
