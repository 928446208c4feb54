using System.Text.Json.Serialization;
using IntegrationHealth.Data;
using IntegrationHealth.StatusPage.Public;
using IntegrationHealth.Web.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.StatusPage.Subscriptions;

/// <summary>A subscription request (JSON, or the page's HTML form with <c>email</c> and repeated <c>component</c>
/// fields): exactly one of <see cref="Email"/> and <see cref="WebhookUrl"/>.</summary>
public sealed record SubscribeRequest(
    [property: JsonPropertyName("email")] string? Email = null,
    [property: JsonPropertyName("webhookUrl")] string? WebhookUrl = null,
    [property: JsonPropertyName("components")] IReadOnlyList<int>? Components = null);

/// <summary>The answer to every e-mail subscription, whether or not the address was known (so it tells nothing).</summary>
public sealed record SubscriptionPending(string Status, string Detail);

/// <summary>A new webhook subscription: the one time its signing secret and its management token's links are shown.</summary>
public sealed record WebhookSubscriptionCreated(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("webhookUrl")] string WebhookUrl,
    [property: JsonPropertyName("components")] IReadOnlyList<int>? Components,
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("unsubscribeUrl")] string UnsubscribeUrl,
    [property: JsonPropertyName("rotateSecretUrl")] string RotateSecretUrl);

/// <summary>A rotated webhook secret: the new one (shown once) and when the previous one stops signing.</summary>
public sealed record WebhookSecretRotated(
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("previousSecretExpiresAt")] DateTime? PreviousSecretExpiresAt);

/// <summary>What the subscription handlers need, taken as <c>[AsParameters]</c>.</summary>
public sealed class SubscriptionServices(IDbContextFactory<IntegrationHealthDbContext> dbFactory, IOptions<SubscriptionOptions> options,
    IOptions<StatusPageOptions> pageOptions, IOptions<WebhookOptions> webhookOptions, SubscriberTokens tokens, WebhookSecrets secrets,
    TimeProvider time, ILogger<SubscriptionServices> logger)
{
    public IDbContextFactory<IntegrationHealthDbContext> DbFactory { get; } = dbFactory;
    public IOptions<SubscriptionOptions> Options { get; } = options;
    public IOptions<StatusPageOptions> PageOptions { get; } = pageOptions;
    public IOptions<WebhookOptions> WebhookOptions { get; } = webhookOptions;
    public SubscriberTokens Tokens { get; } = tokens;
    public WebhookSecrets Secrets { get; } = secrets;
    public TimeProvider Time { get; } = time;
    public ILogger<SubscriptionServices> Logger { get; } = logger;

    public SubscriptionOptions Settings => Options.Value;
    public StatusPageOptions PageSettings => PageOptions.Value;
    public WebhookOptions WebhookSettings => WebhookOptions.Value;
    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    /// <summary>The public base of a page's subscriber links.</summary>
    public string LinkBase(string slug) => $"{Settings.PublicBaseUrl.TrimEnd('/')}/pages/{slug}/subscribers";
}
