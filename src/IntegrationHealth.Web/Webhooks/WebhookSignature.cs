using System.Security.Cryptography;
using System.Text;

namespace IntegrationHealth.Web.Webhooks;

/// <summary>
/// Signatures per the Standard Webhooks specification (https://www.standardwebhooks.com): the signed content is
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, the signature <c>v1,</c> + base64 of its HMAC-SHA256 under the
/// secret's bytes, and the <c>webhook-signature</c> header lists one signature per valid secret, space-separated, so
/// a receiver that still holds the previous secret during a rotation keeps verifying. Secrets are <c>whsec_</c> +
/// base64 of 24 random bytes (the spec allows 24–64).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The prefix of every secret we issue.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>How far a timestamp may be from the receiver's clock (the spec's suggested tolerance).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>A new random secret, <c>whsec_</c> + base64 of 24 bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>The key bytes of a secret (with or without the <c>whsec_</c> prefix).</summary>
    /// <exception cref="FormatException">The rest is not base64.</exception>
    public static byte[] KeyOf(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);

    /// <summary>One <c>v1,</c> signature of <paramref name="body"/>.</summary>
    public static string Sign(string messageId, long timestamp, ReadOnlySpan<byte> body, string secret)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), content));
    }

    /// <summary>The <c>webhook-signature</c> header value: one signature per secret, space-separated.</summary>
    public static string Header(string messageId, long timestamp, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        var signatures = new List<string>();
        foreach (var secret in secrets) signatures.Add(Sign(messageId, timestamp, body, secret));
        return string.Join(' ', signatures);
    }

    /// <summary>
    /// A receiver's check: the timestamp within <see cref="Tolerance"/> of <paramref name="now"/> and one of the
    /// header's <c>v1</c> signatures matching under <paramref name="secret"/> (compared in constant time).
    /// </summary>
    public static bool Verify(string messageId, string timestampHeader, string signatureHeader, ReadOnlySpan<byte> body,
        string secret, DateTimeOffset now)
    {
        if (!long.TryParse(timestampHeader, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var timestamp))
            return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > Tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(messageId, timestamp, body, secret));
        foreach (var candidate in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate.StartsWith("v1,", StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected))
                return true;
        }
        return false;
    }
}
