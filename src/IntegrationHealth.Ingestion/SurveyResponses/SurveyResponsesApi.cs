using IntegrationHealth.Ingestion.Accounts;
using IntegrationHealth.Ingestion.Upserts;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHealth.Ingestion.SurveyResponses;

/// <summary>NPS survey responses: bulk upsert and list.</summary>
public static class SurveyResponsesApi
{
    public static IEndpointRouteBuilder MapSurveyResponsesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/survey-responses").WithTags("Survey responses");

        api.MapPost("", UpsertSurveyResponses)
            .AsBulkUpsert<SurveyResponseInput>("UpsertSurveyResponses", "Insert or update NPS survey responses by external id");
        api.MapGet("", ListSurveyResponses)
            .AsAccountOwnedList("ListSurveyResponses", "List the tenant's survey responses, optionally of one account, paged by cursor");

        return app;
    }

    public static Task<Results<Ok<UpsertResult>, ProblemHttpResult>> UpsertSurveyResponses(
        HttpContext context, [AsParameters] IngestionServices services) =>
        BulkUpsert.HandleAsync(context, services, SurveyResponseUpserts.Definition);

    public static Task<Results<Ok<Page<SurveyResponseView>>, ProblemHttpResult>> ListSurveyResponses(
        HttpContext context, [AsParameters] IngestionServices services, string? account, int? limit, string? cursor) =>
        AccountOwnedLists.ListAsync(context, services, account, limit, cursor, db => db.SurveyResponses, (r, _) =>
            new SurveyResponseView(
                r.Row.ExternalId, r.Account, r.Row.UserId, r.Row.Score, r.Row.Comment, StoredInstant.Utc(r.Row.RespondedAt)));
}
