using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IntegrationHealth.Jsonata.Functions.Formatting;
using IntegrationHealth.Jsonata.Values;
using static IntegrationHealth.Jsonata.Functions.BuiltinLibrary;

namespace IntegrationHealth.Jsonata.Functions;

/// <summary>Numeric and aggregation functions.</summary>
internal static partial class NumericFunctions
{
    public static object? Sum(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue arr)
        {
            return null;
        }

        var total = 0d;
        foreach (var n in arr)
        {
            total += (double)n!;
        }

        return total;
    }

    public static object? Count(in CallSite site, object?[] args) => Arg(args, 0) is ArrayValue arr ? (double)arr.Count : 0d;

    public static object? Max(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue { Count: > 0 } arr)
        {
            return null;
        }

        var max = double.NegativeInfinity;
        foreach (var n in arr)
        {
            var d = (double)n!;
            if (double.IsNaN(d))
            {
                return double.NaN;
            }

            max = Math.Max(max, d);
        }

        return max;
    }

    public static object? Min(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue { Count: > 0 } arr)
        {
            return null;
        }

        var min = double.PositiveInfinity;
        foreach (var n in arr)
        {
            var d = (double)n!;
            if (double.IsNaN(d))
            {
                return double.NaN;
            }

            min = Math.Min(min, d);
        }

        return min;
    }

    public static object? Average(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue { Count: > 0 } arr)
        {
            return null;
        }

        var total = 0d;
        foreach (var n in arr)
        {
            total += (double)n!;
        }

        return total / arr.Count;
    }

    public static object? Number(in CallSite site, object?[] args)
    {
        var arg = Arg(args, 0);
        switch (arg)
        {
            case null:
                return null;
            case double d:
                return d;
            case bool b:
                return b ? 1d : 0d;
            case string s when DecimalNumber().IsMatch(s):
            {
                var value = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (double.IsFinite(value))
                {
                    return value;
                }

                break;
            }

            case string s when PrefixedNumber().IsMatch(s):
                return ParsePrefixed(s);
        }

        throw new JsonataException("D3030", "Unable to cast value to a number", value: arg).WithIndex(1);
    }

    private static double ParsePrefixed(string s)
    {
        var radix = char.ToLowerInvariant(s[1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
        var value = 0d;
        foreach (var c in s.AsSpan(2))
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.ToLowerInvariant(c) - 'a' + 10;
            if (digit < 0 || digit >= radix)
            {
                return double.NaN;
            }

            value = value * radix + digit;
        }

        return value;
    }

    public static object? Abs(in CallSite site, object?[] args) => Arg(args, 0) is double d ? Math.Abs(d) : null;

    public static object? Floor(in CallSite site, object?[] args) => Arg(args, 0) is double d ? Math.Floor(d) : null;

    public static object? Ceil(in CallSite site, object?[] args) => Arg(args, 0) is double d ? Math.Ceiling(d) : null;

    public static object? Round(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not double arg)
        {
            return null;
        }

        if (Arg(args, 1) is not double p || double.IsNaN(p) || p == 0)
        {
            // jsonata-js: `if (precision)`, so a missing, NaN or zero precision means no decimal shift.
            return EcmaScriptNumber.RoundHalfEven(arg, 0);
        }

        // jsonata-js shifts through the text mantissa + 'e' + (exponent + precision): a precision that is not an
        // integer (or so large that JavaScript writes it in exponent form) makes that text unparseable, hence NaN.
        if (p != Math.Truncate(p) || Math.Abs(p) >= 1e21)
        {
            return double.NaN;
        }

        return EcmaScriptNumber.RoundHalfEven(arg, (long)Math.Clamp(p, -1e9, 1e9));
    }

    public static object? Sqrt(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not double d)
        {
            return null;
        }

        if (d < 0)
        {
            throw new JsonataException("D3060", "The sqrt function cannot be applied to a negative number", value: d).WithIndex(1);
        }

        return Math.Sqrt(d);
    }

    public static object? Power(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not double b)
        {
            return null;
        }

        // A missing exponent is JavaScript undefined: Math.pow(b, undefined) is NaN, so D3061 as for any non-finite result.
        var exp = NumberOrNaN(args, 1);
        var result = JsMath.Pow(b, exp);
        if (!double.IsFinite(result))
        {
            var expText = Arg(args, 1) is null ? "undefined" : JsNumber.ToString(exp);
            throw new JsonataException("D3061",
                $"The power function has resulted in a value that cannot be represented as a JSON number: base={JsNumber.ToString(b)}, exponent={expText}",
                value: b).WithIndex(1);
        }

        return result;
    }

    public static object? Random(in CallSite site, object?[] args) => System.Random.Shared.NextDouble();

    public static object? FormatBase(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not double value)
        {
            return null;
        }

        value = (double)Round(site, [value])!;
        var radix = Arg(args, 1) is double r ? (double)Round(site, [r])! : 10;
        if (radix < 2 || radix > 36)
        {
            throw new JsonataException("D3100", "The radix of the formatBase function must be between 2 and 36", value: radix);
        }

        return ToRadix(value, (int)radix);
    }

    private static string ToRadix(double value, int radix)
    {
        if (radix == 10)
        {
            return JsNumber.ToString(value);
        }

        var negative = value < 0;
        var n = Math.Abs(value);
        if (n == 0)
        {
            return "0";
        }

        var sb = new StringBuilder();
        while (n >= 1)
        {
            var digit = (int)(n % radix);
            sb.Insert(0, (char)(digit < 10 ? '0' + digit : 'a' + digit - 10));
            n = Math.Floor(n / radix);
        }

        return negative ? "-" + sb : sb.ToString();
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$")]
    private static partial Regex DecimalNumber();

    [GeneratedRegex(@"^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$")]
    private static partial Regex PrefixedNumber();
}
