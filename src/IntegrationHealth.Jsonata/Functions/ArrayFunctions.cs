using IntegrationHealth.Jsonata.Evaluation;
using IntegrationHealth.Jsonata.Values;
using static IntegrationHealth.Jsonata.Functions.BuiltinLibrary;

namespace IntegrationHealth.Jsonata.Functions;

/// <summary>Array functions, including the stable merge sort shared with the order-by operator.</summary>
internal static class ArrayFunctions
{
    public static object? Append(in CallSite site, object?[] args)
    {
        var result = Semantics.Append(Arg(args, 0), Arg(args, 1));
        if (result is ArrayValue arr)
        {
            site.Context.CheckSize(arr.Count);
        }

        return result;
    }

    public static object? Reverse(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue arr)
        {
            return null;
        }

        if (arr.Count <= 1)
        {
            return arr;
        }

        var result = new ArrayValue(arr);
        result.Reverse();
        return result;
    }

    public static object? Shuffle(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue arr)
        {
            return null;
        }

        if (arr.Count <= 1)
        {
            return arr;
        }

        var result = new ArrayValue(arr);
        for (var i = result.Count - 1; i > 0; i--)
        {
            var j = System.Random.Shared.Next(i + 1);
            (result[i], result[j]) = (result[j], result[i]);
        }

        return result;
    }

    public static object? Distinct(in CallSite site, object?[] args)
    {
        var arg = Arg(args, 0);
        if (arg is not ArrayValue arr || arr.Count <= 1)
        {
            return arg;
        }

        var results = new ArrayValue { IsSequence = arr.IsSequence };
        foreach (var value in arr)
        {
            // Quadratic, as in jsonata-js: every comparison is counted so a long array cannot outrun the deadline.
            var includes = false;
            site.Context.Work(results.Count);
            foreach (var existing in results)
            {
                if (Semantics.DeepEquals(value, existing, site.Context))
                {
                    includes = true;
                    break;
                }
            }

            if (!includes)
            {
                results.Add(value);
            }
        }

        return results;
    }

    public static object? Zip(in CallSite site, object?[] args)
    {
        var result = new ArrayValue();
        if (args.Length == 0)
        {
            return result;
        }

        var length = int.MaxValue;
        foreach (var arg in args)
        {
            length = Math.Min(length, arg is ArrayValue a ? a.Count : 0);
        }

        for (var i = 0; i < length; i++)
        {
            site.Context.Work(args.Length);
            var tuple = new ArrayValue(args.Length);
            foreach (var arg in args)
            {
                tuple.Add(((ArrayValue)arg!)[i]);
            }

            result.Add(tuple);
        }

        return result;
    }

    public static object? Sort(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue arr)
        {
            return null;
        }

        if (arr.Count <= 1)
        {
            return arr;
        }

        if (Arg(args, 1) is FunctionValue comparator)
        {
            var callSite = site;
            return MergeSort(arr, (a, b) => Semantics.IsTruthy(callSite.Apply(comparator, [a, b])), site.Context);
        }

        if (Semantics.IsArrayOfNumbers(arr))
        {
            return MergeSort(arr, static (a, b) => (double)a! > (double)b!, site.Context);
        }

        if (Semantics.IsArrayOfStrings(arr))
        {
            return MergeSort(arr, static (a, b) => string.CompareOrdinal((string)a!, (string)b!) > 0, site.Context);
        }

        throw new JsonataException("D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers").WithIndex(1);
    }

    /// <summary>Stable merge sort; <paramref name="swap"/>(a, b) returns true when b must come before a. Every
    /// comparison counts as work, so sorting a long array without a callback still meets the deadline.</summary>
    public static ArrayValue MergeSort(ArrayValue array, Func<object?, object?, bool> swap, EvaluationContext context)
    {
        if (array.Count <= 1)
        {
            return array;
        }

        var items = array.ToArray();
        var buffer = new object?[items.Length];
        Sort(items, buffer, 0, items.Length, swap, context);
        return new ArrayValue(items);
    }

    private static void Sort(object?[] items, object?[] buffer, int start, int end, Func<object?, object?, bool> swap, EvaluationContext context)
    {
        if (end - start <= 1)
        {
            return;
        }

        var middle = start + ((end - start) / 2);
        Sort(items, buffer, start, middle, swap, context);
        Sort(items, buffer, middle, end, swap, context);
        int l = start, r = middle, o = start;
        while (l < middle && r < end)
        {
            context.Work();
            if (swap(items[l], items[r]))
            {
                buffer[o++] = items[r++];
            }
            else
            {
                buffer[o++] = items[l++];
            }
        }

        while (l < middle)
        {
            buffer[o++] = items[l++];
        }

        while (r < end)
        {
            buffer[o++] = items[r++];
        }

        Array.Copy(buffer, start, items, start, end - start);
    }
}
