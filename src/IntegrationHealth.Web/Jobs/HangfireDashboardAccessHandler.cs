using IntegrationHealth.Data;
using IntegrationHealth.Web.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Jobs;

/// <summary>Requirement of the Hangfire dashboard: an admin key, of the operators' tenant when one is configured.</summary>
public sealed class HangfireDashboardRequirement : IAuthorizationRequirement;

/// <summary>
/// Hangfire jobs are platform-wide, not tenant data; by default any tenant's admin key may open the dashboard.
/// <c>Hangfire:DashboardTenant</c> (a tenant slug) narrows that to the admin keys of one (operators') tenant.
/// </summary>
public sealed class HangfireDashboardAccessHandler(
    IOptions<JobsOptions> options, IDbContextFactory<IntegrationHealthDbContext> dbFactory, IMemoryCache cache)
    : AuthorizationHandler<HangfireDashboardRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, HangfireDashboardRequirement requirement)
    {
        if (!context.User.HasClaim(ApiClaims.Scope, "admin")) return;
        var slug = options.Value.DashboardTenant;
        if (string.IsNullOrWhiteSpace(slug))
        {
            context.Succeed(requirement);
            return;
        }
        var tenantId = await cache.GetOrCreateAsync(("dashboard-tenant", slug), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
            await using var db = await dbFactory.CreateDbContextAsync();
            return await db.Tenants.AsNoTracking().Where(t => t.Key == slug).Select(t => (int?)t.Id).FirstOrDefaultAsync();
        });
        if (tenantId is { } id && context.User.GetTenantId() == id) context.Succeed(requirement);
    }
}
