using IntegrationHealth.Jsonata.Parsing;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Evaluation;

internal static partial class Evaluator
{
    /// <summary>Marker for a <c>?</c> placeholder argument of a partial application.</summary>
    private sealed class Placeholder
    {
        public static readonly Placeholder Instance = new();
    }

    private static readonly Lazy<Node> ChainAst = new(() => Parser.Parse("function($f, $g) { function($x){ $g($f($x)) } }"));

    private static object? EvaluateFunction(Node expr, object? input, Frame env, bool hasApplyTo, object? applyTo)
    {
        var procedure = expr.Procedure!;
        var proc = Evaluate(procedure, input, env);
        if (proc is null && procedure.Type == NodeType.Path && procedure.Steps![0].Value is string firstName && env.Lookup(firstName) is not null)
        {
            throw new JsonataException("T1005", "Attempted to invoke a non-function", expr.Position, firstName);
        }

        var argCount = expr.Arguments!.Count + (hasApplyTo ? 1 : 0);
        var args = new object?[argCount];
        var offset = 0;
        if (hasApplyTo)
        {
            args[0] = applyTo;
            offset = 1;
        }

        for (var jj = 0; jj < expr.Arguments.Count; jj++)
        {
            args[jj + offset] = Evaluate(expr.Arguments[jj], input, env);
        }

        var procName = procedure.Type == NodeType.Path ? procedure.Steps![0].Value as string : procedure.Value as string;
        try
        {
            return Apply(proc, args, input, env, procName, expr.Position);
        }
        catch (JsonataException ex) when (ex.Code is not ("U1001" or "U1002"))
        {
            if (ex.Position < 0)
            {
                ex.Position = expr.Position;
            }

            ex.Token ??= procName;
            throw;
        }
    }

    /// <summary>Applies a function, running the trampoline that executes tail calls without growing the stack.</summary>
    public static object? Apply(object? proc, object?[] args, object? input, Frame env, string? token = null, int position = -1)
    {
        var result = ApplyInner(proc, args, input, env, token, position);
        while (result is LambdaValue { IsThunk: true } thunk)
        {
            var call = thunk.Body!;
            var next = Evaluate(call.Procedure!, thunk.Input, thunk.Environment);
            var nextToken = call.Procedure!.Type == NodeType.Variable ? call.Procedure.Value as string : token;
            var evaluatedArgs = new object?[call.Arguments!.Count];
            for (var ii = 0; ii < evaluatedArgs.Length; ii++)
            {
                evaluatedArgs[ii] = Evaluate(call.Arguments[ii], thunk.Input, thunk.Environment);
            }

            result = ApplyInner(next, evaluatedArgs, input, env, nextToken, call.Procedure.Position);
        }

        return result;
    }

    private static object? ApplyInner(object? proc, object?[] args, object? input, Frame env, string? token, int position)
    {
        try
        {
            var function = proc as FunctionValue;
            var validated = function?.Signature is { } signature ? signature.Validate(args, input) : args;
            switch (proc)
            {
                case LambdaValue lambda:
                    return ApplyProcedure(lambda, validated);
                case NativeFunction native:
                    env.Context.Work(ArgumentWork(validated));
                    return native.Implementation(new CallSite(env, input), validated);
                default:
                    throw new JsonataException("T1006", "Attempted to invoke a non-function");
            }
        }
        catch (JsonataException ex) when (proc is not null && ex.Code is not ("U1001" or "U1002"))
        {
            ex.Token ??= token;
            if (position >= 0)
            {
                ex.Position = position;
            }

            throw;
        }
    }

    private static object? ApplyProcedure(LambdaValue proc, object?[] args)
    {
        var env = new Frame(proc.Environment);
        var parameters = proc.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            env.Bind(parameters[i], i < args.Length ? args[i] : null);
        }

