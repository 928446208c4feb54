using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace IntegrationHealth.StatusPage.Subscriptions;

/// <summary>
/// The subscribers' link tokens: 256 random bits, base64url (unguessable); the store keeps their SHA-256 for lookups
/// and, where a later mail must carry one again, the token protected with Data Protection (the store's shared key
/// ring, so any job process can send), never the token in clear.
/// </summary>
public sealed class SubscriberTokens(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("IntegrationHealth.StatusPage.SubscriberTokens.v1");

    /// <summary>A fresh token.</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The lookup key of a token: lowercase hex SHA-256.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="token"/> is shaped like one of ours (checked before any lookup).</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public string Protect(string token) => _protector.Protect(token);

    public string Unprotect(string protectedToken) => _protector.Unprotect(protectedToken);
}
