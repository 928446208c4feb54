using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>A loaded provider definition, summarized: what it is, how it authenticates, what it can read.</summary>
public sealed record EngineProviderView(string Key, string Name, string? Category, string AuthKind, string Origin, IReadOnlyList<EngineResourceView> Resources);

/// <summary>One resource of a definition: its unified model (if mapped) and its operations.</summary>
public sealed record EngineResourceView(string Name, string? Model, IReadOnlyList<string> Operations);

/// <summary>The verdict on a definition document: valid (with its key) or every error with its JSONPath.</summary>
public sealed record DefinitionValidation(bool Valid, string? Key, IReadOnlyList<DefinitionErrorView> Errors);

/// <summary>One problem of a definition; <c>code</c> and <c>position</c> are JSONata's for an expression that does not compile.</summary>
public sealed record DefinitionErrorView(string Path, string Message, string? Code, int? Position);

/// <summary>The provider definitions the engine has loaded (platform-wide, the same for every tenant), and checking a
/// definition document before it is shipped or (later) uploaded.</summary>
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
        app.MapGroup("/v1/engine/providers").WithTags("Engine")
            .MapPost("/validate", ValidateEngineProvider)
            .RequireAuthorization(ApiPolicies.Admin)
            .WithName("ValidateEngineProvider")
            .WithSummary("Validate a provider definition document without saving it")
            .WithDescription("Body: a provider definition (see the engine's provider.schema.json). Checked against the schema, then " +
                "semantically (every JSONata expression compiled, templates, models); the answer lists every error with its JSONPath, " +
                "and for expressions JSONata's error code and position. Nothing is stored.")
            .Accepts<JsonElement>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
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

    public static async Task<Results<Ok<DefinitionValidation>, ProblemHttpResult>> ValidateEngineProvider(
        HttpContext context, ProviderDefinitionLoader loader, IOptions<EngineOptions> options)
    {
        if (BodyFormat.Of(context.Request.ContentType) is not BodyFormat.Kind.Json)
            return Problems.UnsupportedMediaType("Send the definition as 'application/json', UTF-8.");
        var limit = options.Value.MaxDefinitionBytes;
        using var body = await RequestBody.ReadAsync(context, limit, context.RequestAborted);
        if (body is null) return Problems.PayloadTooLarge($"The body exceeds {limit} bytes (Engine:MaxDefinitionBytes).");
        var utf8 = BodyFormat.WithoutBom(body.Span);
        if (!Utf8.IsValid(utf8)) return TypedResults.Ok(Invalid([new DefinitionError(JsonPathText.Root, "The body is not valid UTF-8.")]));

        var (provider, errors) = loader.TryLoad(Encoding.UTF8.GetString(utf8));
        return TypedResults.Ok(provider is not null ? new DefinitionValidation(true, provider.Key, []) : Invalid(errors));
    }

    private static DefinitionValidation Invalid(IReadOnlyList<DefinitionError> errors) =>
        new(false, null, [.. errors.Select(e => new DefinitionErrorView(e.Path, e.Message, e.Code, e.Position))]);
}
