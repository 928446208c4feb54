using IntegrationHealth.Jsonata.Values;
using static IntegrationHealth.Jsonata.Functions.BuiltinLibrary;

namespace IntegrationHealth.Jsonata.Functions;

/// <summary><c>$map</c>, <c>$filter</c>, <c>$single</c>, <c>$reduce</c>, <c>$each</c>, <c>$sift</c>.</summary>
internal static class HigherOrderFunctions
{
    /// <summary>Arguments for a callback: the value, then index and array only if the callback declares them.</summary>
    private static object?[] CallbackArgs(FunctionValue func, object? value, object? index, object? collection)
    {
        return func.Arity switch
        {
            >= 3 => [value, index, collection],
            2 => [value, index],
            _ => [value],
        };
    }

    public static object? Map(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue arr)
        {
            return null;
        }

        var func = (FunctionValue)Arg(args, 1)!;
        var result = new ArrayValue(arr.Count) { IsSequence = true };
        for (var i = 0; i < arr.Count; i++)
        {
            var res = site.Apply(func, CallbackArgs(func, arr[i], (double)i, arr));
            if (res is not null)
            {
                result.Add(res);
            }
        }

        return result;
    }

    public static object? Filter(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue arr)
        {
            return null;
        }

        var func = (FunctionValue)Arg(args, 1)!;
        var result = ArrayValue.Sequence();
        for (var i = 0; i < arr.Count; i++)
        {
            var entry = arr[i];
            if (Semantics.IsTruthy(site.Apply(func, CallbackArgs(func, entry, (double)i, arr))))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    public static object? Single(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue arr)
        {
            return null;
        }

        var func = Arg(args, 1) as FunctionValue;
        var found = false;
        object? result = null;
        for (var i = 0; i < arr.Count; i++)
        {
            var entry = arr[i];
            var positive = func is null || Semantics.IsTruthy(site.Apply(func, CallbackArgs(func, entry, (double)i, arr)));
            if (!positive)
            {
                continue;
            }

            if (found)
            {
                throw new JsonataException("D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more.").WithIndex(i);
            }

            result = entry;
            found = true;
        }

        if (!found)
        {
            throw new JsonataException("D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0.");
        }

        return result;
    }

    public static object? Reduce(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue sequence)
        {
            return null;
        }

        var func = (FunctionValue)Arg(args, 1)!;
        var arity = func.Arity;
        if (arity < 2)
        {
            throw new JsonataException("D3050", "The second argument of reduce function must be a function with at least two arguments").WithIndex(1);
        }

        var init = Arg(args, 2);
        object? result;
        int index;
        if (init is null && sequence.Count > 0)
        {
            result = sequence[0];
            index = 1;
        }
        else
        {
            result = init;
            index = 0;
        }

        while (index < sequence.Count)
        {
            object?[] callArgs = arity switch
            {
                >= 4 => [result, sequence[index], (double)index, sequence],
                3 => [result, sequence[index], (double)index],
                _ => [result, sequence[index]],
            };
            result = site.Apply(func, callArgs);
            index++;
        }

        return result;
    }

    public static object? Each(in CallSite site, object?[] args)
    {
        var result = ArrayValue.Sequence();
        if (Arg(args, 0) is not ObjectValue obj)
        {
            return result;
        }

        var func = (FunctionValue)Arg(args, 1)!;
        foreach (var pair in obj.ToArray())
        {
            var val = site.Apply(func, CallbackArgs(func, pair.Value, pair.Key, obj));
            if (val is not null)
            {
                result.Add(val);
            }
        }

        return result;
    }

    public static object? Sift(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ObjectValue obj)
        {
            return null;
        }

        if (Arg(args, 1) is not FunctionValue func)
        {
            // jsonata-js would fail with a TypeError here; report it as the signature error it is.
            throw new JsonataException("T0410", "Argument 2 of function does not match function signature").WithIndex(2);
        }

        var result = new ObjectValue();
        foreach (var pair in obj.ToArray())
        {
            if (Semantics.IsTruthy(site.Apply(func, CallbackArgs(func, pair.Value, pair.Key, obj))))
            {
                result[pair.Key] = pair.Value;
            }
        }

        return result.Count == 0 ? null : result;
    }
}
