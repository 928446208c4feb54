namespace IntegrationHealth.Ingestion.SurveyResponses;

/// <summary>An NPS survey response to insert or update by <see cref="ExternalId"/>.</summary>
public sealed record SurveyResponseInput(
    string ExternalId, string Account, int Score, DateTimeOffset RespondedAt, string? UserId = null,
    string? Comment = null);

/// <summary>A survey response as read back.</summary>
public sealed record SurveyResponseView(
    string ExternalId, string Account, string? UserId, int Score, string? Comment, DateTime RespondedAt);
