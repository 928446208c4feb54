using IntegrationHealth.Api.Apis;
using IntegrationHealth.Api.Jobs;
using IntegrationHealth.Api.Operations;

namespace IntegrationHealth.Api.Hosting;

/// <summary>Builds the two kinds of process: the web application (optionally with a job server) and a jobs-only host.</summary>
public static class ApiHost
{
    /// <summary>
    /// The web application: API, probes, metrics, OpenAPI and dashboard; plus the Hangfire server when the configured
    /// <see cref="HostRoles"/> include Jobs. <paramref name="configure"/> runs before services are added (tests use it to
    /// set configuration, URLs and logging).
    /// </summary>
    public static WebApplication BuildWeb(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Content root = where the binaries (and appsettings.json) are, so settings apply whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var roles = HostRolesParser.From(builder.Configuration);
        builder.Services.AddIntegrationHealthCore(builder.Configuration);
        builder.Services.AddIntegrationHealthWeb();
        if (roles.HasFlag(HostRoles.Jobs)) builder.Services.AddIntegrationHealthJobServer(builder.Configuration);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapIntegrationHealthEndpoints();
        return app;
    }

    /// <summary>A process that only runs Hangfire jobs (no HTTP); pair with web processes on the same PostgreSQL.</summary>
    public static IHost BuildJobs(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        builder.Services.AddIntegrationHealthCore(builder.Configuration);
        builder.Services.AddIntegrationHealthJobServer(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Every HTTP endpoint, in one place.</summary>
    public static IEndpointRouteBuilder MapIntegrationHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapEventsApi();
        app.MapAccountsApi();
        app.MapConnectionsApi();
        app.MapSupportTicketsApi();
        app.MapSurveyResponsesApi();
        app.MapProvidersApi();
        app.MapKeysApi();
        app.MapOperationsApi();
        app.MapDashboardApi();
        app.MapPrometheusScrapingEndpoint().WithDisplayName("Prometheus metrics");
        app.MapOpenApi();
        return app;
    }
}
