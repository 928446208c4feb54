using IntegrationHealth.Web.Jobs;

namespace IntegrationHealth.StatusPage.Subscriptions;

/// <summary>Registration of e-mail and webhook subscriptions (called by <c>AddStatusPage</c>).</summary>
public static class SubscriptionServiceCollectionExtensions
{
    /// <summary>The validated options (<c>StatusPage:Subscriptions</c>), the token protector, the planner, the mail
    /// drain and their recurring job. Webhook deliveries use the shared outbox (<c>AddWebhooks</c>).</summary>
    public static IServiceCollection AddStatusSubscriptions(this IServiceCollection services)
    {
        services.AddOptions<SubscriptionOptions>().BindConfiguration(SubscriptionOptions.Section)
            .Validate(o => o.Problem() is null, "StatusPage:Subscriptions is invalid (see CONFIGURATION.md): PublicBaseUrl an absolute http(s) URL, " +
                "ConfirmationLifetime 5 min to 7 days, ResendAfter up to it, caps positive, Smtp:Host/Port/From valid, MailLease longer than Smtp:Timeout.")
            .ValidateOnStart();
        services.AddSingleton<SubscriberTokens>();
        services.AddTransient<NotificationPlanner>();
        services.AddTransient<MailDrain>();
        services.AddRecurringJob<StatusNotificationJob>(StatusNotificationJob.JobId, "* * * * *");
        return services;
    }

    /// <summary>The public subscription endpoints (staff list and delete subscribers in the incident admin API).</summary>
    public static IEndpointRouteBuilder MapSubscriptionApi(this IEndpointRouteBuilder app) => app.MapSubscribeApi();
}
