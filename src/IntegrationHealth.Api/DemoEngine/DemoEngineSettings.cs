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

    /// <summary>Where the doubles listen, allowed to the engine in the demo only.</summary>
    public const string LoopbackNetwork = "127.0.0.1/32";
}
