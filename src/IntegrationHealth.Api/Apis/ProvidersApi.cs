using IntegrationHealth.Api.Auth;
using IntegrationHealth.Api.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHealth.Api.Apis;

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

    public static async Task<Ok<IReadOnlyList<ProviderView>>> ListProviders(HttpContext context, [AsParameters] StoreServices services)
    {
        var catalogue = await services.Providers.GetAsync(cancellationToken: context.RequestAborted);
        IReadOnlyList<ProviderView> items = [.. catalogue.All.Select(p => new ProviderView(p.Key, p.Name, p.Category))];
        return TypedResults.Ok(items);
    }
}
