using IntegrationHealth.Web.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>A loaded provider definition, summarized: what it is, how it authenticates, what it can read.</summary>
public sealed record EngineProviderView(string Key, string Name, string? Category, string AuthKind, string Origin, IReadOnlyList<EngineResourceView> Resources);

/// <summary>One resource of a definition: its unified model (if mapped) and its operations.</summary>
public sealed record EngineResourceView(string Name, string? Model, IReadOnlyList<string> Operations);

/// <summary>The provider definitions the engine has loaded (platform-wide, the same for every tenant).</summary>
public static class EngineProvidersApi
{
    public static IEndpointRouteBuilder MapEngineProvidersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/engine/providers").WithTags("Engine")
            .MapGet("", ListEngineProviders)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListEngineProviders")
            .WithSummary("List the provider definitions the engine has loaded")
            .WithDescription("Each definition's key, name, category, auth kind, where it was loaded from, and its resources with their " +
                "unified model and operations, ordered by key. Secrets and connection values are never part of a definition.");
        return app;
    }

    public static Ok<IReadOnlyList<EngineProviderView>> ListEngineProviders(ProviderRegistry registry)
    {
        IReadOnlyList<EngineProviderView> items = [.. registry.All.Select(p => new EngineProviderView(
            p.Key, p.Definition.Name, p.Definition.Category, p.Definition.Auth.Kind, p.Origin,
            [.. p.Definition.Resources.OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => new EngineResourceView(r.Key, r.Value.Model, [.. r.Value.Operations.Keys.Order(StringComparer.Ordinal)]))]))];
        return TypedResults.Ok(items);
    }
}
