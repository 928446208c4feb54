using IntegrationHealth.Api.Auth;
using IntegrationHealth.Api.Contracts;
using IntegrationHealth.Api.Upserts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Apis;

/// <summary>NPS survey responses: bulk upsert and list.</summary>
public static class SurveyResponsesApi
{
    public static IEndpointRouteBuilder MapSurveyResponsesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/survey-responses").WithTags("Survey responses");

        api.MapPost("", UpsertSurveyResponses)
            .RequireAuthorization(ApiPolicies.Ingest)
            .WithName("UpsertSurveyResponses")
            .WithSummary("Insert or update NPS survey responses by external id")
            .Accepts<SurveyResponseInput[]>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapGet("", ListSurveyResponses)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ListSurveyResponses")
            .WithSummary("List the tenant's survey responses, optionally of one account, paged by cursor")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static Task<Results<Ok<UpsertResult>, ProblemHttpResult>> UpsertSurveyResponses(HttpContext context, [AsParameters] StoreServices services) =>
        services.UpsertAsync(context, "survey response", SurveyResponseUpserts.Fields, SurveyResponseUpserts.Read, s => s.ExternalId,
            SurveyResponseUpserts.ApplyAsync);

    public static async Task<Results<Ok<Page<SurveyResponseView>>, ProblemHttpResult>> ListSurveyResponses(
        HttpContext context, [AsParameters] StoreServices services, string? account, int? limit, string? cursor)
    {
        if (Paging.TryParse(limit, cursor, out var take, out var afterId) is { } problem) return problem;
        var tenantId = context.User.GetTenantId();
        var ct = context.RequestAborted;
        await using var db = await services.DbFactory.CreateDbContextAsync(ct);
        var accountId = await AccountFilter.ResolveAsync(db, tenantId, account, ct);
        if (accountId == AccountFilter.NotFound) return Problems.NotFound($"No account '{account}'.");

        var query = from s in db.SurveyResponses.AsNoTracking()
                    join a in db.Accounts.AsNoTracking() on s.AccountId equals a.Id
                    where s.TenantId == tenantId && s.Id > afterId && (accountId == null || s.AccountId == accountId)
                    orderby s.Id
                    select new { Response = s, Account = a.ExternalId };
        var rows = await query.Take(take + 1).ToListAsync(ct);
        var more = rows.Count > take;
        if (more) rows.RemoveAt(rows.Count - 1);
        var items = rows.Select(r => new SurveyResponseView(
            r.Response.ExternalId, r.Account, r.Response.UserId, r.Response.Score, r.Response.Comment,
            Paging.Utc(r.Response.RespondedAt))).ToList();
        return TypedResults.Ok(new Page<SurveyResponseView>(items, Paging.Next(more, rows.Count > 0 ? rows[^1].Response.Id : 0)));
    }
}