        if (proc.NativeBody is { } native)
        {
            var nativeArgs = new object?[native.Arity];
            for (var i = 0; i < nativeArgs.Length; i++)
            {
                nativeArgs[i] = env.Lookup(NativeParameterName(i));
            }

            env.Context.Work(ArgumentWork(nativeArgs));
            return native.Implementation(new CallSite(env, null, proc.PartiallyBoundArguments), nativeArgs);
        }

        // Deep stacks only grow through calls, so this is where their unwinding is cut into segments.
        var context = env.Context;
        if (context.StackHops > 0 && context.Depth >= context.SegmentDepth)
        {
            return EvaluateInSegment(proc.Body!, proc.Input, env, context);
        }

        return Evaluate(proc.Body!, proc.Input, env);
    }

    /// <summary>Nesting steps between two segment boundaries of a deep stack (a few hundred frames).</summary>
    private const int SegmentSteps = 128;

    /// <summary>
    /// Evaluates a lambda body below a segment boundary of a deep (fresh-stack) evaluation. An error from below is
    /// caught here and thrown again as a new throw: .NET records every frame an exception passes in its stack trace,
    /// and for one exception crossing a 64 MB stack that record grows to megabytes on the large-object heap, whose
    /// allocations trigger full garbage collections that walk every frame of every deep stack (hundreds of
    /// milliseconds each). Cut into segments, each exception's record stays small. The error itself is unchanged.
    /// </summary>
    private static object? EvaluateInSegment(Node body, object? input, Frame env, EvaluationContext context)
    {
        var saved = context.SegmentDepth;
        context.SegmentDepth = context.Depth + SegmentSteps;
        JsonataException failure;
        try
        {
            return Evaluate(body, input, env);
        }
        catch (JsonataException ex)
        {
            failure = ex;
        }
        finally
        {
            context.SegmentDepth = saved;
        }

        throw failure;
    }

    private static string NativeParameterName(int index) => "\u0001arg" + index;

    /// <summary>
    /// Work units a built-in (or host function, or regex matcher) call counts before it runs: one, plus the size of
    /// its arguments (array items, string characters / 64), which bounds what most built-ins do with them, so a run of
    /// expensive calls meets the deadline and the memory limit between two evaluation steps. Objects count one:
    /// their size would materialize a lazy input object.
    /// </summary>
    private static long ArgumentWork(object?[] args)
    {
        long units = 1;
        foreach (var arg in args)
        {
            units += arg switch
            {
                string s => s.Length >> 6,
                ArrayValue a => a.Count,
                _ => 0,
            };
        }

        return units;
    }

    private static LambdaValue EvaluateLambda(Node expr, object? input, Frame env)
    {
        var parameters = new string[expr.Arguments!.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (string)expr.Arguments[i].Value!;
        }

        return new LambdaValue
        {
            Body = expr.Body,
            Input = input,
            Environment = env,
            Parameters = parameters,
            Signature = expr.Signature,
            IsThunk = expr.Thunk,
        };
    }

    private static object? EvaluatePartialApplication(Node expr, object? input, Frame env)
    {
        var args = new object?[expr.Arguments!.Count];
        for (var ii = 0; ii < args.Length; ii++)
        {
            var arg = expr.Arguments[ii];
            args[ii] = arg is { Type: NodeType.Operator, Value: "?" } ? Placeholder.Instance : Evaluate(arg, input, env);
        }

        var procedure = expr.Procedure!;
        var proc = Evaluate(procedure, input, env);
        if (proc is null && procedure.Type == NodeType.Path && procedure.Steps![0].Value is string firstName && env.Lookup(firstName) is not null)
        {
            throw new JsonataException("T1007", "Attempted to partially apply a non-function", expr.Position, firstName);
        }

        switch (proc)
        {
            case LambdaValue lambda:
                return PartiallyApply(lambda.Parameters, lambda.Environment, lambda.Input, lambda.Body, lambda.NativeBody, args);
            case NativeFunction native:
            {
                var names = new string[native.Arity];
                for (var i = 0; i < names.Length; i++)
                {
                    names[i] = NativeParameterName(i);
                }

                return PartiallyApply(names, env, null, null, native, args);
            }

            default:
                throw new JsonataException("T1008", "Attempted to partially apply a non-function", expr.Position,
                    procedure.Type == NodeType.Path ? procedure.Steps![0].Value as string : procedure.Value as string);
        }
    }

    private static LambdaValue PartiallyApply(IReadOnlyList<string> parameters, Frame environment, object? input, Node? body,
        NativeFunction? native, object?[] args)
    {
        var env = new Frame(environment);
        var unbound = new List<string>();
        var bound = 0;
        for (var index = 0; index < parameters.Count; index++)
        {
            var arg = index < args.Length ? args[index] : null;
            if (arg is Placeholder)
            {
                unbound.Add(parameters[index]);
            }
            else
            {
                env.Bind(parameters[index], arg);
                bound |= index < 32 ? 1 << index : 0;
            }
        }

        return new LambdaValue
        {
            Body = body, Input = input, Environment = env, Parameters = unbound, NativeBody = native,
            PartiallyBoundArguments = native is null ? 0 : bound,
        };
    }

    private static object? EvaluateApplyExpression(Node expr, object? input, Frame env)
    {
        var lhs = Evaluate(expr.Lhs!, input, env);
        if (expr.Rhs!.Type == NodeType.Function)
        {
            return EvaluateFunction(expr.Rhs, input, env, true, lhs);
        }

        var func = Evaluate(expr.Rhs, input, env);
        if (func is not FunctionValue)
        {
            throw new JsonataException("T2006", "The right side of the function application operator ~> must be a function",
                expr.Position, value: func);
        }

        if (lhs is FunctionValue)
        {
            var chain = Evaluate(ChainAst.Value, null, env);
            return Apply(chain, [lhs, func], null, env);
        }

        return Apply(func, [lhs], null, env);
    }

    private static readonly Signature TransformSignature = Signature.Parse("<(oa):o>");

    private static NativeFunction CreateTransformer(Node expr, Frame env)
    {
        return new NativeFunction("transform", 1, (in CallSite _, object?[] args) =>
        {
            var obj = args.Length > 0 ? args[0] : null;
            if (obj is null)
            {
                return null;
            }

            var cloneFunction = env.Lookup("clone");
            if (cloneFunction is not FunctionValue)
            {
                throw new JsonataException("T2013", "The transform expression clones the input object using the $clone() function", expr.Position);
            }

            var result = Apply(cloneFunction, [obj], null, env);
            var matches = Evaluate(expr.Pattern!, result, env);
            if (matches is null)
            {
                return result;
            }

            var matchList = matches as ArrayValue ?? [matches];
            foreach (var match in matchList)
            {
                var update = Evaluate(expr.Update!, match, env);
                if (update is not null)
                {
                    if (update is not ObjectValue updateObject)
                    {
                        throw new JsonataException("T2011", "The insert/update clause of the transform expression must evaluate to an object",
                            expr.Update!.Position, value: update);
                    }

                    if (match is ObjectValue target)
                    {
                        foreach (var pair in updateObject)
                        {
                            target[pair.Key] = pair.Value;
                        }
                    }
                }

                if (expr.Delete is not null)
                {
                    var deletions = Evaluate(expr.Delete, match, env);
                    if (deletions is not null)
                    {
                        var list = deletions as ArrayValue ?? [deletions];
                        if (!Semantics.IsArrayOfStrings(list))
                        {
                            throw new JsonataException("T2012", "The delete clause of the transform expression must evaluate to a string or array of strings",
                                expr.Delete.Position, value: deletions);
                        }

                        if (match is ObjectValue target)
                        {
                            foreach (var key in list)
                            {
                                target.RemoveKeepingOrder((string)key!);
                            }
                        }
                    }
                }
            }

            return result;
        })
        { Signature = TransformSignature };
    }
}
