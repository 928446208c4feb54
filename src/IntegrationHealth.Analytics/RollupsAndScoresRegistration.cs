namespace IntegrationHealth.Analytics;

/// <summary>Rollups, connection issues, churn-risk scores and the at-risk views.</summary>
public static class RollupsAndScoresRegistration
{
    public static IServiceCollection AddRollupsAndScores(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapRollupsAndScoresApi(this IEndpointRouteBuilder app) => app;
}
