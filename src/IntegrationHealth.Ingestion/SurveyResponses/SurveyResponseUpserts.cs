using IntegrationHealth.Data.Entities;
using IntegrationHealth.Ingestion.Upserts;

namespace IntegrationHealth.Ingestion.SurveyResponses;

/// <summary>A validated survey-response item.</summary>
public sealed record SurveyResponseItem(
    int Index, string ExternalId, string Account, string? UserId, int Score, string? Comment, DateTime RespondedAt) : IAccountItem;

/// <summary>Bulk upsert of NPS survey responses by external id.</summary>
public static class SurveyResponseUpserts
{
    public static readonly string[] Fields = ["externalId", "account", "userId", "score", "comment", "respondedAt"];

    public static readonly UpsertDefinition<SurveyResponseItem> Definition = new("survey response", Fields, Read, ApplyAsync);

    public static SurveyResponseItem? Read(ItemReader r, DateTime latestUtc)
    {
        var externalId = r.Identifier("externalId", required: true);
        var account = r.Identifier("account", required: true);
        var userId = r.Identifier("userId");
        var score = r.Int("score", 0, 10, required: true);
        var comment = r.String("comment", maxLength: 4000, allowEmpty: true);
        var respondedAt = r.Instant("respondedAt", latestUtc, required: true);
        if (externalId is null || account is null || score is null || respondedAt is null) return null;
        return new SurveyResponseItem(r.Index, externalId, account, userId, score.Value, comment, respondedAt.Value);
    }

    public static async Task<UpsertOutcome> ApplyAsync(UpsertScope scope, IReadOnlyList<SurveyResponseItem> items, CancellationToken cancellationToken)
    {
        var accounts = await BulkUpsert.ResolveAccountsAsync(scope, items, cancellationToken);
        if (scope.Errors.Any) return new UpsertOutcome(null, scope.Errors);

        return await BulkUpsert.SaveAsync(scope, items,
            item => new SurveyResponse { ExternalId = item.ExternalId },
            (response, item) =>
            {
                response.AccountId = accounts[item.Account];
                response.UserId = item.UserId;
                response.Score = item.Score;
                response.Comment = item.Comment;
                response.RespondedAt = item.RespondedAt;
            },
            cancellationToken);
    }
}
