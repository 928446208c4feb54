using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace IntegrationHealth.Web.Webhooks;

/// <summary>One signing secret and when it stops signing (null: the current one).</summary>
public sealed record WebhookSecret(string Secret, DateTime? ExpiresAt);

/// <summary>
/// Keeps an endpoint's signing secrets encrypted at rest with Data Protection (the store's shared key ring, so any
/// web or job process can sign), newest first; a rotation adds a secret and lets the previous one expire after the
/// overlap, during which both sign each message.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("IntegrationHealth.Webhooks.EndpointSecrets.v1");

    public string Protect(IReadOnlyList<WebhookSecret> secrets) => _protector.Protect(JsonSerializer.Serialize(secrets));

    public IReadOnlyList<WebhookSecret> Unprotect(string protectedSecrets) =>
        JsonSerializer.Deserialize<List<WebhookSecret>>(_protector.Unprotect(protectedSecrets)) ?? [];

    /// <summary>The secrets that sign at <paramref name="now"/>, newest first.</summary>
    public static IReadOnlyList<string> Signing(IReadOnlyList<WebhookSecret> secrets, DateTime now) =>
        [.. secrets.Where(s => s.ExpiresAt is null || s.ExpiresAt > now).Select(s => s.Secret)];

    /// <summary>The list after a rotation: the new secret first, the current ones expiring at
    /// <paramref name="now"/> + <paramref name="overlap"/>, expired ones dropped.</summary>
    public static IReadOnlyList<WebhookSecret> Rotate(IReadOnlyList<WebhookSecret> secrets, string fresh, DateTime now, TimeSpan overlap) =>
        [new WebhookSecret(fresh, null), .. secrets
            .Where(s => s.ExpiresAt is null || s.ExpiresAt > now)
            .Select(s => s with { ExpiresAt = s.ExpiresAt is { } e && e < now + overlap ? e : now + overlap })];
}
