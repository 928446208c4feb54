using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHealth.Data;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.DataProtection;
using IntegrationHealth.Web.Diagnostics;
using IntegrationHealth.Web.Health;
using IntegrationHealth.Web.Http;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Web.OpenApi;
using IntegrationHealth.Web.Store;
using IntegrationHealth.Web.Webhooks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;

namespace IntegrationHealth.Web;

/// <summary>
/// The shared plumbing every process and feature builds on (the role of eShop's ServiceDefaults). A host calls
/// <see cref="AddServiceDefaults"/> (every role), <see cref="AddWebDefaults"/> and <see cref="MapDefaultEndpoints"/>
/// (processes that serve HTTP), then each feature's own <c>AddX</c> and <c>MapXApi</c>.
/// </summary>
public static class ServiceDefaults
{
    /// <summary>
    /// What every role needs: the store (options validated at start) with its fault handling (start-up state, write
    /// record, in-request retries), the clock, caches, API-key checking and issuing, Data Protection on the store's
    /// shared key ring, Hangfire's storage with its options, and the revoked-key purge job.
    /// </summary>
    public static IServiceCollection AddServiceDefaults(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddIntegrationHealthStore(configuration);
        services.TryAddTimeProvider();
        services.AddStoreResilience();
        services.AddMemoryCache();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.KeyCacheDuration >= TimeSpan.Zero && o.KeyCacheDuration <= TimeSpan.FromMinutes(5),
                "Auth:KeyCacheDuration must be between 0 and 5 minutes.")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<ApiKeyIssuer>();
        services.AddStoreDataProtection(configuration);
        services.AddJobStorage();
        services.AddRecurringJob<RevokedKeyPurgeJob>(RevokedKeyPurgeJob.RecurringJobId, RevokedKeyPurgeJob.Schedule);
        services.AddWebhooks();
        // Every role: SQLite's caches churn the native heap whatever the process serves.
        services.AddSingleton<NativeHeapTrimmer>();
        services.AddHostedService(sp => sp.GetRequiredService<NativeHeapTrimmer>());
        return services;
    }

    /// <summary>
    /// The HTTP side: problem details, strict JSON, API-key and Hangfire-dashboard authentication, the scope policies,
    /// OpenAPI, OpenTelemetry metrics (features add their meters with <c>ConfigureOpenTelemetryMeterProvider</c>) and
    /// health checks (features add theirs, tagged <see cref="HealthApi.ReadyTag"/>).
    /// </summary>
    public static IServiceCollection AddWebDefaults(this IServiceCollection services)
    {
        // Ours first: ProblemDetailsService uses the first writer that accepts, and ours accepts every request.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // A query or route value that does not bind throws, so BadRequestExceptionHandler can name the parameter.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<KestrelServerOptions>(RequestHeadLimits.ConfigureKestrel);
        services.Configure<JsonOptions>(options =>
        {
            // Typos in request bodies must fail loudly, as they do for the hand-parsed batch endpoints.
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            // Numbers are numbers: the web default also reads "42" as 42, which the hand-parsed endpoints refuse and the
            // OpenAPI document would then have to type as integer-or-string.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddHangfireDashboardCookie();
        services.AddAuthorizationBuilder().AddApiPolicies();
        services.AddSingleton<IAuthorizationHandler, HangfireDashboardAccessHandler>();

        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<ApiKeyDocumentTransformer>();
            options.AddOperationTransformer<ApiKeyOperationTransformer>();
            options.AddSchemaTransformer<ProblemDetailsSchemaTransformer>();
        });

        // The runtime's GC figures and ours of the native and SQLite heaps: what holds the resident memory.
        services.AddSingleton<ProcessMemoryMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(ProcessMemoryMetrics.RuntimeMeterName, ProcessMemoryMetrics.MeterName)
            .AddPrometheusExporter());

        // Storage faults as 503/507 and the readiness checks "store" (a round trip through the migrated schema) and
        // "store-writes" (recent write failures, free disk space).
        services.AddStoreFaultAnswers();
        return services;
    }

    /// <summary>
    /// The request pipeline every web process runs before endpoints: errors as problems, the request-line and header
    /// limits, the store gate (503 until the store is ready), authentication, then the decoding of gzip and br bodies
    /// (after authorization, so that an anonymous caller learns nothing but 401).
    /// </summary>
    public static WebApplication UseWebDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(RequestHeadLimits.CheckAsync);
        app.UseStoreGate();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(RequestDecoding.DecodeAsync);
        return app;
    }

    /// <summary>The plumbing's own endpoints: probes, API keys, the Hangfire dashboard, metrics and the OpenAPI document.</summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthApi();
        app.MapApiKeysApi();
        app.MapWebhookEndpointsApi();
        app.MapHangfireDashboardApi();
        // Its gauges are observed from the instance, which nothing else asks for.
        app.ServiceProvider.GetRequiredService<ProcessMemoryMetrics>();
        app.MapPrometheusScrapingEndpoint().WithDisplayName("Prometheus metrics").StoreIndependent();
        app.MapOpenApi().StoreIndependent();
        return app;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }
}
