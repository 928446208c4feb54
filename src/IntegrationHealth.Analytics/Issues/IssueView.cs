using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Issues;

/// <summary>A connection issue on the wire.</summary>
public sealed record IssueView(long Id, string AccountId, string Provider, string? ConnectionId, string Kind, string Resource, string Status,
    bool Muted, DateTime FirstSeenAt, DateTime LastSeenAt, DateTime? ResolvedAt, int Reopened, int Occurrences, string Summary,
    decimal? ArrAtRisk, DateTime? MutedAt, string? MutedBy)
{
    /// <summary>The view; <paramref name="names"/> gives the tenant's external ids (null: store ids as text).</summary>
    public static IssueView Of(ConnectionIssue i, (string Account, string Provider, string? Connection, decimal Arr)? names) => new(
        i.Id, names?.Account ?? i.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        names?.Provider ?? i.ProviderId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        names is null ? (i.ConnectionId == 0 ? null : i.ConnectionId.ToString(System.Globalization.CultureInfo.InvariantCulture)) : names.Value.Connection,
        KindName(i.Kind), i.Resource, i.Status == IssueStatus.Open ? "open" : "resolved", i.MutedAt is not null,
        Web.Http.StoredInstant.Utc(i.FirstSeenAt), Web.Http.StoredInstant.Utc(i.LastSeenAt), Web.Http.StoredInstant.Utc(i.ResolvedAt),
        i.Reopened, i.Occurrences, i.Summary, i.Status == IssueStatus.Open ? names?.Arr : 0, Web.Http.StoredInstant.Utc(i.MutedAt), i.MutedBy);

    public static string KindName(IssueKind kind) => kind switch
    {
        IssueKind.CredentialsRevoked => "credentials_revoked",
        IssueKind.MissingPermission => "missing_permission",
        IssueKind.SustainedErrors => "sustained_errors",
        IssueKind.ProviderOffline => "provider_offline",
        IssueKind.StalledSync => "stalled_sync",
        IssueKind.EmptySync => "empty_sync",
        _ => "mapping_failures",
    };
}
