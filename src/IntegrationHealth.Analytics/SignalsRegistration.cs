namespace IntegrationHealth.Analytics;

/// <summary>Alerts, survey triggers, reliability scorecards, the retention summary and migration tiers.</summary>
public static class SignalsRegistration
{
    public static IServiceCollection AddSignals(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapSignalsApi(this IEndpointRouteBuilder app) => app;
}
