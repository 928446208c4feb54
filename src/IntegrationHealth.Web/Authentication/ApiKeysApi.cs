using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Web.Authentication;

/// <summary>API keys of the caller's tenant (admin scope): create (secret shown once), list (no secrets), revoke.</summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/keys").WithTags("API keys").RequireAuthorization(ApiPolicies.Admin);

        api.MapPost("", CreateKey)
            .WithName("CreateApiKey")
            .WithSummary("Create an API key; the secret is in the response and never shown again")
            .Accepts<CreateApiKeyRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapGet("", ListKeys)
            .WithName("ListApiKeys")
            .WithSummary("List the tenant's API keys (prefixes only, never secrets)");

        api.MapDelete("/{id:int}", RevokeKey)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key; it stops working within seconds everywhere, at once on this instance")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    /// <summary>
    /// Reads the body itself (<see cref="CreateApiKeyRequestReader"/>) rather than binding <see cref="CreateApiKeyRequest"/>,
    /// so that its errors name their field like every other write endpoint's, and its size is bounded.
    /// </summary>
    public static async Task<Results<Created<CreatedApiKeyView>, ProblemHttpResult>> CreateKey(HttpContext context, ApiKeyIssuer issuer)
    {
        if (BodyFormat.Of(context.Request.ContentType) != BodyFormat.Kind.Json)
            return Problems.UnsupportedMediaType("Send a JSON object with Content-Type 'application/json' (UTF-8).");
        using var body = await RequestBody.ReadAsync(context, CreateApiKeyRequestReader.MaxBodyBytes, context.RequestAborted);
        if (body is null) return Problems.PayloadTooLarge($"The body exceeds {CreateApiKeyRequestReader.MaxBodyBytes} bytes.");
        var errors = new BatchErrors();
        var (scopes, name) = CreateApiKeyRequestReader.Read(body.Span, errors);
        if (errors.Any) return Problems.InvalidBatch(errors, "API key", "The API key request is invalid; no key was created.");

        var issued = await issuer.CreateAsync(context.User.GetTenantId(), scopes, name, context.RequestAborted);
        var key = issued.Entity;
        return TypedResults.Created($"/v1/keys/{key.Id}",
            new CreatedApiKeyView(key.Id, issued.Key, DisplayPrefix(key), key.Name, WireNames.Of(key.Scopes), StoredInstant.Utc(key.CreatedAt)));
    }

    public static async Task<Ok<IReadOnlyList<ApiKeyView>>> ListKeys(HttpContext context, IDbContextFactory<IntegrationHealthDbContext> dbFactory)
    {
        var tenantId = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId).OrderBy(k => k.Id).ToListAsync(context.RequestAborted);
        IReadOnlyList<ApiKeyView> views = [.. keys.Select(k =>
            new ApiKeyView(k.Id, DisplayPrefix(k), k.Name, WireNames.Of(k.Scopes), StoredInstant.Utc(k.CreatedAt), StoredInstant.Utc(k.RevokedAt)))];
        return TypedResults.Ok(views);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(HttpContext context, int id, ApiKeyIssuer issuer) =>
        await issuer.RevokeAsync(context.User.GetTenantId(), id, context.RequestAborted)
            ? TypedResults.NoContent()
            : Problems.NotFound($"No API key {id}.");

    /// <summary>What people see to tell keys apart: the marker and the clear lookup prefix.</summary>
    private static string DisplayPrefix(ApiKey key) => ApiKeySecrets.Marker + key.Prefix;
}
