namespace IntegrationHealth.Analytics.Alerts;

/// <summary>Settings of the alert evaluation (section <c>Analytics:Alerts</c>).</summary>
public sealed class AlertOptions
{
    public const string Section = "Analytics:Alerts";

    /// <summary>The availability objective over 30 days that burn rates are measured against.</summary>
    public double Objective { get; set; } = 0.999;

    /// <summary>Least requests in a burn-rate rule's long window for a provider to alert.</summary>
    public long MinProviderEvents { get; set; } = 100;

    /// <summary>Least requests in a burn-rate rule's long window for a connection to alert.</summary>
    public long MinConnectionEvents { get; set; } = 50;

    /// <summary>Robust z score above which an account × provider hour is an anomaly.</summary>
    public double AnomalyThreshold { get; set; } = 4;

    /// <summary>Least requests in the hour for an anomaly verdict.</summary>
    public long AnomalyMinRequests { get; set; } = 20;

    /// <summary>Weeks of same-hour-of-week history in a baseline.</summary>
    public int BaselineWeeks { get; set; } = 4;

    /// <summary>How long a problem must stay quiet before its alert resolves itself.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromMinutes(15);
}
