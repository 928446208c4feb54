using IntegrationHealth.Web.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHealth.Ingestion.Providers;

/// <summary>The provider catalogue (platform-wide, the same for every tenant).</summary>
public static class ProvidersApi
{
    public static IEndpointRouteBuilder MapProvidersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/providers").WithTags("Providers")
            .MapGet("", ListProviders)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListProviders")
            .WithSummary("List the providers events and connections may name");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<ProviderView>>> ListProviders(HttpContext context, ProviderCatalog providers)
    {
        var catalogue = await providers.GetAsync(cancellationToken: context.RequestAborted);
        IReadOnlyList<ProviderView> items = [.. catalogue.All.Select(p => new ProviderView(p.Key, p.Name, p.Category))];
        return TypedResults.Ok(items);
    }
}
