namespace IntegrationHealth.Web.Jobs;

/// <summary>Where the Hangfire (operators') job dashboard and its sign-in form live.</summary>
public static class HangfireDashboardPaths
{
    public const string Root = "/hangfire";
    public const string Login = "/hangfire/login";
}
