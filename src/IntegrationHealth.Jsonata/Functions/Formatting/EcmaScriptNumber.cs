using System.Globalization;
using System.Numerics;
using System.Text;

namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// The few ECMAScript number conversions the picture functions depend on (<c>Number.prototype.toString</c>,
/// <c>toFixed</c>, <c>parseInt</c>), reproduced exactly because jsonata-js builds its output from their text.
/// </summary>
internal static class EcmaScriptNumber
{
    /// <summary>ECMAScript <c>Number::toString(x)</c> (radix 10): shortest round-trip digits, exponent beyond 1e21 / below 1e-6.</summary>
    public static string ToText(double value) => Values.JsNumber.ToString(value);

    /// <summary>
    /// ECMAScript <c>Number.prototype.toFixed(digits)</c>: exact decimal expansion of the binary value, ties to the
    /// larger magnitude; values of 1e21 and above fall back to <see cref="ToText"/>.
    /// </summary>
    public static string ToFixed(double value, int fractionDigits)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (Math.Abs(value) >= 1e21 || double.IsInfinity(value))
        {
            return ToText(value);
        }

        var negative = value < 0;
        var (mantissa, binaryExponent) = Decompose(Math.Abs(value));

        // n = round(|x| * 10^f) computed exactly as a rational number: mantissa * 2^e * 10^f.
        var numerator = mantissa * BigInteger.Pow(10, fractionDigits);
        BigInteger scaled;
        if (binaryExponent >= 0)
        {
            scaled = numerator << binaryExponent;
        }
        else
        {
            var denominator = BigInteger.One << -binaryExponent;
            scaled = BigInteger.DivRem(numerator, denominator, out var remainder);
            if (remainder * 2 >= denominator)
            {
                scaled += 1;
            }
        }

        var digits = scaled.ToString(CultureInfo.InvariantCulture);
        if (fractionDigits > 0)
        {
            if (digits.Length <= fractionDigits)
            {
                digits = new string('0', fractionDigits - digits.Length + 1) + digits;
            }

            digits = string.Concat(digits.AsSpan(0, digits.Length - fractionDigits), ".", digits.AsSpan(digits.Length - fractionDigits));
        }

        // toFixed keeps the sign of a negative value that rounds to zero ("-0.00").
        return negative ? "-" + digits : digits;
    }

    /// <summary>
    /// ECMAScript global <c>parseInt(text)</c> without radix: optional whitespace and sign, <c>0x</c> hex prefix,
    /// longest digit prefix; NaN when there is none.
    /// </summary>
    public static double ParseInt(string? text)
    {
        if (text is null)
        {
            return double.NaN;
        }

        var span = text.AsSpan().TrimStart();
        var sign = 1.0;
        if (span.Length > 0 && (span[0] == '+' || span[0] == '-'))
        {
            sign = span[0] == '-' ? -1 : 1;
            span = span[1..];
        }

        var radix = 10;
        if (span.Length >= 2 && span[0] == '0' && (span[1] == 'x' || span[1] == 'X'))
        {
            radix = 16;
            span = span[2..];
        }

        var length = 0;
        while (length < span.Length && DigitValue(span[length]) is { } d && d < radix)
        {
            length++;
        }

        if (length == 0)
        {
            return double.NaN;
        }

        double result;
        if (radix == 10)
        {
            result = double.Parse(span[..length], NumberStyles.None, CultureInfo.InvariantCulture);
        }
        else
        {
            result = 0;
            foreach (var c in span[..length])
            {
                result = (result * 16) + DigitValue(c)!.Value;
            }
        }

        return sign * result;
    }

    /// <summary>ECMAScript <c>ToIntegerOrInfinity</c>: truncation toward zero, NaN to 0.</summary>
    public static double ToIntegerOrInfinity(double value) => double.IsNaN(value) ? 0 : Math.Truncate(value) + 0.0;

    /// <summary>ECMAScript <c>Math.round</c>: nearest integer, ties toward positive infinity.</summary>
    public static double Round(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return value;
        }

        var floor = Math.Floor(value);
        return value - floor >= 0.5 ? floor + 1 : floor;
    }

    /// <summary>
    /// jsonata-js <c>round(arg, precision)</c> (used by <c>$round</c> and <c>$formatNumber</c>): decimal shift through
    /// the number's text, JavaScript Math.round, correction to half-even, shift back.
    /// </summary>
    public static double RoundHalfEven(double value, long precision)
    {
        if (precision != 0)
        {
            value = ShiftDecimal(value, precision);
        }

        var result = Round(value);
        var diff = result - value;
        if (Math.Abs(diff) == 0.5 && Math.Abs(result % 2) == 1)
        {
            result -= 1;
        }

        if (precision != 0)
        {
            result = ShiftDecimal(result, -precision);
        }

        return result == 0 ? 0 : result;
    }

    /// <summary>
    /// jsonata-js's <c>+(mantissa + 'e' + (exponent + shift))</c>: shifting through text avoids the binary error of
    /// multiplying by a power of ten. A non-finite value has no 'e' in its text, so JavaScript parses
    /// "Infinitye-1" and gets NaN: e.g. <c>$formatNumber(1.7976931348623157e308, '0.0')</c> is "NaN.0", because the
    /// forward shift overflows to Infinity and the shift back turns that into NaN.
    /// </summary>
    private static double ShiftDecimal(double value, long shift)
    {
        if (!double.IsFinite(value))
        {
            return double.NaN;
        }

        var text = ToText(value);
        var e = text.IndexOf('e', StringComparison.Ordinal);
        var mantissa = e < 0 ? text : text[..e];
        var exponent = e < 0 ? 0 : long.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var shifted = exponent + shift;

        // Beyond these the result is ±Infinity or ±0 whatever the mantissa; clamping keeps the text parseable.
        if (shifted > 100_000)
        {
            return value == 0 ? 0 : value > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        }

        if (shifted < -100_000)
        {
            return value < 0 ? -0d : 0d;
        }

        return double.Parse(mantissa + "e" + shifted.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static int? DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => null,
    };

    private static (BigInteger Mantissa, int Exponent) Decompose(double positive)
    {
        var bits = BitConverter.DoubleToInt64Bits(positive);
        var exponentBits = (int)((bits >> 52) & 0x7FF);
        var fraction = bits & 0xFFFFFFFFFFFFFL;
        return exponentBits == 0
            ? (new BigInteger(fraction), -1074)
            : (new BigInteger(fraction | (1L << 52)), exponentBits - 1075);
    }
}
