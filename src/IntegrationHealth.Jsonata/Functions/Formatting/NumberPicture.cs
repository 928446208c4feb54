using System.Text;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// <c>$formatNumber(value, picture, options?)</c>: XPath F&amp;O 3.1 <c>fn:format-number</c> with jsonata-js 2.2.2
/// semantics (half-to-even rounding, sub-pictures for negatives, exponent, percent / per-mille, digit families).
/// </summary>
internal static class NumberPicture
{
    /// <summary>Formats <paramref name="value"/> with <paramref name="picture"/>.</summary>
    /// <param name="value">The number; NaN and infinities are formatted as jsonata-js does (see <see cref="Format"/>'s body).</param>
    /// <param name="picture">e.g. <c>#,##0.00</c>, <c>0.00e0</c>, <c>#0%</c>, <c>#,##0.00;(#,##0.00)</c>.</param>
    /// <param name="options">Decimal-format overrides keyed by property name (<c>decimal-separator</c>, <c>zero-digit</c>, ...).</param>
    /// <exception cref="JsonataException">D3080–D3093 for an invalid picture.</exception>
    public static string Format(double value, string picture, IReadOnlyDictionary<string, string>? options)
    {
        ArgumentNullException.ThrowIfNull(picture);
        var format = DecimalFormat.From(options);
        var subPictures = JsText.Split(picture, format.PatternSeparator);
        if (subPictures.Length > 2)
        {
            throw FormattingErrors.Create("D3080");
        }

        var analysed = subPictures.Select(sub => NumberSubPicture.Analyse(sub, format)).ToArray();
        var positive = analysed[0];
        var negative = analysed.Length > 1 ? analysed[1] : positive with { Prefix = format.MinusSign + positive.Prefix };

        // NaN is not >= 0, so it takes the negative sub-picture, as in jsonata-js.
        var pic = value >= 0 ? positive : negative;
        var adjusted = value;
        if (JsText.IndexOf(pic.Picture, format.Percent) != -1)
        {
            adjusted = value * 100;
        }
        else if (JsText.IndexOf(pic.Picture, format.PerMille) != -1)
        {
            adjusted = value * 1000;
        }

        // F&O bullets 1 and 4 (NaN, infinity) are not implemented by jsonata-js: a NaN or an infinity (e.g. a value near
        // the double limit times 100 for a percent) goes through the rounding below, whose decimal shift turns an
        // infinity into NaN, so '0.0%' gives "NaN.0%" and '#' of NaN gives "-NaN". Only the exponent loop would never
        // end in jsonata-js for an infinity; there the F&O answer stands in.
        if (double.IsInfinity(adjusted) && pic.MinimumExponentSize > 0)
        {
            return pic.Prefix + format.Infinity + pic.Suffix;
        }

        var mantissa = adjusted;
        int? exponent = null;
        if (pic.MinimumExponentSize > 0)
        {
            var maxMantissa = JsMath.Pow(10, pic.ScalingFactor);
            var minMantissa = JsMath.Pow(10, pic.ScalingFactor - 1);
            var e = 0;
            if (mantissa != 0)
            {
                while (Math.Abs(mantissa) < minMantissa)
                {
                    mantissa *= 10;
                    e--;
                }

                while (Math.Abs(mantissa) > maxMantissa)
                {
                    mantissa /= 10;
                    e++;
                }
            }

            exponent = e;
        }

        var rounded = EcmaScriptNumber.RoundHalfEven(mantissa, pic.MaximumFractionalPartSize);
        var text = DigitsOf(rounded, pic.MaximumFractionalPartSize, format);
        var decimalSeparator = format.DecimalSeparator;
        var point = text.IndexOf('.', StringComparison.Ordinal);
        text = point == -1 ? text + decimalSeparator : string.Concat(text.AsSpan(0, point), decimalSeparator, text.AsSpan(point + 1));

        var zero = format.ZeroDigit;
        var start = 0;
        while (start < text.Length && JsText.CharAt(text, start) == zero)
        {
            start++;
        }

        var end = text.Length;
        while (end > start && JsText.CharAt(text, end - 1) == zero)
        {
            end--;
        }

        text = text[start..end];

        // Bullets 8 and 9: pad to the minimum integer and fractional sizes.
        var decimalPos = JsText.IndexOf(text, decimalSeparator);
        var padLeft = pic.MinimumIntegerPartSize - decimalPos;
        var padRight = pic.MinimumFractionalPartSize - (text.Length - decimalPos - 1);
        text = JsText.Repeat(zero, padLeft) + text + JsText.Repeat(zero, padRight);

        // Bullet 10: integer grouping.
        var grouping = format.GroupingSeparator;
        decimalPos = JsText.IndexOf(text, decimalSeparator);
        if (pic.RegularGrouping > 0)
        {
            var groupCount = (int)Math.Floor((decimalPos - 1) / (double)pic.RegularGrouping);
            for (var group = 1; group <= groupCount; group++)
            {
                var at = decimalPos - (group * pic.RegularGrouping);
                text = JsText.Slice(text, 0, at) + grouping + JsText.Slice(text, at);
            }
        }
        else
        {
            foreach (var position in pic.IntegerGroupingPositions)
            {
                var at = decimalPos - position;
                text = JsText.Slice(text, 0, at) + grouping + JsText.Slice(text, at);
                decimalPos++;
            }
        }

        // Bullet 11: fractional grouping.
        decimalPos = JsText.IndexOf(text, decimalSeparator);
        foreach (var position in pic.FractionalGroupingPositions)
        {
            var at = position + decimalPos + 1;
            text = JsText.Slice(text, 0, at) + grouping + JsText.Slice(text, at);
        }

        // Bullet 12: drop a trailing decimal separator (or the one appended when the picture has none).
        decimalPos = JsText.IndexOf(text, decimalSeparator);
        if (JsText.IndexOf(pic.Picture, decimalSeparator) == -1 || decimalPos == text.Length - 1)
        {
            text = JsText.Substring(text, 0, text.Length - 1);
        }

        // Bullet 13: exponent.
        if (exponent is { } exp)
        {
            var exponentText = DigitsOf(exp, 0, format);
            exponentText = JsText.Repeat(zero, pic.MinimumExponentSize - exponentText.Length) + exponentText;
            text = text + format.ExponentSeparator + (exp < 0 ? format.MinusSign : "") + exponentText;
        }

        return pic.Prefix + text + pic.Suffix;
    }

    // |value|.toFixed(dp) with ASCII digits mapped into the picture's digit family.
    private static string DigitsOf(double value, int fractionDigits, DecimalFormat format)
    {
        var text = EcmaScriptNumber.ToFixed(Math.Abs(value), fractionDigits);
        if (format.ZeroDigit == "0")
        {
            return text;
        }

        var mapped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is >= '0' and <= '9')
            {
                mapped.Append(format.DigitFamily.Length == 10 ? format.DigitFamily[c - '0'].ToString() : "undefined");
            }
            else
            {
                mapped.Append(c);
            }
        }

        return mapped.ToString();
    }
}
