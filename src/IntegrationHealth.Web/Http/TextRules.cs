namespace IntegrationHealth.Web.Http;

/// <summary>
/// Rules for text a client writes. Only Unicode text is accepted: a JSON <c>\u</c> escape of an unpaired UTF-16
/// surrogate is refused before it is decoded (<see cref="HasUnpairedSurrogateEscape"/>), since decoding it throws.
/// </summary>
public static class TextRules
{
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
