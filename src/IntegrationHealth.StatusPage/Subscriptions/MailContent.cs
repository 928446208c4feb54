using System.Text;
using System.Text.Json;

namespace IntegrationHealth.StatusPage.Subscriptions;

/// <summary>
/// A mail in the outbox (<c>StatusNotification.Payload</c>): subject and plain text, written when it is planned; the
/// link that differs per subscriber (confirm, unsubscribe) is added when it is sent, from the protected token, so
/// the outbox never holds a token in clear.
/// </summary>
public sealed record MailContent(string Kind, string Subject, string Text, string? ProtectedToken = null)
{
    public const string ConfirmationKind = "confirmation";
    public const string NotificationKind = "notification";

    /// <summary>The outbox's and the webhooks' JSON: snake_case, as Statuspage's documents.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static MailContent Confirmation(string pageName, string protectedToken, TimeSpan lifetime) => new(ConfirmationKind,
        $"Confirm your subscription to {pageName} status",
        $"Someone, hopefully you, asked to receive {pageName}'s status notifications at this address.\n\n" +
        $"To confirm, open this link within {Describe(lifetime)}:\n\n{{link}}\n\n" +
        "If you did not ask for this, ignore this mail: nothing will be sent to you.\n", protectedToken);

    public static MailContent Notification(NotificationPayload p)
    {
        var what = p.Event switch
        {
            "incident.created" => "New incident",
            "incident.resolved" => "Resolved",
            "maintenance.scheduled" => "Scheduled maintenance",
            "maintenance.started" => "Maintenance started",
            "maintenance.completed" => "Maintenance completed",
            _ => "Update",
        };
        var text = new StringBuilder();
        text.Append(p.Incident.Name).Append('\n').Append(what).Append(": ").Append(p.Update.Status.Replace('_', ' ')).Append("\n\n");
        text.Append(p.Update.Body).Append("\n\n");
        if (p.Update.ExpectedResolutionAt is { } expected) text.Append("Expected resolution: ").Append(expected).Append("\n\n");
        if (p.Components.Count > 0)
        {
            text.Append("Affected components:\n");
            foreach (var c in p.Components) text.Append("- ").Append(c.Name).Append(": ").Append(c.NewStatus.Replace('_', ' ')).Append('\n');
            text.Append('\n');
        }
        text.Append("Details: ").Append(p.Incident.Shortlink).Append('\n');
        text.Append("\n--\nYou receive this because you subscribed to ").Append(p.Page.Name).Append("'s status page.\nUnsubscribe: {link}\n");
        return new MailContent(NotificationKind, $"[{p.Page.Name}] {what}: {p.Incident.Name}", text.ToString());
    }

    private static string Describe(TimeSpan span) => span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours)
        ? $"{span.TotalHours:0} hour{(span.TotalHours == 1 ? "" : "s")}"
        : $"{span.TotalMinutes:0} minutes";
}
