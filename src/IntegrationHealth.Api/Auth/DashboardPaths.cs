namespace IntegrationHealth.Api.Auth;

/// <summary>Where the Hangfire dashboard and its sign-in form live.</summary>
public static class DashboardPaths
{
    public const string Root = "/hangfire";
    public const string Login = "/hangfire/login";
}
