using System.Text;
using System.Text.RegularExpressions;
using IntegrationHealth.Jsonata.Evaluation;
using IntegrationHealth.Jsonata.Values;
using static IntegrationHealth.Jsonata.Functions.BuiltinLibrary;

namespace IntegrationHealth.Jsonata.Functions;

/// <summary>String functions. Lengths and offsets count Unicode code points, as JavaScript's string iterator does.</summary>
internal static partial class StringFunctions
{
    /// <summary>jsonata's <c>fn.string</c>: the text form of any value (serializing counts as work for the deadline).</summary>
    public static string Stringify(object value, EvaluationContext context, bool pretty = false)
    {
        switch (value)
        {
            case string s:
                return s;
            case FunctionValue:
                return "";
            case double d when !double.IsFinite(d):
                throw new JsonataException("D3001", "Attempting to invoke string function on Infinity or NaN", value: d);
            case ArrayValue { OuterWrapper: true, Count: > 0 } wrapped:
                return JsonText.Stringify(wrapped[0]!, pretty, context);
            default:
                return JsonText.Stringify(value, pretty, context);
        }
    }

    public static object? String(in CallSite site, object?[] args)
    {
        var arg = Arg(args, 0);
        if (arg is null)
        {
            return null;
        }

        return Stringify(arg, site.Context, Arg(args, 1) is true);
    }

    /// <summary>Splits a string into code points (a lone surrogate counts as one).</summary>
    internal static List<string> CodePoints(string s)
    {
        var list = new List<string>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                list.Add(s.Substring(i, 2));
                i++;
            }
            else
            {
                list.Add(s[i].ToString());
            }
        }

        return list;
    }

    internal static int CodePointLength(string s)
    {
        var count = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }

            count++;
        }

        return count;
    }

    private static bool HasSurrogates(string s)
    {
        foreach (var c in s)
        {
            if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>JavaScript's Array.prototype.slice index normalisation.</summary>
    private static (int Start, int End) SliceBounds(int length, double start, double? end)
    {
        static int Normalize(double v, int length)
        {
            if (double.IsNaN(v))
            {
                return 0;
            }

            v = Math.Truncate(v);
            if (v < 0)
            {
                return (int)Math.Max(length + v, 0);
            }

            return (int)Math.Min(v, length);
        }

        var s = Normalize(start, length);
        var e = end is null ? length : Normalize(end.Value, length);
        return (s, Math.Max(s, e));
    }

    internal static string Substring(string str, double start, double? length)
    {
        var simple = !HasSurrogates(str);
        var strLength = simple ? str.Length : CodePointLength(str);
        if (strLength + start < 0)
        {
            start = 0;
        }

        double? end = null;
        if (length is not null)
        {
            if (length <= 0)
            {
                return "";
            }

            end = start >= 0 ? start + length : strLength + start + length;
        }

        var (s, e) = SliceBounds(strLength, start, end);
        if (simple)
        {
            return str.Substring(s, e - s);
        }

        var points = CodePoints(str);
        var sb = new StringBuilder();
        for (var i = s; i < e; i++)
        {
            sb.Append(points[i]);
        }

        return sb.ToString();
    }

    public static object? Substring(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        // A missing start is JavaScript undefined: NaN in the arithmetic, 0 for slice. So $substring('abc', missing) is
        // "abc" and, with any length, "" (the end becomes NaN too).
        return Substring(str, NumberOrNaN(args, 1), Arg(args, 2) as double?);
    }

    public static object? SubstringBefore(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var chars = Arg(args, 1) as string ?? "undefined";
        var pos = str.IndexOf(chars, StringComparison.Ordinal);
        return pos > -1 ? str[..pos] : str;
    }

    public static object? SubstringAfter(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var chars = Arg(args, 1) as string ?? "undefined";
        var pos = str.IndexOf(chars, StringComparison.Ordinal);
        return pos > -1 ? str[(pos + chars.Length)..] : str;
    }

    public static object? Lowercase(in CallSite site, object?[] args) =>
        Arg(args, 0) is string s ? JsCase.ToLower(s) : null;

    public static object? Uppercase(in CallSite site, object?[] args) =>
        Arg(args, 0) is string s ? JsCase.ToUpper(s) : null;

    public static object? Length(in CallSite site, object?[] args) =>
        Arg(args, 0) is string s ? (double)CodePointLength(s) : null;

    public static object? Trim(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var result = Whitespace().Replace(str, " ");
        if (result.Length > 0 && result[0] == ' ')
        {
            result = result[1..];
        }

        if (result.Length > 0 && result[^1] == ' ')
        {
            result = result[..^1];
        }

        return result;
    }

    public static object? Pad(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var padChar = Arg(args, 2) as string;
        if (string.IsNullOrEmpty(padChar))
        {
            padChar = " ";
        }

        var width = Math.Truncate(Arg(args, 1) is double w ? w : double.NaN);
        var padLength = Math.Abs(width) - CodePointLength(str);
        if (!(padLength > 0))
        {
            return str;
        }

        // JavaScript fails with a RangeError on absurd widths; the sandbox turns that into its size limit.
        var padChars = (long)Math.Min(padLength * padChar.Length, long.MaxValue / 4);
        site.Context.CheckSize(padChars);
        site.Context.CheckMemory(padChars * 2 * sizeof(char));
        site.Context.Work(padChars / 64);
        var sb = new StringBuilder();
        for (var i = 0; i < padLength; i++)
        {
            sb.Append(padChar);
        }

        var padding = sb.ToString();
        if (padChar.Length > 1)
        {
            padding = Substring(padding, 0, padLength);
        }

        return width > 0 ? str + padding : padding + str;
    }

    public static object? Join(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue strs)
        {
            return null;
        }

        var separator = Arg(args, 1) as string ?? "";

        // The same long string may be joined many times over: the length is known, so it is checked before building.
        var length = (long)separator.Length * Math.Max(0, strs.Count - 1);
        foreach (var item in strs)
        {
            length += ((string?)item)?.Length ?? 0;
        }

        site.Context.CheckMemory(length * sizeof(char));
        site.Context.Work(strs.Count + (length / 64));
        var sb = new StringBuilder((int)Math.Min(length, int.MaxValue));
        for (var i = 0; i < strs.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
            }

            sb.Append((string?)strs[i]);
        }

        return sb.ToString();
    }

    [GeneratedRegex("[ \t\n\r]+")]
    private static partial Regex Whitespace();
}
