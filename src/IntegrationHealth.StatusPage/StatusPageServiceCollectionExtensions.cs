using IntegrationHealth.StatusPage.Admin;
using IntegrationHealth.StatusPage.Derivation;
using IntegrationHealth.StatusPage.Notices;
using IntegrationHealth.StatusPage.Public;
using IntegrationHealth.StatusPage.Subscriptions;
using IntegrationHealth.Web.Jobs;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.StatusPage;

/// <summary>The status page feature's registration and endpoints.</summary>
public static class StatusPageServiceCollectionExtensions
{
    /// <summary>Registers the validated options (<c>StatusPage</c> section), the public document cache, the telemetry
    /// reader and the component-status job. Needs <c>AddServiceDefaults</c>.</summary>
    public static IServiceCollection AddStatusPage(this IServiceCollection services)
    {
        services.AddOptions<StatusPageOptions>().BindConfiguration(StatusPageOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Derivation.Problem() is null, "StatusPage:Derivation is inconsistent: enter thresholds must rise from degraded to major, " +
                "each exit must not exceed its enter, rates in (0, 1], durations from 0 to 1 day.")
            .Validate(o => o.CacheDuration >= TimeSpan.Zero && o.CacheDuration <= TimeSpan.FromHours(1), "StatusPage:CacheDuration must be from 0 to 1 hour.")
            .Validate(o => o.Derivation.WindowMinutes is >= 1 and <= 60 && o.Derivation.MinRequests >= 1,
                "StatusPage:Derivation:WindowMinutes must be from 1 to 60 and MinRequests at least 1.")
            .Validate(o => o.NoticeLeadTime >= TimeSpan.Zero && o.NoticeLeadTime <= TimeSpan.FromDays(30), "StatusPage:NoticeLeadTime must be from 0 to 30 days.")
            .Validate(o => Enum.IsDefined(o.Derivation.Source), "StatusPage:Derivation:Source must be 'rollups' or 'events'.")
            .ValidateOnStart();
        services.AddSingleton<PublicPageCache>();
        services.AddSingleton<RawTelemetryWindowReader>();
        services.AddSingleton<RollupTelemetryWindowReader>();
        services.AddSingleton<ITelemetryWindowReader>(sp =>
            sp.GetRequiredService<IOptions<StatusPageOptions>>().Value.Derivation.Source == TelemetryWindowSource.Events
                ? sp.GetRequiredService<RawTelemetryWindowReader>()
                : sp.GetRequiredService<RollupTelemetryWindowReader>());
        // Every minute: the derivation's durations are in time, not runs, so the schedule bounds only how late a change shows.
        services.AddRecurringJob<ComponentStatusJob>(ComponentStatusJob.JobId, "* * * * *");
        services.AddStatusSubscriptions();
        return services;
    }

    /// <summary>Maps the admin API under <c>/v1/status-page</c>, the public pages under <c>/pages/{slug}</c> (and the
    /// default page at the root when configured) and accounts' notices at <c>/v1/accounts/{id}/notices</c>.</summary>
    public static IEndpointRouteBuilder MapStatusPageApi(this IEndpointRouteBuilder app)
    {
        app.MapPageAdminApi();
        app.MapIncidentAdminApi();
        app.MapPublicStatusApi();
        app.MapPublicHtmlPages();
        app.MapPublicFeedsAndBadges();
        app.MapDefaultPageAtRoot();
        app.MapAccountNoticesApi();
        app.MapSubscriptionApi();
        return app;
    }
}
