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
        // The dashboard answers at its root and below it (Hangfire's own route is /hangfire/{**path}).
        foreach (var (path, id) in new[] { (HangfireDashboardPaths.Root, "HangfireDashboard"), (HangfireDashboardPaths.Root + "/{path}", "HangfireDashboardPage") })
        {
            document.Paths[path] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Get] = new()
                    {
                        OperationId = id,
                        Summary = "Hangfire job dashboard (HTML; admin key or dashboard sign-in cookie)",
                        Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
                        Parameters = path.EndsWith("{path}", StringComparison.Ordinal)
                            ? [new OpenApiParameter { Name = "path", In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } }]
                            : null,
                        Security = Requirements(document),
                        Responses = new OpenApiResponses
                        {
                            ["200"] = new OpenApiResponse
                            {
                                Description = "Dashboard page.",
                                Content = new Dictionary<string, OpenApiMediaType> { ["text/html"] = new() },
                            },
                            ["302"] = new OpenApiResponse { Description = "A browser (Accept: text/html) without a session is sent to /hangfire/login." },
                            ["401"] = ProblemResponse(document, "No or invalid key."),
                            ["403"] = ProblemResponse(document, "The key may not open the dashboard."),
                        },
                    },
                },
            };
        }
        return Task.CompletedTask;
    }

    /// <summary>Either scheme authenticates: two requirement objects are alternatives (one object would demand both).</summary>
    internal static List<OpenApiSecurityRequirement> Requirements(OpenApiDocument document) =>
    [
        new() { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
        new() { [new OpenApiSecuritySchemeReference(HeaderScheme, document)] = [] },
    ];

    /// <summary>A response whose body is a problem details document.</summary>
    internal static OpenApiResponse ProblemResponse(OpenApiDocument document, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(Microsoft.AspNetCore.Mvc.ProblemDetails), document) },
        },
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

        operation.Security = ApiKeyDocumentTransformer.Requirements(context.Document!);
        var scopes = string.Join(", ", policies.Select(p => p!.Replace("scope:", "", StringComparison.Ordinal)));
        operation.Description = $"{operation.Description}{(string.IsNullOrEmpty(operation.Description) ? "" : " ")}Requires scope: {scopes}.".Trim();
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", ApiKeyDocumentTransformer.ProblemResponse(context.Document!, "Missing, invalid, revoked or ambiguous API key."));
        operation.Responses.TryAdd("403", ApiKeyDocumentTransformer.ProblemResponse(context.Document!, "The key lacks the required scope."));
        return Task.CompletedTask;
    }
}

/// <summary>
/// Describes our problem details as they are sent: the RFC 9457 members plus the extensions every problem may carry
/// (<c>traceId</c>; for a rejected batch <c>errors</c>, <c>errorCount</c>, <c>errorsTruncated</c>), and open to further
/// extension members as RFC 9457 allows, where the generated schema forbade any.
/// </summary>
public sealed class ProblemDetailsSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(Microsoft.AspNetCore.Mvc.ProblemDetails)) return Task.CompletedTask;
        schema.AdditionalPropertiesAllowed = true;
        schema.AdditionalProperties = null;
        schema.Description = "RFC 9457 problem details.";
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Identifies the request in our logs." };
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Description = "Every error of a rejected request or batch (up to Ingestion:MaxReportedErrors): the item's 0-based index (-1 for the body or request as a whole), the field, and why.",
            Items = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "index", "field", "message" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["index"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                    ["field"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            },
        };
        schema.Properties["errorCount"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "How many errors were found in all." };
        schema.Properties["errorsTruncated"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Whether 'errors' lists fewer than were found." };
        return Task.CompletedTask;
    }
}
