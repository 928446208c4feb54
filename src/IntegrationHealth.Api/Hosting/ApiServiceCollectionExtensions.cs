using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHealth.Api.Auth;
using IntegrationHealth.Api.Ingestion;
using IntegrationHealth.Api.Jobs;
using IntegrationHealth.Api.Operations;
using IntegrationHealth.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using OpenTelemetry.Metrics;

namespace IntegrationHealth.Api.Hosting;

/// <summary>Service registration, split by what a process needs.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>What every role needs: options, the store (migrated at start), key issuing, and Hangfire's storage.</summary>
    public static IServiceCollection AddIntegrationHealthCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<DatabaseMigrationService>(); // first: hosted services start in registration order
        services.AddIntegrationHealthStore(configuration);
        services.TryAddTimeProvider();
        services.AddMemoryCache();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.KeyCacheDuration >= TimeSpan.Zero && o.KeyCacheDuration <= TimeSpan.FromMinutes(5),
                "Auth:KeyCacheDuration must be between 0 and 5 minutes.")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<ApiKeyIssuer>();
        services.AddIntegrationHealthJobStorage(configuration);
        return services;
    }

    /// <summary>The HTTP side: endpoints' services, auth, problem details, JSON, OpenAPI, metrics.</summary>
    public static IServiceCollection AddIntegrationHealthWeb(this IServiceCollection services)
    {
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section)
            .Validate(o => o.MaxBatchEvents > 0 && o.MaxBodyBytes > 0 && o.MaxUpsertItems > 0 && o.MaxReportedErrors > 0,
                "Ingestion limits must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ProviderCatalog>();
        services.AddSingleton<ReferenceCache>();
        services.AddSingleton<EventReferenceResolver>();
        services.AddSingleton<IngestionMetrics>();

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier));
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.Configure<JsonOptions>(options =>
        {
            // Typos in request bodies must fail loudly, as they do for the hand-parsed batch endpoints.
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        });

        services.AddDataProtection();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, DashboardCookieHandler>(DashboardCookieHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddApiPolicies();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, DashboardAccessHandler>();

        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<ApiKeyDocumentTransformer>();
            options.AddOperationTransformer<ApiKeyOperationTransformer>();
        });

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(IngestionMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }
}
