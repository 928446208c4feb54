using System.ComponentModel.DataAnnotations;

namespace IntegrationHealth.Analytics.Issues;

/// <summary>Options of connection issues (section <c>Analytics:Issues</c>).</summary>
public sealed class IssueOptions
{
    public const string Section = "Analytics:Issues";

    /// <summary>An open issue resolves only after the connection has succeeded again and the problem has not been seen
    /// for this long. Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The window of hourly rollups a detection looks at. Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "7.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Error rate (without rate limits and credential failures) in an hour that counts as a bad hour. Default 0.25.</summary>
    [Range(0.01, 1)]
    public double ErrorRate { get; set; } = 0.25;

    /// <summary>Bad hours in the window that make errors on a resource sustained. Default 3.</summary>
    [Range(1, 168)]
    public int SustainedHours { get; set; } = 3;

    /// <summary>Accounts whose connections to a provider must be failing together for it to count as offline. Default 3.</summary>
    [Range(1, 1000)]
    public int OfflineAccounts { get; set; } = 3;

    /// <summary>Mapping failures on a resource in the window that open an issue. Default 5.</summary>
    [Range(1, 1_000_000)]
    public int MappingFailures { get; set; } = 5;

    /// <summary>Days without a sync run, where runs were usual, that make a sync stalled; and days of only empty runs,
    /// where records were usual, that make it silently empty. Default 2.</summary>
    [Range(1, 30)]
    public int StaleDays { get; set; } = 2;
}
