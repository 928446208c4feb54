using System.Security.Claims;
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

/// <summary>One definition document with where it comes from: <c>platform</c> (shipped) or <c>tenant</c> (uploaded, with its version).</summary>
public sealed record EngineProviderDocument(string Key, string Level, int? Version, string Origin, JsonElement Definition);

/// <summary>The answer to an upload: the key and the version now in effect.</summary>
public sealed record EngineProviderUpload(string Key, int Version, string Origin);

/// <summary>The verdict on a definition document: valid (with its key) or every error with its JSONPath.</summary>
public sealed record DefinitionValidation(bool Valid, string? Key, IReadOnlyList<DefinitionErrorView> Errors);

/// <summary>One problem of a definition; <c>code</c> and <c>position</c> are JSONata's for an expression that does not compile.</summary>
public sealed record DefinitionErrorView(string Path, string Message, string? Code, int? Position);

/// <summary>The provider definitions a tenant sees (the platform's, shipped, and its own, uploaded at run time), uploading
/// one, and checking a definition document without saving it.</summary>
public static class EngineProvidersApi
{
    public static IEndpointRouteBuilder MapEngineProvidersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/engine/providers").WithTags("Engine")
            .MapGet("", ListEngineProviders)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListEngineProviders")
            .WithSummary("List the provider definitions the tenant sees: the platform's and its own")
            .WithDescription("Each definition's key, name, category, auth kind, where it was loaded from (shipped:… for the platform's, " +
                "tenant:key@vN for one the tenant uploaded), and its resources with their unified model and operations, ordered by key. " +
                "Overrides are not applied here (see the connection's effective-definition). Secrets and connection values are never part of a definition.");
        app.MapGroup("/v1/engine/providers").WithTags("Engine")
            .MapGet("/{key}", GetEngineProvider)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("GetEngineProvider")
            .WithSummary("Read one provider definition document")
            .WithDescription("The platform's shipped document, or the tenant's uploaded one with its version; another tenant's is 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGroup("/v1/engine/providers").WithTags("Engine")
            .MapPut("/{key}", PutEngineProvider)
            .RequireAuthorization(ApiPolicies.Admin)
            .WithName("PutEngineProvider")
            .WithSummary("Upload or replace one of the tenant's provider definitions")
            .WithDescription("Body: a provider definition whose key is the one in the URL. Validated like validate (every error with its " +
                "JSONPath, and JSONata's code and position); a refused document is a 400 and nothing is stored. Usable at once in this " +
                "process and in every other within Engine:DefinitionRefreshInterval, with no restart; the key is also registered in the " +
                "tenant's provider catalogue. A platform key is refused (409): customise a platform provider with an override.")
            .Accepts<JsonElement>("application/json")
            .Produces<EngineProviderUpload>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
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

    public static async Task<Ok<IReadOnlyList<EngineProviderView>>> ListEngineProviders(TenantProviderRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var all = await registry.ListAsync(user.GetTenantId(), cancellationToken);
        IReadOnlyList<EngineProviderView> items = [.. all.Select(p => new EngineProviderView(
            p.Key, p.Definition.Name, p.Definition.Category, p.Definition.Auth.Kind, p.Origin,
            [.. p.Definition.Resources.OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => new EngineResourceView(r.Key, r.Value.Model, [.. r.Value.Operations.Keys.Order(StringComparer.Ordinal)]))]))];
        return TypedResults.Ok(items);
    }

    public static async Task<Results<Ok<EngineProviderDocument>, ProblemHttpResult>> GetEngineProvider(HttpContext context, string key,
        TenantProviderRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        key = Web.Http.RouteText.Exact(context, "key", key);
        if (!EngineRequestBodies.IsProviderKey(key) || await registry.FindBaseAsync(user.GetTenantId(), key, cancellationToken) is not { } found)
            return Problems.NotFound($"No provider definition '{key}'.");
        using var document = JsonDocument.Parse(found.Provider.Json);
        return TypedResults.Ok(new EngineProviderDocument(key, found.Level, found.Version, found.Provider.Origin, document.RootElement.Clone()));
    }

    public static async Task<Results<Created<EngineProviderUpload>, Ok<EngineProviderUpload>, ProblemHttpResult>> PutEngineProvider(
        HttpContext context, string key, TenantDefinitionStore store, IOptions<EngineOptions> options, ClaimsPrincipal user)
    {
        key = Web.Http.RouteText.Exact(context, "key", key);
        if (!EngineRequestBodies.IsProviderKey(key))
            return Problems.BadRequest("A provider key is 2–63 characters: a lowercase letter, then lowercase letters, digits, '_' or '-'.", field: "key");
        var (text, problem) = await EngineRequestBodies.ReadJsonAsync(context, options.Value.MaxDefinitionBytes, "Engine:MaxDefinitionBytes");
        if (problem is not null) return problem;
        var (outcome, version, errors) = await store.SaveAsync(user.GetTenantId(), key, text!, context.RequestAborted);
        var upload = new EngineProviderUpload(key, version, $"tenant:{key}@v{version}");
        return outcome switch
        {
            DefinitionUploadOutcome.Created => TypedResults.Created($"/v1/engine/providers/{key}", upload),
            DefinitionUploadOutcome.Replaced => TypedResults.Ok(upload),
            DefinitionUploadOutcome.Invalid => EngineRequestBodies.Invalid("The provider definition is invalid; nothing was stored.", errors),
            DefinitionUploadOutcome.PlatformKey => Problems.Conflict($"'{key}' is a platform provider; a tenant cannot replace it. Customise it with an override (/v1/engine/overrides/{key})."),
            _ => Problems.Conflict("Another upload of this key was saved at the same time; try again."),
        };
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
