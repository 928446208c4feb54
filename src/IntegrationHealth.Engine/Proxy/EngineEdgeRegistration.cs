using IntegrationHealth.Engine.Idempotency;
using IntegrationHealth.Engine.Unified;
using IntegrationHealth.Web.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Proxy;

/// <summary>The engine's edge: the proxy, the unified API and idempotency keys (called by <c>AddEngine</c> and
/// <c>MapEngineApi</c>).</summary>
public static class EngineEdgeRegistration
{
    public static IServiceCollection AddEngineEdge(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section)
            .Validate(o => o.AllowedNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                "Engine:Proxy:AllowedNetworks entries must be CIDR networks such as 127.0.0.1/32 or fd00::/8.")
            .Validate(o => o.MaxRequestBodyBytes is null or > 0, "Engine:Proxy:MaxRequestBodyBytes must be positive (or empty for no limit).")
            .Validate(o => o.ActivityTimeout > TimeSpan.Zero && o.ActivityTimeout <= TimeSpan.FromHours(1),
                "Engine:Proxy:ActivityTimeout must be between 0 and 1 hour.")
            .Validate(o => o.MaxConnectionsPerServer > 0, "Engine:Proxy:MaxConnectionsPerServer must be positive.")
            .ValidateOnStart();
        services.AddOptions<UnifiedOptions>().BindConfiguration(UnifiedOptions.Section)
            .Validate(o => o.MaxLimit > 0 && o.DefaultLimit > 0 && o.DefaultLimit <= o.MaxLimit,
                "Engine:Unified:DefaultLimit must be positive and at most Engine:Unified:MaxLimit.")
            .Validate(o => o.MaxBodyBytes > 0, "Engine:Unified:MaxBodyBytes must be positive.")
            .Validate(o => o.CursorLifetime > TimeSpan.Zero, "Engine:Unified:CursorLifetime must be positive.")
            .ValidateOnStart();
        services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.Section)
            .Validate(o => o.Retention >= TimeSpan.FromMinutes(1), "Engine:Idempotency:Retention must be at least 1 minute.")
            .Validate(o => o.InFlightTimeout > TimeSpan.Zero && o.InFlightTimeout <= o.Retention,
                "Engine:Idempotency:InFlightTimeout must be positive and at most Engine:Idempotency:Retention.")
            .Validate(o => o.MaxBodyBytes > 0, "Engine:Idempotency:MaxBodyBytes must be positive.")
            .ValidateOnStart();

        services.AddHttpForwarder();
        services.TryAddSingleton<ConnectionProxy>();
        services.TryAddSingleton<IdempotencyStore>();
        services.TryAddSingleton<IdempotentRequests>();
        services.TryAddSingleton<UnifiedCursor>();
        services.TryAddSingleton<UnifiedApi.UnifiedServices>();
        services.AddRecurringJob<IdempotencyPurgeJob>(IdempotencyPurgeJob.Id, IdempotencyPurgeJob.Cron);
        return services;
    }

    public static IEndpointRouteBuilder MapEngineEdgeApi(this IEndpointRouteBuilder app)
    {
        app.MapEngineProxyApi();
        app.MapUnifiedApi();
        return app;
    }
}
