using System.Security.Claims;
using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Overrides;

/// <summary>A connection's effective definition: the merged document and the level every value came from.</summary>
public sealed record EffectiveDefinitionView(string Connection, string Account, string Provider, string BaseLevel, int? BaseVersion,
    int? EnvironmentVersion, int? AccountVersion, JsonElement Definition, IReadOnlyList<DefinitionPart> Parts);

/// <summary><c>GET /v1/engine/connections/{connection}/effective-definition</c>.</summary>
public static class EffectiveDefinitionApi
{
    public static IEndpointRouteBuilder MapEffectiveDefinitionApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/engine/connections").WithTags("Engine")
            .MapGet("/{connection}/effective-definition", GetEffectiveDefinition)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("GetEffectiveDefinition")
            .WithSummary("Show the definition a connection's calls run: platform → environment → account, merged")
            .WithDescription("The merged document (what the executor runs for this connection's account), the versions of the overrides in " +
                "effect, and for every value (an array counts as one) the level it came from: platform, tenant (an uploaded definition), " +
                "environment or account. Another tenant's connection is 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<EffectiveDefinitionView>, ProblemHttpResult>> GetEffectiveDefinition(HttpContext context, string connection,
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, TenantProviderRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        connection = RouteText.Exact(context, "connection", connection);
        var tenantId = user.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await (from c in db.Connections.AsNoTracking()
                           join p in db.Providers.AsNoTracking() on c.ProviderId equals p.Id
                           join a in db.Accounts.AsNoTracking() on c.AccountId equals a.Id
                           where c.TenantId == tenantId && c.ExternalId == connection
                           select new { c.AccountId, Account = a.ExternalId, p.Key }).FirstOrDefaultAsync(cancellationToken);
        if (found is null) return Problems.NotFound($"No connection '{connection}'.");
        if (await registry.FindAsync(tenantId, found.Key, found.AccountId, cancellationToken) is not { } effective)
            return Problems.NotFound($"The connection's provider '{found.Key}' has no engine definition.");
        using var document = JsonDocument.Parse(effective.Provider.Json);
        return TypedResults.Ok(new EffectiveDefinitionView(connection, found.Account, found.Key, effective.BaseLevel, effective.BaseVersion,
            effective.EnvironmentVersion, effective.AccountVersion, document.RootElement.Clone(), effective.Parts));
    }
}
