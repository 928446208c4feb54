namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// ECMAScript string operations with their exact clamping rules (<c>substring</c> swaps reversed bounds,
/// <c>substr</c> counts a negative start from the end), which jsonata-js's picture code relies on at the edges.
/// </summary>
internal static class JsText
{
    /// <summary>Longest text a picture may ask for (padding, repeated digits); beyond it the request is refused.</summary>
    public const int MaxGeneratedLength = 1_000_000;

    /// <summary><c>s.substring(start, end)</c>.</summary>
    public static string Substring(string s, double start, double? end = null)
    {
        var from = Clamp(start, s.Length);
        var to = end is { } e ? Clamp(e, s.Length) : s.Length;
        if (from > to)
        {
            (from, to) = (to, from);
        }

        return s[from..to];
    }

    /// <summary><c>s.substr(start, length)</c>.</summary>
    public static string Substr(string s, double start, double? length = null)
    {
        var from = double.IsNaN(start) ? 0 : start < 0 ? Math.Max(s.Length + (int)Math.Max(start, -s.Length), 0) : (int)Math.Min(start, s.Length);
        var count = length is { } l ? (int)Math.Clamp(double.IsNaN(l) ? 0 : l, 0, s.Length - from) : s.Length - from;
        return count <= 0 ? "" : s.Substring(from, count);
    }

    /// <summary><c>s.slice(start, end)</c>: negative indexes count from the end.</summary>
    public static string Slice(string s, int start, int? end = null)
    {
        var from = start < 0 ? Math.Max(s.Length + start, 0) : Math.Min(start, s.Length);
        var to = end is { } e ? (e < 0 ? Math.Max(s.Length + e, 0) : Math.Min(e, s.Length)) : s.Length;
        return from >= to ? "" : s[from..to];
    }

    /// <summary><c>s.split(separator)</c> with a string separator ("" splits into UTF-16 units).</summary>
    public static string[] Split(string s, string separator)
    {
        if (separator.Length == 0)
        {
            return s.Select(c => c.ToString()).ToArray();
        }

        return s.Split(separator, StringSplitOptions.None);
    }

    /// <summary><c>s.charAt(index)</c>: the one-character string at <paramref name="index"/>, or "" when out of range.</summary>
    public static string CharAt(string s, int index) => index >= 0 && index < s.Length ? s[index].ToString() : "";

    /// <summary><c>s.indexOf(search, from)</c> (ordinal).</summary>
    public static int IndexOf(string s, string search, int from = 0)
    {
        from = Math.Clamp(from, 0, s.Length);
        return search.Length == 0 ? from : s.IndexOf(search, from, StringComparison.Ordinal);
    }

    /// <summary><c>s.lastIndexOf(search)</c> (ordinal).</summary>
    public static int LastIndexOf(string s, string search) =>
        search.Length == 0 ? s.Length : s.LastIndexOf(search, StringComparison.Ordinal);

    /// <summary><paramref name="unit"/> repeated <paramref name="count"/> times (count as JS computed it, possibly fractional).</summary>
    /// <exception cref="JsonataException">U1002 when the result would exceed <see cref="MaxGeneratedLength"/>.</exception>
    public static string Repeat(string unit, double count)
    {
        if (!(count > 0))
        {
            return "";
        }

        if (count * Math.Max(unit.Length, 1) > MaxGeneratedLength)
        {
            throw new JsonataException("U1002", "The picture string asks for more than " + MaxGeneratedLength + " characters of padding", value: count);
        }

        return string.Concat(Enumerable.Repeat(unit, (int)Math.Ceiling(count)));
    }

    private static int Clamp(double index, int length) =>
        double.IsNaN(index) ? 0 : (int)Math.Clamp(index, 0, length);
}
