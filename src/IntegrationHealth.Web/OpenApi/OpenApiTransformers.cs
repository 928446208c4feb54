using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Jobs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace IntegrationHealth.Web.OpenApi;

/// <summary>
/// Declares the API-key security schemes (Bearer and X-Api-Key), marks every operation behind a policy as requiring
/// one (with the scope in the description), and documents the two endpoints that are not minimal-API handlers:
/// the Prometheus scrape endpoint and the Hangfire dashboard.
/// </summary>
public sealed class ApiKeyDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "ApiKeyBearer";
    public const string HeaderScheme = "ApiKeyHeader";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "IntegrationHealth API";
        document.Info.Description = "Telemetry ingestion, bulk upserts and reads, tenant-scoped by API key. Errors are RFC 9457 problem details.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "ih_<43 base64url characters>",
            Description = "API key as 'Authorization: Bearer ih_…'. Scopes: ingest, read, admin (admin implies the others).",
        };
        document.Components.SecuritySchemes[HeaderScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "The same API key in the X-Api-Key header.",
        };

        document.Paths ??= new OpenApiPaths();
        document.Paths["/metrics"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = "Metrics",
                    Summary = "Prometheus scrape endpoint (OpenTelemetry metrics, text exposition format)",
                    Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
                    Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "Metrics in Prometheus text format." } },
                },
            },
        };
        document.Paths[HangfireDashboardPaths.Root + "/{path}"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = "HangfireDashboard",
                    Summary = "Hangfire dashboard (HTML; admin key or dashboard sign-in cookie). {path} may be empty.",
                    Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
                    Security = [Requirement(document)],
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse { Description = "Dashboard page." },
                        ["401"] = new OpenApiResponse { Description = "No or invalid key (browsers are redirected to the sign-in form)." },
                        ["403"] = new OpenApiResponse { Description = "The key is not an admin key." },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }

    internal static OpenApiSecurityRequirement Requirement(OpenApiDocument document) => new()
    {
        [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
        [new OpenApiSecuritySchemeReference(HeaderScheme, document)] = [],
    };
}

/// <summary>Adds the security requirement and required scope to operations that need a key.</summary>
public sealed class ApiKeyOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any()) return Task.CompletedTask;
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
        if (policies.Count == 0) return Task.CompletedTask;

        operation.Security = [ApiKeyDocumentTransformer.Requirement(context.Document!)];
        var scopes = string.Join(", ", policies.Select(p => p!.Replace("scope:", "", StringComparison.Ordinal)));
        operation.Description = $"{operation.Description}{(string.IsNullOrEmpty(operation.Description) ? "" : " ")}Requires scope: {scopes}.".Trim();
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Missing, invalid or revoked API key (problem details)." });
        operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The key lacks the required scope (problem details)." });
        return Task.CompletedTask;
    }
}
