using IntegrationHealth.Analytics.Alerts;
using IntegrationHealth.Analytics.Migration;
using IntegrationHealth.Analytics.Reliability;
using IntegrationHealth.Analytics.Retention;
using IntegrationHealth.Analytics.Surveys;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Web.Webhooks;

namespace IntegrationHealth.Analytics;

/// <summary>Alerts, survey triggers, reliability scorecards, the retention summary and migration tiers.</summary>
public static class SignalsRegistration
{
    public static IServiceCollection AddSignals(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section)
            .Validate(o => o.Objective is > 0.5 and < 1, "Analytics:Alerts:Objective must be between 0.5 and 1 (e.g. 0.999).")
            .Validate(o => o.MinProviderEvents >= 1 && o.MinConnectionEvents >= 1 && o.AnomalyMinRequests >= 1, "Analytics:Alerts minimum event counts must be at least 1.")
            .Validate(o => o.AnomalyThreshold > 0, "Analytics:Alerts:AnomalyThreshold must be positive.")
            .Validate(o => o.BaselineWeeks is >= 1 and <= 12, "Analytics:Alerts:BaselineWeeks must be from 1 to 12.")
            .Validate(o => o.QuietPeriod >= TimeSpan.Zero && o.QuietPeriod <= TimeSpan.FromDays(1), "Analytics:Alerts:QuietPeriod must be between 0 and 1 day.")
            .ValidateOnStart();
        services.AddOptions<SignalsOptions>().BindConfiguration(SignalsOptions.Section)
            .Validate(o => o.UptimeTarget is > 0 and <= 1, "Analytics:Signals:UptimeTarget must be in (0, 1].")
            .Validate(o => o.AcknowledgeTargetHours > 0 && o.ResolveTargetHours > 0 && o.FirstResponseTargetHours > 0, "Analytics:Signals target hours must be positive.")
            .Validate(o => o.SurveyRecontactDays is >= 0 and <= 365, "Analytics:Signals:SurveyRecontactDays must be from 0 to 365.")
            .Validate(o => o.SurveyLookback > TimeSpan.Zero && o.SurveyLookback <= TimeSpan.FromDays(7), "Analytics:Signals:SurveyLookback must be between 0 and 7 days.")
            .Validate(o => o.SurveyUsersPerEvent is >= 1 and <= 100, "Analytics:Signals:SurveyUsersPerEvent must be from 1 to 100.")
            .ValidateOnStart();
        services.AddSingleton<AlertInputs>();
        services.AddTransient<AlertEvaluator>();
        services.AddSingleton<IWebhookChatRenderer, AlertChatRenderer>();
        services.AddSingleton<MigrationInventory>();
        services.AddSingleton<ScorecardReports>();
        services.AddSingleton<RetentionReports>();
        services.AddTransient<SurveyTriggerEvaluator>();
        services.AddRecurringJob<AlertEvaluationJob>(AlertEvaluationJob.RecurringJobId, "*/5 * * * *");
        services.AddRecurringJob<SurveyTriggerJob>(SurveyTriggerJob.RecurringJobId, "*/15 * * * *");
        return services;
    }

    public static IEndpointRouteBuilder MapSignalsApi(this IEndpointRouteBuilder app)
    {
        app.MapAlertsApi();
        app.MapSurveyTriggersApi();
        app.MapSignalReportsApi();
        return app;
    }
}
