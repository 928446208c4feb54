using System.Text.Json;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Web.Webhooks;

/// <summary>
/// Renders a feature's events for chat tools' incoming webhooks (Slack, Microsoft Teams), which take their own message
/// formats instead of Standard Webhooks' JSON. Features register one per family of event types; the outbox stays
/// feature-neutral and delivers an event to a chat endpoint only when some renderer renders it.
/// </summary>
public interface IWebhookChatRenderer
{
    /// <summary>The message body for <paramref name="format"/>, or null when this renderer does not render
    /// <paramref name="eventType"/>.</summary>
    string? Render(WebhookEndpointFormat format, string eventType, JsonElement data);
}
