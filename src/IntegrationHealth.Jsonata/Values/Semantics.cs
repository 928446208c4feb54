using IntegrationHealth.Jsonata.Evaluation;

namespace IntegrationHealth.Jsonata.Values;

/// <summary>JSONata's value semantics: truthiness, numeric checks, equality and sequence appending.</summary>
internal static class Semantics
{
    public static readonly object True = true;
    public static readonly object False = false;

    public static object Box(bool value) => value ? True : False;

    /// <summary>Boxes of the integers 0–1023 (status codes, counts, small ids), shared: boxed numbers are compared by
    /// value, never by identity, so reading one from an input need not allocate.</summary>
    private static readonly object[] SmallIntegers = Enumerable.Range(0, 1024).Select(i => (object)(double)i).ToArray();

    /// <summary>A boxed number, shared for the integers 0–1023 (negative zero keeps its own box).</summary>
    public static object Box(double value)
    {
        var i = (int)value;
        return i == value && (uint)i < (uint)SmallIntegers.Length && (i != 0 || !double.IsNegative(value)) ? SmallIntegers[i] : value;
    }

    /// <summary>jsonata's isNumeric: a non-NaN number; infinite numbers raise D1001.</summary>
    public static bool IsNumeric(object? value)
    {
        if (value is double d)
        {
            if (double.IsNaN(d))
            {
                return false;
            }

            if (double.IsInfinity(d))
            {
                throw new JsonataException("D1001", "Number out of range", value: d);
            }

            return true;
        }

        return false;
    }

    public static bool IsArrayOfNumbers(object? value)
    {
        if (value is not ArrayValue arr)
        {
            return false;
        }

        foreach (var item in arr)
        {
            if (!IsNumeric(item))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsArrayOfStrings(object? value)
    {
        if (value is not ArrayValue arr)
        {
            return false;
        }

        foreach (var item in arr)
        {
            if (item is not string)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The <c>$boolean</c> cast; null (undefined) stays undefined.</summary>
    public static bool? ToBoolean(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case ArrayValue arr:
                if (arr.Count == 1)
                {
                    return ToBoolean(arr[0]);
                }

                foreach (var item in arr)
                {
                    if (ToBoolean(item) == true)
                    {
                        return true;
                    }
                }

                return false;
            case string s:
                return s.Length > 0;
            case double d:
                return IsNumeric(d) && d != 0;
            case bool b:
                return b;
            case ObjectValue o:
                return o.HasMembers;
            default:
                return false;
        }
    }

    /// <summary>Truthiness where undefined counts as false.</summary>
    public static bool IsTruthy(object? value) => ToBoolean(value) == true;

    /// <summary>JavaScript's <c>===</c>: value equality for primitives, reference equality for objects and arrays.</summary>
    public static bool StrictEquals(object? a, object? b) => (a, b) switch
    {
        (double x, double y) => x == y,
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (bool x, bool y) => x == y,
        _ => ReferenceEquals(a, b),
    };

    /// <summary>jsonata's isDeepEqual (used by <c>=</c>, <c>!=</c> and <c>$distinct</c>); every pair of containers
    /// compared counts as work for <paramref name="context"/>'s deadline.</summary>
    public static bool DeepEquals(object? a, object? b, EvaluationContext context)
    {
        if (StrictEquals(a, b))
        {
            return true;
        }

        if (a is ArrayValue or ObjectValue)
        {
            context.Work();
        }

        if (a is ArrayValue la && b is ArrayValue ra)
        {
            if (la.Count != ra.Count)
            {
                return false;
            }

            for (var i = 0; i < la.Count; i++)
            {
                if (!DeepEquals(la[i], ra[i], context))
                {
                    return false;
                }
            }

            return true;
        }

        if (a is ObjectValue lo && b is ObjectValue ro)
        {
            if (lo.Count != ro.Count)
            {
                return false;
            }

            foreach (var pair in lo)
            {
                if (!ro.TryGetValue(pair.Key, out var other) || !DeepEquals(pair.Value, other, context))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    /// <summary>jsonata's append: concatenates, flattening one level of the second argument; the result is a plain array.</summary>
    public static object? Append(object? arg1, object? arg2)
    {
        if (arg1 is null)
        {
            return arg2;
        }

        if (arg2 is null)
        {
            return arg1;
        }

        var left = arg1 as ArrayValue;
        var right = arg2 as ArrayValue;
        var result = new ArrayValue((left?.Count ?? 1) + (right?.Count ?? 1));
        if (left is null)
        {
            result.Add(arg1);
        }
        else
        {
            result.AddRange(left);
        }

        if (right is null)
        {
            result.Add(arg2);
        }
        else
        {
            result.AddRange(right);
        }

        return result;
    }

    /// <summary>The <c>$type</c> name of a value.</summary>
    public static string? TypeOf(object? value) => value switch
    {
        null => null,
        NullValue => "null",
        double => "number",
        string => "string",
        bool => "boolean",
        ArrayValue => "array",
        FunctionValue => "function",
        _ => "object",
    };

    /// <summary>A deep copy through JSON text, as jsonata's <c>$clone</c> does (numbers to 15 significant digits).</summary>
    public static object? DeepClone(object? value, EvaluationContext context)
    {
        context.Work();
        switch (value)
        {
            case ArrayValue arr:
            {
                var copy = new ArrayValue(arr.Count);
                foreach (var item in arr)
                {
                    // JSON.stringify writes an undefined slot as null; jsonata's replacer turns a function into "".
                    copy.Add(item is null ? NullValue.Instance : DeepClone(item, context));
                }

                return copy;
            }

            case ObjectValue obj:
            {
                var copy = new ObjectValue(obj.Count);
                foreach (var pair in obj)
                {
                    if (pair.Value is null)
                    {
                        continue;
                    }

                    copy[pair.Key] = pair.Value is FunctionValue ? "" : DeepClone(pair.Value, context);
                }

                return copy;
            }

            case double d when double.IsInfinity(d):
                // jsonata's replacer runs isNumeric on every number, which rejects infinities (as $string does).
                throw new JsonataException("D1001", "Number out of range", value: d);
            case double d:
                return double.IsNaN(d) ? NullValue.Instance : JsNumber.ToPrecision15(d);
            case FunctionValue:
                return "";
            default:
                return value;
        }
    }
}
