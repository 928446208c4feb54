using System.Buffers;

namespace IntegrationHealth.Web.Http;

/// <summary>
/// The two rules for text a client writes, enforced by every write endpoint on both stores.
/// <para><b>Identifiers</b> (external ids, the account, provider and connection an item refers to, user ids, resource
/// names): 1 to 200 UTF-16 code units (resource names may be empty), not only white space, no control character
/// (Unicode Cc: U+0000–U+001F, U+007F–U+009F, so no NUL, tab, CR, LF or ESC), and neither <c>.</c> nor <c>..</c>.
/// Every other character is allowed, <c>/ ? # %</c>, spaces and non-ASCII included, because every such id is
/// addressable as one percent-encoded path segment (<c>Uri.EscapeDataString</c>; see <see cref="RouteText"/>); the
/// dot segments are the exception, since URL normalisation removes them.</para>
/// <para><b>Free text</b> (names, subjects, comments, error messages, cursors, URLs): no control character but tab, LF
/// and CR, so newlines stay but NUL (which PostgreSQL text cannot hold), ESC, DEL and C1 controls do not.</para>
/// <para>Both hold only Unicode text: a JSON <c>\u</c> escape of an unpaired UTF-16 surrogate is refused before it is
/// decoded (<see cref="HasUnpairedSurrogateEscape"/>), since decoding it throws.</para>
/// Lengths and emptiness are checked by the readers, with the column limits of each field.
/// </summary>
public static class TextRules
{
    private static readonly SearchValues<char> IdentifierForbidden = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F");

    private static readonly SearchValues<char> FreeTextForbidden = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F" +
        "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F");

    /// <summary>Why <paramref name="value"/> breaks the identifier rule (characters only), or null when it keeps it.</summary>
    public static string? IdentifierProblem(string name, string value)
    {
        if (value.AsSpan().ContainsAny(IdentifierForbidden))
            return $"'{name}' must not contain control characters (U+0000–U+001F, U+007F–U+009F: NUL, tab, CR, LF, ESC, …).";
        if (value is "." or "..")
            return $"'{name}' must not be '.' or '..': such an id cannot be addressed in a URL path.";
        return null;
    }

    /// <summary>Why <paramref name="value"/> breaks the free-text rule, or null when it keeps it.</summary>
    public static string? FreeTextProblem(string name, string value) =>
        value.AsSpan().ContainsAny(FreeTextForbidden)
            ? $"'{name}' must not contain control characters other than tab, CR and LF (NUL, ESC, DEL, …)."
            : null;

    /// <summary>The error for a value or property name holding an unpaired surrogate escape.</summary>
    public static string UnpairedSurrogate(string what) =>
        $"{what} holds a \\u escape of an unpaired UTF-16 surrogate (U+D800–U+DFFF without its other half), which is not text.";

    /// <summary>
    /// Whether raw, still escaped JSON string text holds a <c>\uD800</c>–<c>\uDFFF</c> escape that is not a high
    /// surrogate followed by a low one. Only text the reader reports as escaped needs this; the scan is a vectorised
    /// search for backslashes.
    /// </summary>
    public static bool HasUnpairedSurrogateEscape(ReadOnlySpan<byte> escaped)
    {
        var i = escaped.IndexOf((byte)'\\');
        while (i >= 0 && i + 1 < escaped.Length)
        {
            if (escaped[i + 1] != (byte)'u')
            {
                i += 2; // \" \\ \/ \b \f \n \r \t
            }
            else
            {
                if (!TryHex(escaped, i + 2, out var unit)) return false; // not an escape the reader accepted; not ours to judge
                if (unit is >= 0xDC00 and <= 0xDFFF) return true;
                if (unit is >= 0xD800 and <= 0xDBFF)
                {
                    if (i + 11 >= escaped.Length || escaped[i + 6] != (byte)'\\' || escaped[i + 7] != (byte)'u'
                        || !TryHex(escaped, i + 8, out var low) || low is < 0xDC00 or > 0xDFFF)
                        return true;
                    i += 12;
                }
                else
                {
                    i += 6;
                }
            }
            if (i >= escaped.Length) break;
            var next = escaped[i..].IndexOf((byte)'\\');
            i = next < 0 ? -1 : i + next;
        }
        return false;
    }

    private static bool TryHex(ReadOnlySpan<byte> text, int start, out int value)
    {
        value = 0;
        if (start + 4 > text.Length) return false;
        for (var k = start; k < start + 4; k++)
        {
            var digit = text[k] switch
            {
                >= (byte)'0' and <= (byte)'9' => text[k] - '0',
                >= (byte)'a' and <= (byte)'f' => text[k] - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => text[k] - 'A' + 10,
                _ => -1,
            };
            if (digit < 0) return false;
            value = (value << 4) | digit;
        }
        return true;
    }
}
