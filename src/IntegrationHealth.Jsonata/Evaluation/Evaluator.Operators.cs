using IntegrationHealth.Jsonata.Functions;
using IntegrationHealth.Jsonata.Parsing;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Evaluation;

internal static partial class Evaluator
{
    private static object? EvaluateBinary(Node expr, object? input, Frame env)
    {
        var lhs = Evaluate(expr.Lhs!, input, env);
        var op = expr.Op;
        try
        {
            if (op == "and")
            {
                return Semantics.Box(Semantics.IsTruthy(lhs) && Semantics.IsTruthy(Evaluate(expr.Rhs!, input, env)));
            }

            if (op == "or")
            {
                return Semantics.Box(Semantics.IsTruthy(lhs) || Semantics.IsTruthy(Evaluate(expr.Rhs!, input, env)));
            }
        }
        catch (JsonataException ex) when (ex.Code is not ("U1001" or "U1002"))
        {
            ex.Position = expr.Position;
            ex.Token = op;
            throw;
        }

        var rhs = Evaluate(expr.Rhs!, input, env);
        try
        {
            switch (op)
            {
                case "+":
                case "-":
                case "*":
                case "/":
                case "%":
                    return Arithmetic(lhs, rhs, op);
                case "=":
                    return lhs is null || rhs is null ? Semantics.False : Semantics.Box(Semantics.DeepEquals(lhs, rhs, env.Context));
                case "!=":
                    return lhs is null || rhs is null ? Semantics.False : Semantics.Box(!Semantics.DeepEquals(lhs, rhs, env.Context));
                case "<":
                case "<=":
                case ">":
                case ">=":
                    return Compare(lhs, rhs, op);
                case "&":
                    return Concatenate(lhs is null ? "" : StringFunctions.Stringify(lhs, env.Context), rhs is null ? "" : StringFunctions.Stringify(rhs, env.Context), env.Context);
                case "..":
                    return Range(lhs, rhs, env.Context);
                case "in":
                    return In(lhs, rhs, env.Context);
                default:
                    return null;
            }
        }
        catch (JsonataException ex) when (ex.Code is not ("U1001" or "U1002"))
        {
            ex.Position = expr.Position;
            ex.Token = op;
            throw;
        }
    }

    private static object? Arithmetic(object? lhs, object? rhs, string op)
    {
        if (lhs is not null && !Semantics.IsNumeric(lhs))
        {
            throw new JsonataException("T2001", "The left side of the operator must evaluate to a number", value: lhs);
        }

        if (rhs is not null && !Semantics.IsNumeric(rhs))
        {
            throw new JsonataException("T2002", "The right side of the operator must evaluate to a number", value: rhs);
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        var l = (double)lhs;
        var r = (double)rhs;
        return op switch
        {
            "+" => l + r,
            "-" => l - r,
            "*" => l * r,
            "/" => l / r,
            _ => l % r,
        };
    }

    private static object? Compare(object? lhs, object? rhs, string op)
    {
        var lComparable = lhs is null or string or double;
        var rComparable = rhs is null or string or double;
        if (!lComparable || !rComparable)
        {
            throw new JsonataException("T2010", "The expressions either side of operator must evaluate to numeric or string values",
                value: lhs is string or double ? rhs : lhs);
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        int cmp;
        if (lhs is double l && rhs is double r)
        {
            if (double.IsNaN(l) || double.IsNaN(r))
            {
                return Semantics.False;
            }

            cmp = l.CompareTo(r);
        }
        else if (lhs is string ls && rhs is string rs)
        {
            cmp = string.CompareOrdinal(ls, rs);
        }
        else
        {
            throw new JsonataException("T2009", "The values either side of operator must be of the same data type", value: lhs)
                .WithValue2(rhs);
        }

        return Semantics.Box(op switch
        {
            "<" => cmp < 0,
            "<=" => cmp <= 0,
            ">" => cmp > 0,
            _ => cmp >= 0,
        });
    }

    /// <summary>The <c>&amp;</c> operator. Repeated concatenation doubles a string per step, so the result is
    /// counted against the memory limit before it is built.</summary>
    private static string Concatenate(string left, string right, EvaluationContext context)
    {
        var length = (long)left.Length + right.Length;
        if (length > 4096)
        {
            context.CheckMemory(length * sizeof(char));
            context.Work(length / 64);
        }

        return string.Concat(left, right);
    }

    private static object In(object? lhs, object? rhs, EvaluationContext context)
    {
        if (lhs is null || rhs is null)
        {
            return Semantics.False;
        }

