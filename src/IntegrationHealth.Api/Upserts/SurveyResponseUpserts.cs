using IntegrationHealth.Api.Contracts;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Upserts;

/// <summary>A validated survey-response item.</summary>
public sealed record SurveyResponseItem(
    int Index, string ExternalId, string Account, string? UserId, int Score, string? Comment, DateTime RespondedAt);

/// <summary>Bulk upsert of NPS survey responses by external id.</summary>
public static class SurveyResponseUpserts
{
    public static readonly string[] Fields = ["externalId", "account", "userId", "score", "comment", "respondedAt"];

    public static SurveyResponseItem? Read(ItemReader r, DateTime latestUtc)
    {
        var externalId = r.String("externalId", required: true);
        var account = r.String("account", required: true);
        var userId = r.String("userId");
        var score = r.Int("score", 0, 10, required: true);
        var comment = r.String("comment", maxLength: 4000, allowEmpty: true);
        var respondedAt = r.Instant("respondedAt", latestUtc, required: true);
        if (externalId is null || account is null || score is null || respondedAt is null) return null;
        return new SurveyResponseItem(r.Index, externalId, account, userId, score.Value, comment, respondedAt.Value);
    }

    public static async Task<UpsertOutcome> ApplyAsync(
        IntegrationHealthDbContext db, int tenantId, IReadOnlyList<SurveyResponseItem> items, BatchErrors errors,
        CancellationToken cancellationToken)
    {
        var accountKeys = items.Select(i => i.Account).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == tenantId && accountKeys.Contains(a.ExternalId))
            .Select(a => new { a.Id, a.ExternalId })
            .ToDictionaryAsync(a => a.ExternalId, a => a.Id, StringComparer.Ordinal, cancellationToken);
        foreach (var item in items)
        {
            if (!accounts.ContainsKey(item.Account))
                errors.Add(item.Index, "account", $"Unknown account '{item.Account}'.");
        }
        if (errors.Any) return new UpsertOutcome(null, errors);

        var ids = items.Select(i => i.ExternalId).ToList();
        var existing = await db.SurveyResponses
            .Where(s => s.TenantId == tenantId && ids.Contains(s.ExternalId))
            .ToDictionaryAsync(s => s.ExternalId, StringComparer.Ordinal, cancellationToken);
        int inserted = 0, updated = 0;
        foreach (var item in items)
        {
            if (!existing.TryGetValue(item.ExternalId, out var response))
            {
                response = new SurveyResponse { TenantId = tenantId, ExternalId = item.ExternalId };
                db.SurveyResponses.Add(response);
                inserted++;
            }
            else
            {
                updated++;
            }
            response.AccountId = accounts[item.Account];
            response.UserId = item.UserId;
            response.Score = item.Score;
            response.Comment = item.Comment;
            response.RespondedAt = item.RespondedAt;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new UpsertOutcome(new UpsertResult(inserted, updated), null);
    }
}
