namespace IntegrationHealth.Api.Jobs;

/// <summary>Hangfire settings (configuration section <c>Hangfire</c>).</summary>
public sealed class JobsOptions
{
    public const string Section = "Hangfire";

    /// <summary>Concurrent job workers in this process.</summary>
    public int WorkerCount { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>How long stopping waits for running jobs (Hangfire's default is 15 s, which makes every stop slow).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>PostgreSQL schema of Hangfire's own tables (same database as the store).</summary>
    public string Schema { get; set; } = "hangfire";

    /// <summary>When set (a tenant slug), only that tenant's admin keys may open the dashboard; otherwise any admin key.</summary>
    public string? DashboardTenant { get; set; }

    /// <summary>API keys revoked longer ago than this are deleted by the daily purge job.</summary>
    public TimeSpan PurgeRevokedKeysAfter { get; set; } = TimeSpan.FromDays(30);
}
