using System.ComponentModel.DataAnnotations;

namespace IntegrationHealth.StatusPage;

/// <summary>The status page's settings (section <c>StatusPage</c>); every one is listed in CONFIGURATION.md.</summary>
public sealed class StatusPageOptions
{
    public const string Section = "StatusPage";

    /// <summary>Largest admin request body; more is answered 413.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long a rendered public document is served before it is rendered again even without a change on
    /// this process (a change made through another process reaches this one within it).</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many resolved incidents and completed maintenances the history documents list.</summary>
    [Range(1, 500)]
    public int HistoryLimit { get; set; } = 50;

    /// <summary>The slug of the page also served at the site root (<c>/</c>, <c>/api/v2/…</c>, feeds, badges); unset:
    /// pages only at <c>/pages/{slug}</c>.</summary>
    [RegularExpression("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$", ErrorMessage = "StatusPage:DefaultPage must be a page slug: 1–64 lowercase letters, digits and hyphens.")]
    public string? DefaultPage { get; set; }

    /// <summary>How far ahead a scheduled maintenance shows in accounts' in-app notices.</summary>
    public TimeSpan NoticeLeadTime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How component status follows telemetry.</summary>
    public ComponentStatusRules Derivation { get; set; } = new();
}

/// <summary>
/// How telemetry moves a component's status. Each level has an enter threshold and a lower exit threshold
/// (hysteresis), and a change must persist for a minimum duration before it is shown: a worse status for
/// <see cref="EnterAfter"/>, a better one for <see cref="ExitAfter"/>. So a component neither flaps on a noisy minute
/// nor lingers once the provider has recovered.
/// </summary>
public sealed class ComponentStatusRules
{
    /// <summary>Where the per-minute windows come from: <c>rollups</c> (analytics' per-minute provider rollups, the
    /// default) or <c>events</c> (the raw telemetry events; costs in proportion to traffic, but has no rollup delay).</summary>
    public TelemetryWindowSource Source { get; set; } = TelemetryWindowSource.Rollups;

    /// <summary>The window, in minutes up to now, whose requests are judged.</summary>
    [Range(1, 60)]
    public int WindowMinutes { get; set; } = 5;

    /// <summary>Fewer requests than this in the window is no evidence: the status stays as it is.</summary>
    [Range(1, 1_000_000)]
    public int MinRequests { get; set; } = 20;

    /// <summary>Error rate (0–1) at which a component enters degraded performance; and below which it leaves.</summary>
    public double DegradedEnterErrorRate { get; set; } = 0.05;
    public double DegradedExitErrorRate { get; set; } = 0.02;

    /// <summary>Error rate entering / leaving partial outage.</summary>
    public double PartialEnterErrorRate { get; set; } = 0.25;
    public double PartialExitErrorRate { get; set; } = 0.10;

    /// <summary>Error rate entering / leaving major outage.</summary>
    public double MajorEnterErrorRate { get; set; } = 0.60;
    public double MajorExitErrorRate { get; set; } = 0.30;

    /// <summary>p95 latency (ms) entering / leaving degraded performance.</summary>
    public double LatencyEnterP95Ms { get; set; } = 2000;
    public double LatencyExitP95Ms { get; set; } = 1200;

    /// <summary>How long a worse status must persist before it is shown.</summary>
    public TimeSpan EnterAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a better status must persist before it is shown.</summary>
    public TimeSpan ExitAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Open an incident when a telemetry-driven component degrades, and resolve it after recovery unless
    /// staff took it over.</summary>
    public bool AutoIncidents { get; set; } = true;

    /// <summary>Why the rules are inconsistent, or null.</summary>
    public string? Problem()
    {
        static bool Rate(double v) => v is > 0 and <= 1;
        if (!Rate(DegradedEnterErrorRate) || !Rate(PartialEnterErrorRate) || !Rate(MajorEnterErrorRate)
            || !Rate(DegradedExitErrorRate) || !Rate(PartialExitErrorRate) || !Rate(MajorExitErrorRate))
            return "StatusPage:Derivation error rates must be in (0, 1].";
        if (DegradedExitErrorRate > DegradedEnterErrorRate || PartialExitErrorRate > PartialEnterErrorRate || MajorExitErrorRate > MajorEnterErrorRate)
            return "StatusPage:Derivation exit error rates must not exceed their enter rates.";
        if (!(DegradedEnterErrorRate < PartialEnterErrorRate && PartialEnterErrorRate < MajorEnterErrorRate))
            return "StatusPage:Derivation enter rates must rise from degraded to partial to major.";
        if (LatencyEnterP95Ms <= 0 || LatencyExitP95Ms <= 0 || LatencyExitP95Ms > LatencyEnterP95Ms)
            return "StatusPage:Derivation latency thresholds must be positive and the exit must not exceed the enter.";
        if (EnterAfter < TimeSpan.Zero || ExitAfter < TimeSpan.Zero || EnterAfter > TimeSpan.FromDays(1) || ExitAfter > TimeSpan.FromDays(1))
            return "StatusPage:Derivation EnterAfter and ExitAfter must be from 0 to 1 day.";
        return null;
    }
}

/// <summary>The source of the derivation's per-minute windows.</summary>
public enum TelemetryWindowSource
{
    Rollups = 0,
    Events = 1,
}
