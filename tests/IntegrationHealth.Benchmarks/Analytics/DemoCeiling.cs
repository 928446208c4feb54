using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Benchmarks.Analytics;

/// <summary>
/// A reference no scorer can be expected to beat by reading causes (<c>analytics-eval --ceiling</c>): each demo
/// account's chance of churning in the 21 days after the as-of instant, computed from the world's <b>hidden truth</b>
/// of what had gone wrong before that instant, with the world's own rules (<see cref="DemoWorldBuilder.Hazards"/>,
/// <see cref="DemoWorldBuilder.DepthFactor"/>, the log-normal churn delay): every problem that began before the
/// instant and was not fixed before it matured (problems still open are taken to mature), each churning with its
/// hazard after a delay that falls into the window, given that it has not already. It knows neither the per-account
/// noise nor the causes that begin later, nor the background churn; it does not read the usage that fades and the NPS
/// that sours in the weeks before an account leaves (signals of the departure, not of its cause), which is why a
/// scorer can come near it or pass it on some seeds.
/// </summary>
internal static class DemoCeiling
{
    public static Func<DateTime, double> For(DemoAccount account)
    {
        var depth = DemoWorldBuilder.DepthFactor[Math.Min(account.Connections.Count, 3) - 1];
        var causes = account.Connections.SelectMany(c => c.Episodes.Select(e => (Driver: DemoWorldBuilder.DriverOf(e.Kind), e.Start, e.End))).ToList();
        if (account.DisengagedAt is { } quiet) causes.Add((DemoWorldBuilder.DisengagedDriver, quiet, null));
        if (account.UnhappyAt is { } unhappy) causes.Add((DemoWorldBuilder.UnhappyDriver, unhappy, null));
        return asOf =>
        {
            var stay = 1.0;
            foreach (var (driver, start, end) in causes)
            {
                if (start >= asOf) continue;
                var (hazard, matures) = DemoWorldBuilder.Hazards[driver];
                var maturedAt = start + matures;
                if (end is { } fixedAt && fixedAt < maturedAt) continue;
                var chance = Math.Min(0.95, hazard * depth);
                var since = Math.Max(0, (asOf - maturedAt).TotalDays);
                // P(delay in [since, since + 21)) among those not yet gone.
                var inWindow = DelayCdf(since + 21) - DelayCdf(since);
                stay *= 1 - chance * inWindow / (1 - chance * DelayCdf(since));
            }

            return 1 - stay;
        };
    }

    /// <summary>P(delay ≤ days) of the world's churn delay: log-normal around its median, clamped to its bounds.</summary>
    private static double DelayCdf(double days) =>
        days < DemoWorldBuilder.MinChurnDelayDays ? 0
        : days >= DemoWorldBuilder.MaxChurnDelayDays ? 1
        : 0.5 * (1 + Erf(Math.Log(days / DemoWorldBuilder.MedianChurnDelayDays) / (DemoWorldBuilder.ChurnDelaySigma * Math.Sqrt(2))));

    /// <summary>The error function (Abramowitz and Stegun 7.1.26, error under 1.5 × 10⁻⁷).</summary>
    private static double Erf(double x)
    {
        var t = 1 / (1 + 0.3275911 * Math.Abs(x));
        var y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return x >= 0 ? y : -y;
    }
}
