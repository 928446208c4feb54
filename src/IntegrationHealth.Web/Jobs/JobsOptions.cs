namespace IntegrationHealth.Web.Jobs;

/// <summary>Hangfire settings (configuration section <c>Hangfire</c>), validated at start-up.</summary>
public sealed class JobsOptions
{
    public const string Section = "Hangfire";

    /// <summary>Concurrent job workers in this process (1–100).</summary>
    public int WorkerCount { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>How long stopping waits for running jobs (Hangfire's default is 15 s, which makes every stop slow).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>PostgreSQL schema of Hangfire's own tables (same database as the store).</summary>
    public string Schema { get; set; } = "hangfire";

    /// <summary>
    /// The operators' tenant (a slug): its admin keys may open the dashboard. Unset, only platform keys may (the
    /// <c>platform</c> scope, granted by <c>keys create</c>). <c>demo</c> sets it to its own tenant.
    /// </summary>
    public string? DashboardTenant { get; set; }

    /// <summary>How long a browser stays signed in to the dashboard after <c>/hangfire/login</c>.</summary>
    public TimeSpan DashboardSignInLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>API keys revoked longer ago than this are deleted by the daily purge job.</summary>
    public TimeSpan PurgeRevokedKeysAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The checks <c>ValidateOnStart</c> runs; each failure names its setting.</summary>
    internal static IEnumerable<string> Problems(JobsOptions o)
    {
        if (o.WorkerCount is < 1 or > 100) yield return "Hangfire:WorkerCount must be from 1 to 100.";
        if (o.ShutdownTimeout < TimeSpan.Zero || o.ShutdownTimeout > TimeSpan.FromMinutes(5))
            yield return "Hangfire:ShutdownTimeout must be between 0 and 5 minutes.";
        if (string.IsNullOrEmpty(o.Schema) || o.Schema.Length > 63
            || !o.Schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') || char.IsAsciiDigit(o.Schema[0]))
            yield return "Hangfire:Schema must be a lower-case PostgreSQL identifier (letters, digits, '_'; up to 63 characters).";
        if (o.DashboardSignInLifetime < TimeSpan.FromMinutes(1) || o.DashboardSignInLifetime > TimeSpan.FromDays(7))
            yield return "Hangfire:DashboardSignInLifetime must be between 1 minute and 7 days.";
        if (o.PurgeRevokedKeysAfter < TimeSpan.FromDays(1)) yield return "Hangfire:PurgeRevokedKeysAfter must be at least 1 day.";
    }
}
