using System.Globalization;

namespace IntegrationHealth.Jsonata.Values;

/// <summary>Number-to-text conversions with JavaScript's rules (Number.prototype.toString, toPrecision).</summary>
internal static class JsNumber
{
    /// <summary>Formats like JavaScript's <c>String(number)</c> (ECMAScript <c>Number::toString</c>, radix 10): shortest round-trip digits, exponent form from 1e21 up and below 1e-6.</summary>
    public static string ToString(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0";
        }

        if (Math.Abs(value) < 1e15 && value == Math.Floor(value))
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = r[0] == '-';
        if (negative)
        {
            r = r[1..];
        }

        // Decompose into significant digits and the decimal exponent n (value = 0.digits * 10^n).
        var ePos = r.IndexOfAny(['E', 'e']);
        var mantissa = ePos >= 0 ? r[..ePos] : r;
        var exp = ePos >= 0 ? int.Parse(r[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        var n = intPart.Length - leadingZeros + exp;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        var k = digits.Length;
        string text;
        if (k <= n && n <= 21)
        {
            text = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            text = "0." + new string('0', -n) + digits;
        }
        else
        {
            var e = n - 1;
            text = digits[..1] + (k > 1 ? "." + digits[1..] : "") + "e" + (e >= 0 ? "+" : "-") +
                   Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }

        return negative ? "-" + text : text;
    }

    /// <summary><c>Number(value.toPrecision(15))</c>: rounds to 15 significant digits, as <c>$string</c> does for non-integers.</summary>
    public static double ToPrecision15(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value == Math.Floor(value))
        {
            return value;
        }

        return double.Parse(value.ToString("E14", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>ECMAScript <c>ToUint32</c>: truncated toward zero, modulo 2^32; NaN and infinities are 0.</summary>
    public static uint ToUint32(double value)
    {
        if (!double.IsFinite(value))
        {
            return 0;
        }

        var modulo = Math.Truncate(value) % 4294967296.0;
        return (uint)(modulo < 0 ? modulo + 4294967296.0 : modulo);
    }

    public static bool IsInteger(double value) => !double.IsInfinity(value) && value == Math.Floor(value);
}
