namespace IntegrationHealth.Analytics;

/// <summary>The analytics feature's registration and endpoints. Each part registers itself in its own file
/// (<c>AddRollupsAndScores</c>: rollups, connection issues, churn-risk scores and the at-risk views;
/// <c>AddSignals</c>: alerts, survey triggers, reliability scorecards, the retention summary and migration tiers).</summary>
public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>Registers analytics' options, computations and recurring jobs. Needs <c>AddServiceDefaults</c>.</summary>
    public static IServiceCollection AddAnalytics(this IServiceCollection services)
    {
        services.AddRollupsAndScores();
        services.AddSignals();
        return services;
    }

    /// <summary>Maps analytics' endpoints (every one in the OpenAPI document).</summary>
    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        app.MapRollupsAndScoresApi();
        app.MapSignalsApi();
        return app;
    }
}
