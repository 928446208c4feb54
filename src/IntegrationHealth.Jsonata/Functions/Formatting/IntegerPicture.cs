using System.Globalization;
using System.Text;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// <c>$formatInteger</c> and <c>$parseInteger</c>: XPath F&amp;O 3.1 integer pictures with jsonata-js 2.2.2
/// semantics, including its quirks (an irregular grouping wider than the number drops digits; parsing a regular
/// grouping strips only commas), because expressions are expected to give the same answers here as in jsonata-js.
/// </summary>
internal static class IntegerPicture
{
    // jsonata-js builds roman numerals recursively and overflows its stack long before this; a bound keeps the
    // output size sane and turns the failure into a clear error.
    private const double MaxRomanValue = 100_000_000;

    private static readonly (int Value, string Numeral)[] RomanNumerals =
    [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ];

    /// <summary><c>$formatInteger(value, picture)</c>: <paramref name="value"/> is floored first.</summary>
    /// <exception cref="JsonataException">D3130 (unsupported numbering sequence), D3131 (mixed digit families), D3001 (not finite).</exception>
    public static string Format(double value, string picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        var format = IntegerPictureFormat.Analyse(picture);
        return Format(Math.Floor(value), format);
    }

    /// <summary><c>$parseInteger(value, picture)</c>; null (undefined) where jsonata-js yields NaN, since JSON has no NaN.</summary>
    /// <exception cref="JsonataException">D3130 for an unsupported numbering sequence, D3131 for mixed digit families.</exception>
    public static double? Parse(string value, string picture)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(picture);
        var result = Parse(value, IntegerPictureFormat.Analyse(picture));
        return double.IsNaN(result) ? null : result;
    }

    /// <summary>Lower-case English words for <paramref name="value"/> (e.g. 21 → "twenty-one").</summary>
    public static string ToWords(long value, bool ordinal = false)
    {
        var words = EnglishNumberWords.ToWords(Math.Abs((double)value), ordinal).ToLowerInvariant();
        return value < 0 ? "-" + words : words;
    }

    /// <summary>Upper-case roman numerals for <paramref name="value"/> (0 → empty, negative → leading '-').</summary>
    public static string ToRoman(long value)
    {
        var numerals = Roman(Math.Abs((double)value)).ToUpperInvariant();
        return value < 0 ? "-" + numerals : numerals;
    }

    /// <summary>Formats an already floored value with an analysed picture (shared with date/time markers).</summary>
    internal static string Format(double value, IntegerPictureFormat format)
    {
        // Decimal output of NaN/Infinity is text as in JS ("NaN"); words and letters would never terminate.
        if ((format.Presentation == IntegerPresentation.Words && !double.IsFinite(value))
            || (format.Presentation == IntegerPresentation.Letters && double.IsInfinity(value)))
        {
            throw new JsonataException("D3001", "Attempting to invoke string function on Infinity or NaN", value: value);
        }

        var negative = value < 0;
        value = Math.Abs(value);
        var text = format.Presentation switch
        {
            IntegerPresentation.Letters => Letters(value, format.Case == PictureCase.Upper ? 'A' : 'a'),
            IntegerPresentation.Roman => format.Case == PictureCase.Upper ? Roman(value).ToUpperInvariant() : Roman(value),
            IntegerPresentation.Words => format.Case switch
            {
                PictureCase.Upper => EnglishNumberWords.ToWords(value, format.Ordinal).ToUpperInvariant(),
                PictureCase.Lower => EnglishNumberWords.ToWords(value, format.Ordinal).ToLowerInvariant(),
                _ => EnglishNumberWords.ToWords(value, format.Ordinal),
            },
            IntegerPresentation.Decimal => Decimal(value, format),
            _ => throw FormattingErrors.Create("D3130", format.Token),
        };
        return negative ? "-" + text : text;
    }

    /// <summary>Parses with an analysed picture; NaN when the text does not fit (as jsonata-js).</summary>
    internal static double Parse(string value, IntegerPictureFormat format)
    {
        switch (format.Presentation)
        {
            case IntegerPresentation.Letters:
                return FromLetters(value, format.Case == PictureCase.Upper ? 'A' : 'a');
            case IntegerPresentation.Roman:
                return FromRoman(format.Case == PictureCase.Upper ? value : value.ToUpperInvariant());
            case IntegerPresentation.Words:
                return EnglishNumberWords.FromWords(value.ToLowerInvariant());
            case IntegerPresentation.Decimal:
                var digits = format.Ordinal ? JsText.Substring(value, 0, value.Length - 2) : value;
                if (format.Regular)
                {
                    // jsonata-js strips commas here whatever the separator is (so '1.234' parses as 1).
                    digits = digits.Replace(",", "", StringComparison.Ordinal);
                }
                else
                {
                    foreach (var separator in format.Separators)
                    {
                        digits = separator.Text.Length == 0 ? digits : digits.Replace(separator.Text, "", StringComparison.Ordinal);
                    }
                }

                if (format.ZeroCode != 0x30)
                {
                    var shifted = new StringBuilder(digits.Length);
                    foreach (var c in digits)
                    {
                        shifted.Append((char)(c - format.ZeroCode + 0x30));
                    }

                    digits = shifted.ToString();
                }

                return EcmaScriptNumber.ParseInt(digits);
            default:
                throw FormattingErrors.Create("D3130", format.Token);
        }
    }

    private static string Decimal(double value, IntegerPictureFormat format)
    {
        var text = EcmaScriptNumber.ToText(value);
        var padLength = (format.MandatoryDigits ?? double.NaN) - text.Length;
        if (padLength > 0)
        {
            text = JsText.Repeat("0", padLength) + text;
        }

        if (format.ZeroCode != 0x30)
        {
            var shifted = new StringBuilder(text.Length);
            foreach (var rune in text.EnumerateRunes())
            {
                shifted.Append(char.ConvertFromUtf32(rune.Value + format.ZeroCode - 0x30));
            }

            text = shifted.ToString();
        }

        if (format.Regular)
        {
            var separator = format.RegularSeparator;
            var groups = (text.Length - 1) / separator.Position;
            for (var i = groups; i > 0; i--)
            {
                var at = text.Length - (i * separator.Position);
                text = JsText.Substr(text, 0, at) + separator.Text + JsText.Substr(text, at);
            }
        }
        else
        {
            // Leftmost separator first; positions count from the right, so earlier inserts do not shift later ones.
            for (var i = format.Separators.Count - 1; i >= 0; i--)
            {
                var separator = format.Separators[i];
                var at = text.Length - separator.Position;
                text = JsText.Substr(text, 0, at) + separator.Text + JsText.Substr(text, at);
            }
        }

        if (format.Ordinal)
        {
            var last = text[^1];
            var suffix = last switch
            {
                '1' => "st",
                '2' => "nd",
                '3' => "rd",
                _ => "th",
            };
            if (text.Length > 1 && text[^2] == '1')
            {
                suffix = "th";
            }

            text += suffix;
        }

        return text;
    }

    private static string Roman(double value)
    {
        if (value >= MaxRomanValue)
        {
            throw new JsonataException("D3130", "Roman numerals are supported for values below " + MaxRomanValue.ToString("N0", CultureInfo.InvariantCulture), value: value);
        }

        var numerals = new StringBuilder();
        foreach (var (numeralValue, numeral) in RomanNumerals)
        {
            while (value >= numeralValue)
            {
                numerals.Append(numeral);
                value -= numeralValue;
            }
        }

        return numerals.ToString();
    }

    private static double FromRoman(string roman)
    {
        var result = 0.0;
        var max = 1.0;
        for (var i = roman.Length - 1; i >= 0; i--)
        {
            double digit = roman[i] switch
            {
                'M' => 1000,
                'D' => 500,
                'C' => 100,
                'L' => 50,
                'X' => 10,
                'V' => 5,
                'I' => 1,
                _ => double.NaN,
            };
            if (digit < max)
            {
                result -= digit;
            }
            else
            {
                max = digit;
                result += digit;
            }
        }

        return result;
    }

    private static string Letters(double value, char a)
    {
        var letters = new StringBuilder();
        while (value > 0)
        {
            letters.Insert(0, (char)(((value - 1) % 26) + a));
            value = Math.Floor((value - 1) / 26);
        }

        return letters.ToString();
    }

    private static double FromLetters(string letters, char a)
    {
        var result = 0.0;
        for (var i = 0; i < letters.Length; i++)
        {
            result += (letters[letters.Length - i - 1] - a + 1) * JsMath.Pow(26, i);
        }

        return result;
    }
}