        if (rhs is ArrayValue arr)
        {
            context.Work(arr.Count);
            foreach (var item in arr)
            {
                if (Semantics.StrictEquals(item, lhs))
                {
                    return Semantics.True;
                }
            }

            return Semantics.False;
        }

        return Semantics.Box(Semantics.StrictEquals(rhs, lhs));
    }

    private static object? Range(object? lhs, object? rhs, EvaluationContext context)
    {
        if (lhs is not null && !(lhs is double l0 && JsNumber.IsInteger(l0)))
        {
            throw new JsonataException("T2003", "The left side of the range operator (..) must evaluate to an integer", value: lhs);
        }

        if (rhs is not null && !(rhs is double r0 && JsNumber.IsInteger(r0)))
        {
            throw new JsonataException("T2004", "The right side of the range operator (..) must evaluate to an integer", value: rhs);
        }

        if (lhs is null || rhs is null)
        {
            return null;
        }

        var from = (double)lhs;
        var to = (double)rhs;
        if (from > to)
        {
            return null;
        }

        var size = to - from + 1;
        if (size > 1e7)
        {
            throw new JsonataException("D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e7", value: size);
        }

        context.CheckSize((long)size);

        // A boxed double and a list slot per item, refused up front when the budget cannot take them.
        context.CheckMemory((long)size * 32);
        var result = new ArrayValue((int)size) { IsSequence = true };
        for (var item = from; item <= to; item++)
        {
            result.Add(item);
            context.Work();
        }

        return result;
    }

    private static object? EvaluateUnary(Node expr, object? input, Frame env)
    {
        switch (expr.Op)
        {
            case "-":
            {
                var result = Evaluate(expr.Expression!, input, env);
                if (result is null)
                {
                    return null;
                }

                if (Semantics.IsNumeric(result))
                {
                    return -(double)result;
                }

                throw new JsonataException("D1002", "Cannot negate a non-numeric value", expr.Position, "-", result);
            }

            case "[":
            {
                var result = new ArrayValue(expr.Expressions!.Count);
                foreach (var item in expr.Expressions)
                {
                    var value = Evaluate(item, input, env);
                    if (value is null)
                    {
                        continue;
                    }

                    if (item is { Type: NodeType.Unary, Op: "[" } || value is not ArrayValue)
                    {
                        result.Add(value);
                    }
                    else
                    {
                        result.AddRange((ArrayValue)value);
                    }
                }

                env.Context.CheckSize(result.Count);
                result.IsConstructed = expr.ConsArray;
                return result;
            }

            case "{":
                return EvaluateGroup(expr.Pairs!, expr.Position, input, env, expr.ConstantKeys);
            default:
                return null;
        }
    }

    private static ArrayValue EvaluateSort(Node expr, ArrayValue input, Frame env)
    {
        var isTupleSort = input.TupleStream;
        var terms = expr.Terms!;

        bool Comparator(object? a, object? b)
        {
            var comp = 0;
            for (var index = 0; comp == 0 && index < terms.Count; index++)
            {
                var term = terms[index];
                var aa = isTupleSort
                    ? Evaluate(term.Expression, ((TupleBinding)a!).Context, CreateFrameFromTuple(env, (TupleBinding)a!))
                    : Evaluate(term.Expression, a, env);
                var bb = isTupleSort
                    ? Evaluate(term.Expression, ((TupleBinding)b!).Context, CreateFrameFromTuple(env, (TupleBinding)b!))
                    : Evaluate(term.Expression, b, env);
                if (aa is null)
                {
                    comp = bb is null ? 0 : 1;
                    continue;
                }

                if (bb is null)
                {
                    comp = -1;
                    continue;
                }

                if (aa is not (string or double) || bb is not (string or double))
                {
                    throw new JsonataException("T2008", "The expressions within an order-by clause must evaluate to numeric or string values",
                        expr.Position, value: aa is string or double ? bb : aa);
                }

                int c;
                if (aa is double x && bb is double y)
                {
                    c = x == y ? 0 : x < y ? -1 : 1;
                }
                else if (aa is string xs && bb is string ys)
                {
                    c = Math.Sign(string.CompareOrdinal(xs, ys));
                }
                else
                {
                    throw new JsonataException("T2007", "Type mismatch when comparing values in order-by clause", expr.Position, value: aa)
                        .WithValue2(bb);
                }

                if (c == 0)
                {
                    continue;
                }

                comp = term.Descending ? -c : c;
            }

            return comp == 1;
        }

        return ArrayFunctions.MergeSort(input, Comparator, env.Context);
    }
}
