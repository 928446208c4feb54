using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.StatusPage.Derivation;

/// <summary>One minute of one provider × resource's requests: how many, how many failed, and latency percentiles
/// (the shape of the analytics rollups, so either source can feed the derivation).</summary>
public readonly record struct MinuteWindow(DateTime Minute, int Requests, int Errors, double? P50Ms, double? P95Ms, double? P99Ms);

/// <summary>Where the derivation stands for one component between runs.</summary>
public readonly record struct DerivationState(ComponentStatus Derived, ComponentStatus? Candidate, DateTime? CandidateSince);

/// <summary>
/// Derives a component's status from its recent minutes, a pure function (no clock, no store), so every rule is
/// tested on hand-built windows. Each run:
/// <list type="number">
/// <item>sums the last <see cref="ComponentStatusRules.WindowMinutes"/> minutes: the error rate, and p95 latency as the
/// request-weighted mean of the minutes' p95s; fewer than <see cref="ComponentStatusRules.MinRequests"/> requests is no
/// evidence, so the status stays;</item>
/// <item>finds the level the window points at with hysteresis: the current level holds while its metric stays at or
/// above the level's <i>exit</i> threshold, and a worse level needs its <i>enter</i> threshold;</item>
/// <item>shows a new level only after the window has pointed continuously worse than the shown level for
/// <see cref="ComponentStatusRules.EnterAfter"/>, or better for <see cref="ComponentStatusRules.ExitAfter"/>; then the
/// level it points at now is shown. A run pointing at the shown level, or the other way, restarts the count.</item>
/// </list>
/// So one bad minute does not flap the page, and a recovered provider is back to operational within window + exit
/// time rather than lingering. Unlike consecutive-check counters the durations are in time, not runs, so they hold
/// whatever the job's schedule.
/// </summary>
public static class ComponentStatusDeriver
{
    public static DerivationState Next(DerivationState state, IReadOnlyList<MinuteWindow> minutes, ComponentStatusRules rules, DateTime now)
    {
        var from = now - TimeSpan.FromMinutes(rules.WindowMinutes);
        long requests = 0, errors = 0;
        double latencyWeight = 0, latencySum = 0;
        foreach (var m in minutes)
        {
            if (m.Minute < from || m.Minute > now) continue;
            requests += m.Requests;
            errors += m.Errors;
            if (m.P95Ms is { } p95 && m.Requests > 0)
            {
                latencySum += p95 * m.Requests;
                latencyWeight += m.Requests;
            }
        }
        if (requests < rules.MinRequests) return state with { Candidate = null, CandidateSince = null };
        var errorRate = (double)errors / requests;
        double? p95Latency = latencyWeight > 0 ? latencySum / latencyWeight : null;

        var target = Target(state.Derived, errorRate, p95Latency, rules);
        if (target == state.Derived) return state with { Candidate = null, CandidateSince = null };
        // The count is of the direction, not the exact level: a degradation that deepens (degraded, then partial)
        // keeps its start, so escalating does not delay showing it; pointing back at the shown level restarts it.
        var sameDirection = state.Candidate is { } candidate && state.CandidateSince is not null
            && candidate > state.Derived == target > state.Derived;
        var since = sameDirection ? state.CandidateSince!.Value : now;
        state = state with { Candidate = target, CandidateSince = since };
        var needed = target > state.Derived ? rules.EnterAfter : rules.ExitAfter;
        return now - since >= needed
            ? new DerivationState(target, null, null)
            : state;
    }

    /// <summary>The level the metrics point at from <paramref name="current"/>, with enter/exit hysteresis.</summary>
    public static ComponentStatus Target(ComponentStatus current, double errorRate, double? p95Latency, ComponentStatusRules rules)
    {
        bool Holds(ComponentStatus level, double enter, double exit) => errorRate >= (current >= level ? exit : enter);
        if (Holds(ComponentStatus.MajorOutage, rules.MajorEnterErrorRate, rules.MajorExitErrorRate)) return ComponentStatus.MajorOutage;
        if (Holds(ComponentStatus.PartialOutage, rules.PartialEnterErrorRate, rules.PartialExitErrorRate)) return ComponentStatus.PartialOutage;
        var slow = p95Latency is { } p && p >= (current >= ComponentStatus.DegradedPerformance ? rules.LatencyExitP95Ms : rules.LatencyEnterP95Ms);
        if (slow || Holds(ComponentStatus.DegradedPerformance, rules.DegradedEnterErrorRate, rules.DegradedExitErrorRate))
            return ComponentStatus.DegradedPerformance;
        return ComponentStatus.Operational;
    }
}
