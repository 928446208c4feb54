using System.Globalization;
using IntegrationHealth.Data;
using IntegrationHealth.Web.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Jobs;

/// <summary>Requirement of the Hangfire dashboard: a platform key, or an admin key of the configured operators' tenant.</summary>
public sealed class HangfireDashboardRequirement : IAuthorizationRequirement;

/// <summary>
/// Hangfire jobs are platform-wide, not tenant data, so the dashboard is denied by default: it opens for keys with the
/// <c>platform</c> scope (granted only by the <c>keys create</c> command), and, when <c>Hangfire:DashboardTenant</c>
/// names the operators' tenant, for that tenant's admin keys. A customer's admin key opens nothing here.
/// </summary>
public sealed class HangfireDashboardAccessHandler(
    IOptions<JobsOptions> options, IDbContextFactory<IntegrationHealthDbContext> dbFactory, IMemoryCache cache)
    : AuthorizationHandler<HangfireDashboardRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, HangfireDashboardRequirement requirement)
    {
        if (context.User.HasClaim(ApiClaims.Scope, "platform"))
        {
            context.Succeed(requirement);
            return;
        }
        var slug = options.Value.DashboardTenant;
        if (string.IsNullOrWhiteSpace(slug) || !context.User.HasClaim(ApiClaims.Scope, "admin")) return;
        var tenantId = await cache.GetOrCreateAsync(("dashboard-tenant", slug), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1);
            await using var db = await dbFactory.CreateDbContextAsync();
            return await db.Tenants.AsNoTracking().Where(t => t.Key == slug).Select(t => (int?)t.Id).FirstOrDefaultAsync();
        });
        if (tenantId is not { } id) return;
        // The admin scope and the tenant must come from the same credential (a request may carry a key and a cookie).
        var tenant = id.ToString(CultureInfo.InvariantCulture);
        if (context.User.Identities.Any(i => i.HasClaim(ApiClaims.Scope, "admin") && i.HasClaim(ApiClaims.TenantId, tenant)))
            context.Succeed(requirement);
    }
}
