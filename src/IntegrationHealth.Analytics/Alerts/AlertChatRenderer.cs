using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Webhooks;

namespace IntegrationHealth.Analytics.Alerts;

/// <summary>
/// Alerts in the chat tools' own formats: Slack incoming webhooks take <c>{"text":…,"blocks":[…]}</c> (Block Kit: a
/// header, a section with mrkdwn fields, a context line; <c>text</c> is the notification fallback); Microsoft Teams
/// incoming webhooks and Workflows take a message whose one attachment is an Adaptive Card
/// (<c>application/vnd.microsoft.card.adaptive</c>, schema 1.4: a TextBlock title, a FactSet).
/// </summary>
public sealed class AlertChatRenderer : IWebhookChatRenderer
{
    public string? Render(WebhookEndpointFormat format, string eventType, JsonElement data)
    {
        if (!eventType.StartsWith("alert.", StringComparison.Ordinal)) return null;
        var transition = eventType["alert.".Length..];
        string Text(string name) => data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var title = $"{(transition == "resolved" ? "Resolved" : "Alert")}: {Text("title")}";
        var facts = new (string Name, string Value)[]
        {
            ("Severity", Text("severity")), ("State", Text("state")), ("Kind", Text("kind")), ("Key", Text("dedupKey")), ("Opened", data.TryGetProperty("openedAt", out var o) ? o.ToString() : ""),
        };
        return format switch
        {
            WebhookEndpointFormat.Slack => Slack(title, Text("detail"), facts),
            WebhookEndpointFormat.Teams => Teams(title, Text("detail"), facts),
            _ => null,
        };
    }

    /// <summary>Slack's mrkdwn treats &amp;, &lt; and &gt; as control characters: escaped as Slack documents.</summary>
    private static string SlackEscape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Slack(string title, string detail, (string Name, string Value)[] facts)
    {
        var message = new JsonObject
        {
            ["text"] = SlackEscape(title),
            ["blocks"] = new JsonArray
            {
                new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Truncate(title, 150) } },
                new JsonObject
                {
                    ["type"] = "section",
                    ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate(SlackEscape(detail), 3000) },
                    ["fields"] = new JsonArray([.. facts.Select(f => (JsonNode)new JsonObject
                        { ["type"] = "mrkdwn", ["text"] = Truncate($"*{f.Name}*\n{SlackEscape(f.Value)}", 2000) })]),
                },
                new JsonObject
                {
                    ["type"] = "context",
                    ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = "IntegrationHealth" } },
                },
            },
        };
        return message.ToJsonString();
    }

    private static string Teams(string title, string detail, (string Name, string Value)[] facts)
    {
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["text"] = title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = detail, ["wrap"] = true },
                new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray([.. facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Name, ["value"] = f.Value })]) },
            },
        };
        var message = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card },
            },
        };
        return message.ToJsonString();
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
