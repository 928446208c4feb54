namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// The decimal-format properties of <c>$formatNumber</c> (XPath F&amp;O 3.1 §4.7.1): defaults, overridden by the
/// options object. Each property is a string, as in jsonata-js, so multi-character values behave as they do there.
/// </summary>
internal sealed class DecimalFormat
{
    private DecimalFormat(IReadOnlyDictionary<string, string>? options)
    {
        string Get(string name, string fallback) =>
            options is not null && options.TryGetValue(name, out var value) && value is not null ? value : fallback;

        DecimalSeparator = Get("decimal-separator", ".");
        GroupingSeparator = Get("grouping-separator", ",");
        ExponentSeparator = Get("exponent-separator", "e");
        Infinity = Get("infinity", "Infinity");
        MinusSign = Get("minus-sign", "-");
        NaN = Get("NaN", "NaN");
        Percent = Get("percent", "%");
        PerMille = Get("per-mille", "\u2030");
        ZeroDigit = Get("zero-digit", "0");
        Digit = Get("digit", "#");
        PatternSeparator = Get("pattern-separator", ";");

        // The digit family is the ten UTF-16 units starting at the first unit of zero-digit.
        DigitFamily = ZeroDigit.Length == 0 ? "" : new string(Enumerable.Range(ZeroDigit[0], 10).Select(c => (char)c).ToArray());
    }

    public string DecimalSeparator { get; }

    public string GroupingSeparator { get; }

    public string ExponentSeparator { get; }

    public string Infinity { get; }

    public string MinusSign { get; }

    public string NaN { get; }

    public string Percent { get; }

    public string PerMille { get; }

    public string ZeroDigit { get; }

    public string Digit { get; }

    public string PatternSeparator { get; }

    /// <summary>The ten digits of the decimal digit family, zero first.</summary>
    public string DigitFamily { get; }

    public static DecimalFormat From(IReadOnlyDictionary<string, string>? options) => new(options);

    public bool IsFamilyDigit(char c) => DigitFamily.Contains(c, StringComparison.Ordinal);

    /// <summary>A family digit or the optional-digit sign.</summary>
    public bool IsDigitSign(char c) => IsFamilyDigit(c) || Is(c, Digit);

    /// <summary>Active characters: digits, decimal / exponent / grouping / pattern separators, optional digit.</summary>
    public bool IsActive(char c) =>
        IsFamilyDigit(c) || Is(c, DecimalSeparator) || Is(c, ExponentSeparator) || Is(c, GroupingSeparator)
        || Is(c, Digit) || Is(c, PatternSeparator);

    /// <summary>JS <c>char === property</c>: only a one-character property can equal a character.</summary>
    public static bool Is(char c, string property) => property.Length == 1 && property[0] == c;
}
