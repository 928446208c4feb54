using IntegrationHealth.Analytics.AtRisk;
using IntegrationHealth.Analytics.Issues;
using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Analytics.Scoring;
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
        services.AddOptions<IssueOptions>().BindConfiguration(IssueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EvidenceLoader>();
        services.TryAddSingleton<ChurnRiskScorer>();
        services.TryAddTransient<ScoreJob>();
        services.TryAddTransient<IssueJob>();
        // Every 5 minutes: each run costs the events since the last one plus the settle window's re-read.
        services.AddRecurringJob<RollupJob>("analytics-rollups", "*/5 * * * *");
        services.AddRecurringJob<IssueJob>("analytics-connection-issues", "7 * * * *");
        services.AddRecurringJob<ScoreJob>("analytics-churn-scores", "30 0 * * *");
        return services;
    }

    /// <summary>Maps the at-risk, health, issue and score endpoints (read scope; muting needs admin).</summary>
    public static IEndpointRouteBuilder MapRollupsAndScoresApi(this IEndpointRouteBuilder app)
    {
        app.MapAtRiskApi();
        app.MapIssuesApi();
        return app;
    }
}
