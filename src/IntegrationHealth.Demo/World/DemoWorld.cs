using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Demo.World;

/// <summary>What went wrong with a connection for a while.</summary>
public enum DemoEpisodeKind
{
    /// <summary>Credentials stopped working (revoked token, rotated key): the connection needs re-authorisation.</summary>
    AuthBroken,
    /// <summary>The customer switched the connection off.</summary>
    Disabled,
    /// <summary>The provider's schema changed under the mapping: requests work but records fail to map.</summary>
    MappingDrift,
    /// <summary>Sync runs stopped (a stuck scheduler, a lost webhook subscription) while requests look normal.</summary>
    SyncStalled,
    /// <summary>Sync runs succeed but bring zero records (a filter or a permission changed on the provider's side).</summary>
    SyncEmpty,
    /// <summary>One resource fails at a sustained high rate (retried, so each failure repeats) while the rest works.</summary>
    ErrorSpike,
}

/// <summary>A period during which a connection was unhealthy. <see cref="End"/> is null when it was still broken at the
/// end of the window.</summary>
public sealed record DemoEpisode(DemoEpisodeKind Kind, DateTime Start, DateTime? End, string Cause, string? Resource = null)
{
    /// <summary>Whether the episode covers the instant.</summary>
    public bool Covers(DateTime instant) => instant >= Start && (End is null || instant < End);
}

/// <summary>The state of a connection at one instant, as far as traffic generation cares.</summary>
public enum DemoConnectionState
{
    Healthy,
    AuthBroken,
    Disabled,
    MappingDrift,
}

/// <summary>One simulated account (customer of the demo tenant) and its hidden truth.</summary>
public sealed class DemoAccount
{
    public required int Index { get; init; }
    public required string ExternalId { get; init; }
    public required string Name { get; init; }
    public required AccountSegment Segment { get; init; }
    public required decimal Arr { get; init; }
    public required string Plan { get; init; }
    public required int Seats { get; init; }
    public string? Csm { get; init; }
    public required DateTime CreatedAt { get; init; }
    /// <summary>How many of the account's users use integration features (they produce usage events).</summary>
    public required int IntegrationUsers { get; init; }
    /// <summary>Chance that one of those users is active on a weekday.</summary>
    public required double Engagement { get; init; }
    public List<DemoConnection> Connections { get; } = [];
    public DateTime? ChurnedAt { get; internal set; }
    /// <summary>Ground truth: churn probability over the window.</summary>
    public double LatentRisk { get; internal set; }
    /// <summary>Ground truth: connections healthy at the end of the window.</summary>
    public int HealthyConnections { get; internal set; }
    /// <summary>Ground truth: what drove the risk.</summary>
    public string Drivers { get; internal set; } = "";
    /// <summary>Ground truth: the driver the churn followed (<c>none</c> when the account stayed; <c>background</c> for
    /// churn with no integration cause).</summary>
    public string ChurnDriver { get; internal set; } = "none";
    /// <summary>When the account's champion (user 1, its most active user) went quiet and the others started to drift
    /// away; null when that never happened.</summary>
    public DateTime? DisengagedAt { get; internal set; }
    /// <summary>When the account turned unhappy for reasons outside integrations (price, a competitor): an NPS
    /// detractor answer and a ticket follow; null when that never happened.</summary>
    public DateTime? UnhappyAt { get; internal set; }
    /// <summary>Multiplier on request volume: huge accounts call far more (with errors at the normal rate).</summary>
    public double RequestScale { get; init; } = 1;
}

/// <summary>One simulated connection of an account to a provider, with its health history.</summary>
public sealed class DemoConnection
{
    public required int Index { get; init; }
    public required int AccountIndex { get; init; }
    public required int ProviderIndex { get; init; }
    public required string ExternalId { get; init; }
    public required AuthKind AuthKind { get; init; }
    public string? Scopes { get; init; }
    public string? InstanceUrl { get; init; }
    public string? ApiVersion { get; init; }
    public required DateTime CreatedAt { get; init; }
    public List<DemoEpisode> Episodes { get; } = [];
    public DateTime? LastSyncAt { get; internal set; }
    public string? SyncCursor { get; internal set; }

    public DemoProvider Provider => DemoCatalog.Providers[ProviderIndex];

