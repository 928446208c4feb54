using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Http;

namespace IntegrationHealth.Analytics.Alerts;

/// <summary>An alert on the wire (API and webhook payloads).</summary>
public sealed record AlertView(int Id, string Kind, string Severity, string State, string DedupKey, string Title, string Detail, double Value,
    double Threshold, int? ProviderId, int? AccountId, int? ConnectionId, DateTime OpenedAt, DateTime LastSeenAt, int Occurrences,
    DateTime? AcknowledgedAt, string? AcknowledgedBy, DateTime? ResolvedAt)
{
    public static readonly string[] Kinds = ["anomaly", "burn_rate", "rollback_trigger", "credentials_revoked"];
    public static readonly string[] States = ["open", "acknowledged", "resolved"];

    public static AlertView Of(Alert a) => new(a.Id, Kinds[(int)a.Kind], a.Severity == AlertSeverity.Page ? "page" : "ticket", States[(int)a.State],
        a.DedupKey, a.Title, a.Detail, a.Value, a.Threshold, a.ProviderId, a.AccountId, a.ConnectionId, StoredInstant.Utc(a.OpenedAt),
        StoredInstant.Utc(a.LastSeenAt), a.Occurrences, StoredInstant.Utc(a.AcknowledgedAt), a.AcknowledgedBy, StoredInstant.Utc(a.ResolvedAt));
}
