using System.Text;

namespace IntegrationHealth.Jsonata.Functions;

/// <summary>
/// JavaScript's toUpperCase/toLowerCase: .NET's invariant mapping plus the unconditional special casings that
/// change a string's length (ß → SS, ﬁ → FI, İ → i̇ ...) and the Greek final sigma.
/// </summary>
internal static class JsCase
{
    private static readonly Dictionary<char, string> UpperSpecial = new()
    {
        ['\u00DF'] = "SS", ['\u0149'] = "\u02BCN", ['\u01F0'] = "J\u030C", ['\u0390'] = "\u0399\u0308\u0301",
        ['\u03B0'] = "\u03A5\u0308\u0301", ['\u0587'] = "\u0535\u0552", ['\u1E96'] = "H\u0331", ['\u1E97'] = "T\u0308",
        ['\u1E98'] = "W\u030A", ['\u1E99'] = "Y\u030A", ['\u1E9A'] = "A\u02BE", ['\u1F50'] = "\u03A5\u0313",
        ['\uFB00'] = "FF", ['\uFB01'] = "FI", ['\uFB02'] = "FL", ['\uFB03'] = "FFI", ['\uFB04'] = "FFL", ['\uFB05'] = "ST",
        ['\uFB06'] = "ST", ['\uFB13'] = "\u0544\u0546", ['\uFB14'] = "\u0544\u0535", ['\uFB15'] = "\u0544\u053B",
        ['\uFB16'] = "\u054E\u0546", ['\uFB17'] = "\u0544\u053D",
    };

    public static string ToUpper(string s)
    {
        var upper = s.ToUpperInvariant();
        if (!NeedsSpecial(s, UpperSpecial))
        {
            return upper;
        }

        var sb = new StringBuilder(s.Length + 4);
        for (var i = 0; i < s.Length; i++)
        {
            if (UpperSpecial.TryGetValue(s[i], out var special))
            {
                sb.Append(special);
            }
            else
            {
                sb.Append(upper[i]);
            }
        }

        return sb.ToString();
    }

    public static string ToLower(string s)
    {
        var lower = s.ToLowerInvariant();
        if (!s.Contains('\u0130', StringComparison.Ordinal) && !s.Contains('\u03A3', StringComparison.Ordinal))
        {
            return lower;
        }

        var sb = new StringBuilder(s.Length + 2);
        for (var i = 0; i < s.Length; i++)
        {
            switch (s[i])
            {
                case '\u0130':
                    sb.Append("i\u0307");
                    break;
                case '\u03A3':
                    // Final_Sigma: preceded by a letter and not followed by one.
                    var before = i > 0 && char.IsLetter(s[i - 1]);
                    var after = i + 1 < s.Length && char.IsLetter(s[i + 1]);
                    sb.Append(before && !after ? '\u03C2' : '\u03C3');
                    break;
                default:
                    sb.Append(lower[i]);
                    break;
            }
        }

        return sb.ToString();
    }

    private static bool NeedsSpecial(string s, Dictionary<char, string> table)
    {
        foreach (var c in s)
        {
            if (c >= '\u00DF' && table.ContainsKey(c))
            {
                return true;
            }
        }

        return false;
    }
}