    /// <summary>The open episode of a kind covering the instant, if any (the silent kinds leave <see cref="StateAt"/> healthy).</summary>
    public DemoEpisode? Active(DemoEpisodeKind kind, DateTime instant)
    {
        foreach (var e in Episodes)
        {
            if (e.Kind == kind && e.Covers(instant))
            {
                return e;
            }
        }
        return null;
    }

    /// <summary>The state at an instant; an outage of credentials wins over a disabled switch, which wins over drift.</summary>
    public DemoConnectionState StateAt(DateTime instant)
    {
        var state = DemoConnectionState.Healthy;
        foreach (var e in Episodes)
        {
            if (!e.Covers(instant))
            {
                continue;
            }
            var s = e.Kind switch
            {
                DemoEpisodeKind.AuthBroken => DemoConnectionState.AuthBroken,
                DemoEpisodeKind.Disabled => DemoConnectionState.Disabled,
                DemoEpisodeKind.MappingDrift => DemoConnectionState.MappingDrift,
                _ => DemoConnectionState.Healthy, // silent: requests look normal
            };
            if (Rank(s) > Rank(state))
            {
                state = s;
            }
        }
        return state;
    }

    /// <summary>Healthy at the end of the window: no episode still open.</summary>
    public bool HealthyAtEnd => Episodes.TrueForAll(e => e.End is not null);

    /// <summary>The status the store shows at the end of the window.</summary>
    public ConnectionStatus FinalStatus =>
        Episodes.Exists(e => e.End is null && e.Kind == DemoEpisodeKind.Disabled) ? ConnectionStatus.Disabled
        : Episodes.Exists(e => e.End is null && e.Kind == DemoEpisodeKind.AuthBroken) ? ConnectionStatus.NeedsReauth
        : ConnectionStatus.Active;

    private static int Rank(DemoConnectionState s) => s switch
    {
        DemoConnectionState.Disabled => 3,
        DemoConnectionState.AuthBroken => 2,
        DemoConnectionState.MappingDrift => 1,
        _ => 0,
    };
}

/// <summary>A platform-wide incident the world contains (for the demo narrative and for tests).</summary>
public sealed record DemoIncident(string Kind, int ProviderIndex, DateTime Start, DateTime End, string Description)
{
    public bool Covers(DateTime instant) => instant >= Start && instant < End;
}

/// <summary>A support ticket the world produces.</summary>
public sealed record DemoTicket(string ExternalId, int AccountIndex, int? ProviderIndex, string Subject, string Priority,
    DateTime OpenedAt, DateTime? ClosedAt);

/// <summary>An NPS response the world produces.</summary>
public sealed record DemoSurvey(string ExternalId, int AccountIndex, string UserId, int Score, string? Comment,
    DateTime RespondedAt);

/// <summary>
/// The whole simulated customer base except its telemetry, which <see cref="DemoEventStream"/> streams on demand.
/// Small (thousands of objects), so it lives in memory; generated by <see cref="DemoWorldBuilder"/>.
/// </summary>
public sealed class DemoWorld
{
    public required DemoWorldOptions Options { get; init; }
    public required DateTime WindowStart { get; init; }
    public required DateTime WindowEnd { get; init; }
    public required IReadOnlyList<DemoAccount> Accounts { get; init; }
    public required IReadOnlyList<DemoConnection> Connections { get; init; }
    public required IReadOnlyList<DemoIncident> Incidents { get; init; }
    public required IReadOnlyList<DemoTicket> Tickets { get; init; }
    public required IReadOnlyList<DemoSurvey> Surveys { get; init; }

    /// <summary>Number of whole days simulated.</summary>
    public int Days => (int)Math.Round((WindowEnd - WindowStart).TotalDays);

    /// <summary>Generates the world for the options (pure and deterministic).</summary>
    public static DemoWorld Generate(DemoWorldOptions options) => DemoWorldBuilder.Build(options);

    /// <summary>The incidents of a kind (<c>outage</c>, <c>token_wave</c>, <c>schema_drift</c>, <c>rate_limit_storm</c>).</summary>
    public IEnumerable<DemoIncident> IncidentsOf(string kind) => Incidents.Where(i => i.Kind == kind);
}
