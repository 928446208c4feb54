namespace IntegrationHealth.Api.DemoEngine;

/// <summary>The settings of <c>demo</c>'s engine part (read by the command, not an options class: they decide what the
/// host is built with).</summary>
internal static class DemoEngineSettings
{
    /// <summary><c>Demo:Engine</c> (default true): run the engine against local provider doubles.</summary>
    public const string Engine = "Demo:Engine";

    /// <summary><c>Demo:FaultRate</c>: the share of the doubles' API calls answered with a fault (0 to 1).</summary>
    public const string FaultRate = "Demo:FaultRate";

    /// <summary>3% of calls: two thirds rate limits, one third server errors; enough for analytics to find.</summary>
    public const double DefaultFaultRate = 0.03;

    /// <summary><c>Demo:Outage:Provider</c>: the double that has an outage (its API answers every call with its server
    /// error) for a while after the start, so the status page shows a provider degrading and recovering; empty: none.</summary>
    public const string OutageProvider = "Demo:Outage:Provider";

    /// <summary><c>Demo:Outage:After</c>: how long after the doubles start the outage begins.</summary>
    public const string OutageAfter = "Demo:Outage:After";

    /// <summary><c>Demo:Outage:Duration</c>: how long the outage lasts.</summary>
    public const string OutageDuration = "Demo:Outage:Duration";

    /// <summary>Zendesk: a demo provider with a component on the demo page, live connections, and none revoked.</summary>
    public const string DefaultOutageProvider = "zendesk";

    /// <summary>Long enough after the start for the page to show everything operational first.</summary>
    public static readonly TimeSpan DefaultOutageAfter = TimeSpan.FromMinutes(10);

    /// <summary>Long enough for several sync rounds to fail (the status job needs evidence over its window).</summary>
    public static readonly TimeSpan DefaultOutageDuration = TimeSpan.FromMinutes(20);

    /// <summary>Where the doubles listen, allowed to the engine in the demo only.</summary>
    public const string LoopbackNetwork = "127.0.0.1/32";
}
