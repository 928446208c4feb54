namespace IntegrationHealth.Analytics;

/// <summary>Settings of the signals' reports and survey triggers (section <c>Analytics:Signals</c>).</summary>
public sealed class SignalsOptions
{
    public const string Section = "Analytics:Signals";

    /// <summary>Scorecard benchmark: uptime (request success).</summary>
    public double UptimeTarget { get; set; } = 0.999;

    /// <summary>Scorecard benchmark: mean time to acknowledge an incident, hours.</summary>
    public double AcknowledgeTargetHours { get; set; } = 1;

    /// <summary>Scorecard benchmark: mean time to resolve an incident, hours.</summary>
    public double ResolveTargetHours { get; set; } = 4;

    /// <summary>The support first-response SLA, hours.</summary>
    public double FirstResponseTargetHours { get; set; } = 1;

    /// <summary>Days a user who saw any survey is not asked again (rules may set their own).</summary>
    public int SurveyRecontactDays { get; set; } = 7;

    /// <summary>How far back the survey-trigger job looks for integration events (it is idempotent per event).</summary>
    public TimeSpan SurveyLookback { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Most users of one account asked per event (the most active in the last 30 days).</summary>
    public int SurveyUsersPerEvent { get; set; } = 5;
}
