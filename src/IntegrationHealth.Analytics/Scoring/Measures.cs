namespace IntegrationHealth.Analytics.Scoring;

/// <summary>The scorecard's measure groups, as Customer Success platforms group health measures.</summary>
public enum MeasureGroup
{
    IntegrationReliability,
    CredentialHealth,
    SyncFreshness,
    DataQuality,
    SupportFriction,
    Sentiment,
    Engagement,
    IntegrationDepth,
}

/// <summary>One measure of an account: its risk on a 0–1 scale (0 nothing wrong, 1 as bad as the measure gets) and
/// the evidence in plain words with numbers (empty when nothing is wrong).</summary>
public sealed record Measure(MeasureGroup Group, double Risk, string Evidence);

/// <summary>Wire names of the groups.</summary>
public static class MeasureNames
{
    public static string Of(MeasureGroup group) => group switch
    {
        MeasureGroup.IntegrationReliability => "integration_reliability",
        MeasureGroup.CredentialHealth => "credential_health",
        MeasureGroup.SyncFreshness => "sync_freshness",
        MeasureGroup.DataQuality => "data_quality",
        MeasureGroup.SupportFriction => "support_friction",
        MeasureGroup.Sentiment => "sentiment",
        MeasureGroup.Engagement => "engagement",
        _ => "integration_depth",
    };
}
