using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHealth.Web.Authentication;

/// <summary>
/// The shape of an API key: <c>ih_</c> followed by 32 random bytes in base64url (43 characters). The first
/// <see cref="LookupLength"/> characters after <c>ih_</c> are stored in clear as a lookup prefix; the whole key is
/// stored only as its SHA-256. A fast hash is right here: the key carries 256 bits of entropy, nothing to brute-force.
/// </summary>
public static class ApiKeySecrets
{
    public const string Marker = "ih_";
    public const int SecretBytes = 32;
    public const int LookupLength = 12;
    /// <summary>Length of a key as issued: marker plus base64url of <see cref="SecretBytes"/>.</summary>
    public static readonly int KeyLength = Marker.Length + Base64Url.GetEncodedLength(SecretBytes);

    /// <summary>A new random key.</summary>
    public static string Generate() => Marker + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>Whether the text has the shape of one of our keys (cheap check before any hashing or lookup).</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        if (key.Length != KeyLength || !key.StartsWith(Marker, StringComparison.Ordinal)) return false;
        foreach (var c in key[Marker.Length..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        }
        return true;
    }

    /// <summary>The clear lookup prefix of a well-formed key.</summary>
    public static string LookupPrefix(string key) => key.Substring(Marker.Length, LookupLength);

    /// <summary>SHA-256 of the key's UTF-8 text.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
