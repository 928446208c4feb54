using IntegrationHealth.Web.Jobs;
using Microsoft.AspNetCore.Authorization;

namespace IntegrationHealth.Web.Authentication;

/// <summary>Authorization policies, one per scope. Admin keys carry every scope claim, so "admin implies the others".</summary>
public static class ApiPolicies
{
    public const string Ingest = "scope:ingest";
    public const string Read = "scope:read";
    public const string Admin = "scope:admin";
    /// <summary>The operators' Hangfire job dashboard: a platform key (or an admin key of the operators' tenant), via an
    /// API key or the dashboard sign-in cookie (see <see cref="HangfireDashboardAccessHandler"/>). Not the executive or CS dashboards, which have their own policies.</summary>
    public const string HangfireDashboard = "hangfire-dashboard";

    public static AuthorizationBuilder AddApiPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Ingest, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireClaim(ApiClaims.Scope, "ingest"))
        .AddPolicy(Read, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireClaim(ApiClaims.Scope, "read"))
        .AddPolicy(Admin, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireClaim(ApiClaims.Scope, "admin"))
        .AddPolicy(HangfireDashboard, p => p
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, HangfireDashboardSignIn.SchemeName)
            .RequireAuthenticatedUser()
            .AddRequirements(new HangfireDashboardRequirement()));
}
