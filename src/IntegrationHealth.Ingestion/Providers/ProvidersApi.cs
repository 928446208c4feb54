using IntegrationHealth.Ingestion.Upserts;
using IntegrationHealth.Web.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Ingestion.Providers;

/// <summary>The providers a tenant may name: the platform catalogue, and the tenant's own (registered here or, under
/// <c>Ingestion:UnknownProviders=register</c>, on first sight).</summary>
public static class ProvidersApi
{
    public static IEndpointRouteBuilder MapProvidersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/providers").WithTags("Providers");

        api.MapGet("", ListProviders)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListProviders")
            .WithSummary("List the providers events and connections may name: the platform's and the tenant's own");
        api.MapPost("", UpsertProviders)
            .AsBulkUpsert<ProviderInput>("UpsertProviders",
                "Register or rename the tenant's own providers by key (visible to this tenant only; platform keys cannot be redefined)");

        return app;
    }

    public static async Task<Results<Ok<UpsertResult>, ProblemHttpResult>> UpsertProviders(
        HttpContext context, [AsParameters] IngestionServices services)
    {
        var result = await BulkUpsert.HandleAsync(context, services, ProviderUpserts.Definition);
        // The event path caches each tenant's catalogue; a provider registered here must be known at once.
        services.Providers.Invalidate(context.User.GetTenantId());
        return result;
    }

    public static async Task<Ok<IReadOnlyList<ProviderView>>> ListProviders(HttpContext context, [AsParameters] IngestionServices services)
    {
        var tenantId = context.User.GetTenantId();
        // Read from the store, not the cache: a provider another process registered a moment ago is listed.
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        var rows = await db.Providers.AsNoTracking()
            .Where(p => p.TenantId == null || p.TenantId == tenantId)
            .ToListAsync(context.RequestAborted);
        IReadOnlyList<ProviderView> items = [.. rows
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.TenantId is null ? 0 : 1)
            .Select(p => new ProviderView(p.Key, p.Name, p.Category, p.TenantId is null))];
        return TypedResults.Ok(items);
    }
}
