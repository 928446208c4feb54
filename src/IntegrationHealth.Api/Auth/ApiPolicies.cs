using Microsoft.AspNetCore.Authorization;

namespace IntegrationHealth.Api.Auth;

/// <summary>Authorization policies, one per scope. Admin keys carry every scope claim, so "admin implies the others".</summary>
public static class ApiPolicies
{
    public const string Ingest = "scope:ingest";
    public const string Read = "scope:read";
    public const string Admin = "scope:admin";
    /// <summary>Admin via an API key or the dashboard sign-in cookie (see <see cref="DashboardAccessHandler"/>).</summary>
    public const string Dashboard = "dashboard";

    public static AuthorizationBuilder AddApiPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Ingest, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireClaim(ApiClaims.Scope, "ingest"))
        .AddPolicy(Read, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireClaim(ApiClaims.Scope, "read"))
        .AddPolicy(Admin, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireClaim(ApiClaims.Scope, "admin"))
        .AddPolicy(Dashboard, p => p
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, DashboardCookieHandler.SchemeName)
            .RequireAuthenticatedUser()
            .AddRequirements(new DashboardAccessRequirement()));
}
