using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Data;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Overrides;

/// <summary>The body of a roll-back: the version whose document becomes current again.</summary>
public sealed record RollbackRequest(int Version);

/// <summary>
/// <c>/v1/engine/overrides/{provider}</c> (the environment level) and <c>…/accounts/{account}</c> (one account):
/// read, save, delete, history and roll-back of the tenant's overrides (admin). Another tenant's provider or account is
/// "not found".
/// </summary>
public static class EngineOverridesApi
{
    public static IEndpointRouteBuilder MapEngineOverridesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/engine/overrides/{provider}").WithTags("Engine").RequireAuthorization(ApiPolicies.Admin);
        Map(group, "", "", "the tenant's environment-wide override");
        Map(group, "/accounts/{account}", "Account", "one account's override");
        return app;
    }

    private static void Map(RouteGroupBuilder group, string suffix, string name, string what)
    {
        group.MapGet(suffix, (HttpContext c, string provider, EngineOverrideStore store, IDbContextFactory<IntegrationHealthDbContext> db, ClaimsPrincipal user) =>
                GetAsync(c, provider, RouteAccount(c), store, db, user))
            .WithName($"Get{name}EngineOverride")
            .WithSummary($"Read {what} of a provider definition")
            .WithDescription("The current override document (a partial provider definition merged over the level below) and its version; 404 when there is none.")
            .Produces<EngineOverrideView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut(suffix, (HttpContext c, string provider, EngineOverrideStore store, IDbContextFactory<IntegrationHealthDbContext> db,
                    IOptions<EngineOptions> options, ClaimsPrincipal user) => PutAsync(c, provider, RouteAccount(c), store, db, options, user))
            .WithName($"Put{name}EngineOverride")
            .WithSummary($"Save {what} of a provider definition (a new version)")
            .WithDescription("Body: a JSON object with 'resources' only (response mappings, query translations, request bodies, the target " +
                "path, pagination, pre_steps), deep-merged over the level below: objects key by key, arrays and other values replaced, " +
                "null removes a member. Every definition the change affects is validated and every JSONata expression compiled; a " +
                "failure is a 400 whose errors name the JSONPath and, for an expression, JSONata's code and position. In effect in " +
                "every process within Engine:DefinitionRefreshInterval.")
            .Accepts<JsonElement>("application/json")
            .Produces<EngineOverrideView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapDelete(suffix, (HttpContext c, string provider, EngineOverrideStore store, IDbContextFactory<IntegrationHealthDbContext> db, ClaimsPrincipal user) =>
                DeleteAsync(c, provider, RouteAccount(c), store, db, user))
            .WithName($"Delete{name}EngineOverride")
            .WithSummary($"Delete {what} (a new version; roll back to restore it)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet(suffix + "/history", (HttpContext c, string provider, EngineOverrideStore store, IDbContextFactory<IntegrationHealthDbContext> db, ClaimsPrincipal user) =>
                HistoryAsync(c, provider, RouteAccount(c), store, db, user))
            .WithName($"List{name}EngineOverrideHistory")
            .WithSummary($"Every version of {what}, newest first")
            .Produces<IReadOnlyList<EngineOverrideVersionView>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost(suffix + "/rollback", (HttpContext c, string provider, EngineOverrideStore store, IDbContextFactory<IntegrationHealthDbContext> db, ClaimsPrincipal user) =>
                RollbackAsync(c, provider, RouteAccount(c), store, db, user))
            .WithName($"Rollback{name}EngineOverride")
            .WithSummary($"Make an earlier version of {what} current again (as a new version)")
            .WithDescription("Body: {\"version\": n}. Validated like a save.")
            .Accepts<RollbackRequest>("application/json")
            .Produces<EngineOverrideView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>The account route value of the account routes; null on the environment routes (never the query string).</summary>
    private static string? RouteAccount(HttpContext context) => context.Request.RouteValues.TryGetValue("account", out var v) ? v as string : null;

    private sealed record Target(string Provider, int? AccountId, string? Account);

    /// <summary>The provider key and account from the route, checked against the caller's tenant (another tenant's is 404).</summary>
    private static async Task<(Target? Target, ProblemHttpResult? Problem)> TargetAsync(HttpContext context, string provider, string? account,
        IDbContextFactory<IntegrationHealthDbContext> dbFactory, EngineOverrideStore store, int tenantId)
    {
        provider = RouteText.Exact(context, "provider", provider);
        if (!EngineRequestBodies.IsProviderKey(provider)) return (null, Problems.NotFound($"No provider definition '{provider}'."));
        if (account is null) return (new Target(provider, null, null), null);
        account = RouteText.Exact(context, "account", account);
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var id = await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenantId && a.ExternalId == account).Select(a => (int?)a.Id)
            .FirstOrDefaultAsync(context.RequestAborted);
        return id is null ? (null, Problems.NotFound($"No account '{account}'.")) : (new Target(provider, id, account), null);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string provider, string? account, EngineOverrideStore store,
        IDbContextFactory<IntegrationHealthDbContext> db, ClaimsPrincipal user)
    {
        var tenantId = user.GetTenantId();
        var (target, problem) = await TargetAsync(context, provider, account, db, store, tenantId);
        if (problem is not null) return problem;
        var view = await store.GetAsync(tenantId, target!.Provider, target.AccountId, target.Account, context.RequestAborted);
        return view is null ? Problems.NotFound("There is no such override.") : TypedResults.Ok(view);
    }

    private static async Task<IResult> PutAsync(HttpContext context, string provider, string? account, EngineOverrideStore store,
        IDbContextFactory<IntegrationHealthDbContext> db, IOptions<EngineOptions> options, ClaimsPrincipal user)
    {
        var tenantId = user.GetTenantId();
        var (target, problem) = await TargetAsync(context, provider, account, db, store, tenantId);
        if (problem is not null) return problem;
        var (text, bodyProblem) = await EngineRequestBodies.ReadJsonAsync(context, options.Value.MaxOverrideBytes, "Engine:MaxOverrideBytes");
        if (bodyProblem is not null) return bodyProblem;
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(text!, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"The body is not valid JSON: {e.Message}");
        }
        if (EngineOverrideStore.CheckShape(document) is { Count: > 0 } shape) return EngineRequestBodies.Invalid("The override is invalid; nothing was stored.", shape);
        return Answer(await store.SaveAsync(tenantId, target!.Provider, target.AccountId, target.Account, (JsonObject)document!, context.RequestAborted));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string provider, string? account, EngineOverrideStore store,
        IDbContextFactory<IntegrationHealthDbContext> db, ClaimsPrincipal user)
    {
        var tenantId = user.GetTenantId();
        var (target, problem) = await TargetAsync(context, provider, account, db, store, tenantId);
        if (problem is not null) return problem;
        var result = await store.SaveAsync(tenantId, target!.Provider, target.AccountId, target.Account, null, context.RequestAborted);
        return result.Outcome == OverrideOutcome.Saved ? TypedResults.NoContent() : Answer(result);
    }

    private static async Task<IResult> HistoryAsync(HttpContext context, string provider, string? account, EngineOverrideStore store,
        IDbContextFactory<IntegrationHealthDbContext> db, ClaimsPrincipal user)
    {
        var tenantId = user.GetTenantId();
        var (target, problem) = await TargetAsync(context, provider, account, db, store, tenantId);
        if (problem is not null) return problem;
        var history = await store.HistoryAsync(tenantId, target!.Provider, target.AccountId, context.RequestAborted);
        return history is null ? Problems.NotFound("There is no such override.") : TypedResults.Ok(history);
    }

    private static async Task<IResult> RollbackAsync(HttpContext context, string provider, string? account, EngineOverrideStore store,
        IDbContextFactory<IntegrationHealthDbContext> db, ClaimsPrincipal user)
    {
        var tenantId = user.GetTenantId();
        var (target, problem) = await TargetAsync(context, provider, account, db, store, tenantId);
        if (problem is not null) return problem;
        var (text, bodyProblem) = await EngineRequestBodies.ReadJsonAsync(context, 4096, "a roll-back body");
        if (bodyProblem is not null) return bodyProblem;
        int version;
        try
        {
            using var body = JsonDocument.Parse(text!);
            if (body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("version", out var v)
                || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out version) || version < 1)
                return Problems.BadRequest("Send {\"version\": n} with a version from the history.", field: "version");
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"The body is not valid JSON: {e.Message}");
        }
        return Answer(await store.RollbackAsync(tenantId, target!.Provider, target.AccountId, target.Account, version, context.RequestAborted));
    }

    private static IResult Answer((OverrideOutcome Outcome, EngineOverrideView? View, IReadOnlyList<DefinitionError> Errors) result) => result.Outcome switch
    {
        OverrideOutcome.Saved => TypedResults.Ok(result.View),
        OverrideOutcome.Invalid => EngineRequestBodies.Invalid("The override is invalid; nothing was stored.", result.Errors),
        OverrideOutcome.Conflict => Problems.Conflict("Another change of this override was saved at the same time; read it and try again."),
        _ => Problems.NotFound("There is no such provider definition, override or version."),
    };
}
