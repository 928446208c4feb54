namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>How an integer is presented: the primary format token of an XPath integer picture.</summary>
internal enum IntegerPresentation
{
    Decimal,
    Letters,
    Roman,
    Words,

    /// <summary>Any other numbering sequence (e.g. <c>α</c>); jsonata-js supports none of them (D3130).</summary>
    Sequence,
}

/// <summary>Letter case requested by a picture (<c>W</c> / <c>w</c> / <c>Ww</c>, <c>A</c> / <c>a</c>, ...).</summary>
internal enum PictureCase
{
    Lower,
    Upper,
    Title,
}

/// <summary>A grouping-separator sign and its position counted in digits from the right.</summary>
internal readonly record struct GroupingSeparator(int Position, string Text);

/// <summary>
/// An analysed <c>$formatInteger</c> picture (XPath F&amp;O 3.1 §4.6.1 as jsonata-js interprets it). Date/time
/// markers reuse it and adjust <see cref="MandatoryDigits"/> and <see cref="ParseWidth"/> while being analysed;
/// after analysis it is never changed, so analysed pictures can be cached and shared across threads.
/// </summary>
internal sealed class IntegerPictureFormat
{
    // Zero code points of the Unicode decimal digit families jsonata-js recognises (all in the BMP).
    private static readonly int[] DecimalGroups =
    [
        0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
        0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
        0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    ];

    public IntegerPresentation Presentation { get; private init; } = IntegerPresentation.Decimal;

    public PictureCase Case { get; private init; } = PictureCase.Lower;

    public bool Ordinal { get; private init; }

    /// <summary>Code point of the zero digit of the decimal digit family in use (0x30 for ASCII).</summary>
    public int ZeroCode { get; private init; } = 0x30;

    /// <summary>
    /// Minimum number of digits; null where jsonata-js leaves it undefined (non-decimal pictures). A double because
    /// date/time width modifiers may set it to NaN (an unparsable width), which then disables padding as in JS.
    /// </summary>
    public double? MandatoryDigits { get; internal set; }

    public int? OptionalDigits { get; private init; }

    /// <summary>True when the grouping separators repeat at a fixed interval (<see cref="RegularSeparator"/>).</summary>
    public bool Regular { get; private init; }

    public GroupingSeparator RegularSeparator { get; private init; }

    /// <summary>Irregular grouping separators, in order of increasing position.</summary>
    public IReadOnlyList<GroupingSeparator> Separators { get; private init; } = [];

    /// <summary>The unsupported numbering-sequence token, for the D3130 message.</summary>
    public string Token { get; private init; } = "";

    /// <summary>Exact digit count used when parsing a marker directly followed by another integer marker.</summary>
    public double? ParseWidth { get; internal set; }

    /// <summary>Analyses an integer picture such as <c>#,##0</c>, <c>0;o</c>, <c>Ww</c>, <c>I</c>, <c>a</c>.</summary>
    /// <exception cref="JsonataException">D3131 when digits from different decimal families are mixed.</exception>
    public static IntegerPictureFormat Analyse(string picture)
    {
        var ordinal = false;
        var primary = picture;
        var semicolon = picture.LastIndexOf(';');
        if (semicolon >= 0)
        {
            primary = picture[..semicolon];
            var modifier = picture[(semicolon + 1)..];
            ordinal = modifier.Length > 0 && modifier[0] == 'o';
        }

        return primary switch
        {
            "A" => new() { Presentation = IntegerPresentation.Letters, Case = PictureCase.Upper, Ordinal = ordinal },
            "a" => new() { Presentation = IntegerPresentation.Letters, Ordinal = ordinal },
            "I" => new() { Presentation = IntegerPresentation.Roman, Case = PictureCase.Upper, Ordinal = ordinal },
            "i" => new() { Presentation = IntegerPresentation.Roman, Ordinal = ordinal },
            "W" => new() { Presentation = IntegerPresentation.Words, Case = PictureCase.Upper, Ordinal = ordinal },
            "Ww" => new() { Presentation = IntegerPresentation.Words, Case = PictureCase.Title, Ordinal = ordinal },
            "w" => new() { Presentation = IntegerPresentation.Words, Ordinal = ordinal },
            _ => AnalyseDigitPattern(primary, ordinal),
        };
    }

    private static IntegerPictureFormat AnalyseDigitPattern(string pattern, bool ordinal)
    {
        int? zeroCode = null;
        var mandatory = 0;
        var optional = 0;
        var position = 0;
        var separators = new List<GroupingSeparator>();

        // Walk right to left: a separator's position is the number of digit signs to its right.
        var runes = pattern.EnumerateRunes().ToArray();
        for (var i = runes.Length - 1; i >= 0; i--)
        {
            var codePoint = runes[i].Value;
            var group = DigitFamilyOf(codePoint);
            if (group is { } family)
            {
                mandatory++;
                position++;
                if (zeroCode is null)
                {
                    zeroCode = family;
                }
                else if (zeroCode != family)
                {
                    throw FormattingErrors.Create("D3131");
                }
            }
            else if (codePoint == '#')
            {
                position++;
                optional++;
            }
            else
            {
                separators.Add(new GroupingSeparator(position, runes[i].ToString()));
            }
        }

        if (mandatory == 0)
        {
            return new() { Presentation = IntegerPresentation.Sequence, Token = pattern, Ordinal = ordinal };
        }

        var interval = RegularInterval(separators);
        return new()
        {
            Presentation = IntegerPresentation.Decimal,
            Ordinal = ordinal,
            ZeroCode = zeroCode ?? 0x30,
            MandatoryDigits = mandatory,
            OptionalDigits = optional,
            Regular = interval > 0,
            RegularSeparator = interval > 0 ? new GroupingSeparator(interval, separators[0].Text) : default,
            Separators = interval > 0 ? [] : separators,
        };
    }

    /// <summary>The decimal digit family (its zero code point) that <paramref name="codePoint"/> belongs to, if any.</summary>
    public static int? DigitFamilyOf(int codePoint)
    {
        foreach (var group in DecimalGroups)
        {
            if (codePoint >= group && codePoint <= group + 9)
            {
                return group;
            }
        }

        return null;
    }

    /// <summary>
    /// The repeat interval when all separators are the same character at multiples of one interval; otherwise 0.
    /// Shared with <c>$formatNumber</c>, which applies the same rule to positions only.
    /// </summary>
    private static int RegularInterval(List<GroupingSeparator> separators)
    {
        if (separators.Count == 0)
        {
            return 0;
        }

        var first = separators[0].Text;
        if (separators.Any(s => s.Text != first))
        {
            return 0;
        }

        return RegularInterval(separators.Select(s => s.Position).ToList());
    }

    /// <summary>The greatest common divisor of the positions when every multiple up to the count is present; else 0.</summary>
    public static int RegularInterval(IReadOnlyList<int> positions)
    {
        if (positions.Count == 0)
        {
            return 0;
        }

        var factor = positions[0];
        for (var i = 1; i < positions.Count; i++)
        {
            factor = Gcd(factor, positions[i]);
        }

        for (var index = 1; index <= positions.Count; index++)
        {
            if (!positions.Contains(index * factor))
            {
                return 0;
            }
        }

        return factor;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
