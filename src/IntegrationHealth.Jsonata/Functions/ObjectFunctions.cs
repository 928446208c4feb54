using IntegrationHealth.Jsonata.Evaluation;
using IntegrationHealth.Jsonata.Parsing;
using IntegrationHealth.Jsonata.Values;
using static IntegrationHealth.Jsonata.Functions.BuiltinLibrary;

namespace IntegrationHealth.Jsonata.Functions;

/// <summary>Object, boolean, type and evaluation functions.</summary>
internal static class ObjectFunctions
{
    public static object? Boolean(in CallSite site, object?[] args) =>
        Semantics.ToBoolean(Arg(args, 0)) is { } b ? Semantics.Box(b) : null;

    public static object? Not(in CallSite site, object?[] args)
    {
        var arg = Arg(args, 0);
        return arg is null ? null : Semantics.Box(!Semantics.IsTruthy(arg));
    }

    public static object? Exists(in CallSite site, object?[] args) => Semantics.Box(Arg(args, 0) is not null);

    public static object? Keys(in CallSite site, object?[] args)
    {
        var result = ArrayValue.Sequence();
        var arg = Arg(args, 0);
        if (arg is ArrayValue arr)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in arr)
            {
                if (item is ObjectValue obj)
                {
                    foreach (var key in obj.Keys)
                    {
                        if (seen.Add(key))
                        {
                            result.Add(key);
                        }
                    }
                }
            }
        }
        else if (arg is ObjectValue obj)
        {
            foreach (var key in obj.Keys)
            {
                result.Add(key);
            }
        }

        return result;
    }

    public static object? Lookup(in CallSite site, object?[] args) =>
        Evaluator.Lookup(Arg(args, 0), Arg(args, 1) as string ?? "undefined", site.Context);

    public static object? Spread(in CallSite site, object?[] args) => SpreadValue(Arg(args, 0), site.Context);

    private static object? SpreadValue(object? arg, EvaluationContext context)
    {
        if (arg is ArrayValue arr)
        {
            // jsonata-js's `result = append(result, spread)`: the first append copies the sequence into a plain array,
            // later ones extend that array in place (the same result, without a copy per item).
            object? result = ArrayValue.Sequence();
            ArrayValue? owned = null;
            foreach (var item in arr)
            {
                var spread = SpreadValue(item, context);
                if (owned is null)
                {
                    result = Semantics.Append(result, spread);
                    owned = spread is null ? null : (ArrayValue)result!;
                }
                else if (spread is ArrayValue items)
                {
                    owned.AddRange(items);
                }
                else if (spread is not null)
                {
                    owned.Add(spread);
                }
            }

            context.CheckSize(((ArrayValue)result!).Count);
            return result;
        }

        if (arg is ObjectValue obj)
        {
            var result = ArrayValue.Sequence();
            context.Work(obj.Count);
            foreach (var pair in obj)
            {
                result.Add(new ObjectValue(1) { [pair.Key] = pair.Value });
            }

            return result;
        }

        return arg;
    }

    public static object? Merge(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not ArrayValue arr)
        {
            return null;
        }

        var result = new ObjectValue();
        foreach (var item in arr)
        {
            if (item is ObjectValue obj)
            {
                foreach (var pair in obj)
                {
                    result[pair.Key] = pair.Value;
                }
            }
        }

        return result;
    }

    public static object? Error(in CallSite site, object?[] args)
    {
        var message = Arg(args, 0) as string;
        throw new JsonataException("D3137", string.IsNullOrEmpty(message) ? "$error() function evaluated" : message);
    }

    public static object? Assert(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not true)
        {
            var message = Arg(args, 1) as string;
            throw new JsonataException("D3141", string.IsNullOrEmpty(message) ? "$assert() statement failed" : message);
        }

        return null;
    }

    /// <summary>jsonata-js's <c>$type</c> asks isNumeric first, which raises D1001 for an infinity, and a NaN, being no
    /// number to it nor anything else it tests for, ends up as "object".</summary>
    public static object? Type(in CallSite site, object?[] args) => Arg(args, 0) switch
    {
        double d when double.IsNaN(d) => "object",
        double d when double.IsInfinity(d) => throw new JsonataException("D1001", "Number out of range", value: d),
        var value => Semantics.TypeOf(value),
    };

    public static object? Clone(in CallSite site, object?[] args) => Semantics.DeepClone(Arg(args, 0), site.Context);

    public static object? Eval(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string expression)
        {
            return null;
        }

        var input = site.Input;
        if (args.Length > 1 && args[1] is { } focus)
        {
            input = focus;
            if (focus is ArrayValue { IsSequence: false } arr)
            {
                var wrapped = ArrayValue.Sequence(arr);
                wrapped.OuterWrapper = true;
                input = wrapped;
            }
        }

        Node ast;
        try
        {
            ast = Parser.Parse(expression);
        }
        catch (JsonataException ex) when (ex.Code is not ("U1001" or "U1002"))
        {
            throw new JsonataException("D3120", "Syntax error in expression passed to function eval: " + ex.Message, ex);
        }

        try
        {
            return Evaluator.Evaluate(ast, input, site.Environment);
        }
        catch (JsonataException ex) when (ex.Code is not ("U1001" or "U1002"))
        {
            throw new JsonataException("D3121", "Dynamic error evaluating the expression passed to function eval: " + ex.Message, ex);
        }
    }
}
