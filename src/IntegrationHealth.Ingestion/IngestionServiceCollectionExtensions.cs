using IntegrationHealth.Ingestion.Accounts;
using IntegrationHealth.Ingestion.Connections;
using IntegrationHealth.Ingestion.Events;
using IntegrationHealth.Ingestion.Providers;
using IntegrationHealth.Ingestion.Retention;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Ingestion.SupportTickets;
using IntegrationHealth.Ingestion.SurveyResponses;
using OpenTelemetry.Metrics;

namespace IntegrationHealth.Ingestion;

/// <summary>The ingestion feature's registration and endpoints.</summary>
public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// Registers ingestion's validated options (<c>Ingestion</c> section), the provider catalogue, the reference caches
    /// and resolver of the event hot path, the telemetry maintenance job (retention, partitions ahead), and its meter (exported with the others at <c>/metrics</c>). Needs the shared
    /// plumbing's <c>AddServiceDefaults</c>.
    /// </summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section)
            .Validate(o => o.MaxBatchEvents > 0 && o.MaxBodyBytes > 0 && o.MaxUpsertItems > 0 && o.MaxReportedErrors > 0,
                "Ingestion limits (Ingestion:MaxBatchEvents, MaxBodyBytes, MaxUpsertItems, MaxReportedErrors) must be positive.")
            .Validate(o => o.MaxBodyBytes < Array.MaxLength, $"Ingestion:MaxBodyBytes must be below {Array.MaxLength}.")
            .Validate(o => o.MaxFutureSkew >= TimeSpan.Zero && o.MaxFutureSkew <= TimeSpan.FromDays(1),
                "Ingestion:MaxFutureSkew must be between 0 and 1 day.")
            .Validate(o => Enum.IsDefined(o.UnknownProviders), "Ingestion:UnknownProviders must be 'reject' or 'register'.")
            .Validate(o => o.MaxProvidersPerTenant is >= 0 and <= 100_000, "Ingestion:MaxProvidersPerTenant must be from 0 to 100000.")
            .ValidateOnStart();
        services.AddSingleton<ProviderCatalog>();
        services.AddSingleton<ReferenceCache>();
        services.AddSingleton<EndpointTemplateCache>();
        services.AddSingleton<EventReferenceResolver>();
        services.AddSingleton<IngestionMetrics>();
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(IngestionMetrics.MeterName));
        services.AddRecurringJob<TelemetryMaintenanceJob>(TelemetryMaintenanceJob.Id, TelemetryMaintenanceJob.Cron);
        return services;
    }

    /// <summary>Maps <c>/v1/events</c>, <c>/v1/accounts</c>, <c>/v1/connections</c>, <c>/v1/support-tickets</c>,
    /// <c>/v1/survey-responses</c> and <c>/v1/providers</c>.</summary>
    public static IEndpointRouteBuilder MapIngestionApi(this IEndpointRouteBuilder app)
    {
        app.MapEventsApi();
        app.MapAccountsApi();
        app.MapConnectionsApi();
        app.MapSupportTicketsApi();
        app.MapSurveyResponsesApi();
        app.MapProvidersApi();
        return app;
    }
}
