using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using IntegrationHealth.Jsonata.Parsing;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Evaluation;

/// <summary>
/// Tree-walking evaluator with jsonata-js semantics. Every call of <see cref="Evaluate"/> is one evaluation step
/// for the depth limit, mirroring the reference implementation's entry/exit hooks, so depth-limited cases fail at
/// the same nesting as they do there. C# <c>null</c> is "undefined"; JSON null is <see cref="NullValue"/>.
/// </summary>
internal static partial class Evaluator
{
    /// <summary>
    /// Stack size of a helper thread used when the caller's stack runs low. With <see cref="MaxStackHops"/> it bounds
    /// the stack an evaluation adds to its caller's to 64 MB: about 24,000 levels of non-tail recursion when the depth
    /// limit is off. The bound is kept that low on purpose: every garbage collection walks every frame of every stack
    /// (about a microsecond per frame on a busy machine), so with deeper stacks GC pauses, not the evaluation's
    /// timeout, would decide when a deep evaluation ends.
    /// </summary>
    private const int FreshStackSize = 16 * 1024 * 1024;

    private const int MaxStackHops = 4;

    /// <summary>
    /// Depth limits above this run the whole evaluation on a fresh stack from the start, so the caller's own stack stays
    /// shallow: a sandbox error that ends a deep evaluation is thrown there, and unwinding a deep caller stack would
    /// first allocate an exception stack trace large enough for full garbage collections, which walk every frame of the
    /// deeper stacks too. Up to this limit (the default) the caller's stack holds at most about 3,000 frames.
    /// </summary>
    public const int CallerStackDepthLimit = 1000;

    /// <summary>How often a thread waiting for a deeper stack looks at the deadline and for a sandbox error.</summary>
    private const int HopPollMilliseconds = 5;

    public static object? Evaluate(Node expr, object? input, Frame env)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return EvaluateOnFreshStack(expr, input, env);
        }

        var context = env.Context;
        context.Enter();
        object? result;
        switch (expr.Type)
        {
            case NodeType.Path:
                result = EvaluatePath(expr, input, env);
                break;
            case NodeType.Binary:
                result = EvaluateBinary(expr, input, env);
                break;
            case NodeType.Unary:
                result = EvaluateUnary(expr, input, env);
                break;
            case NodeType.Name:
                result = Lookup(input, (string)expr.Value!, context);
                break;
            case NodeType.String:
            case NodeType.Number:
                result = expr.Value;
                break;
            case NodeType.Value:
                result = expr.Value ?? NullValue.Instance;
                break;
            case NodeType.Wildcard:
                result = EvaluateWildcard(input, context);
                break;
            case NodeType.Descendant:
                result = EvaluateDescendants(input, context);
                break;
            case NodeType.Parent:
                result = env.Lookup(expr.Slot!.Label);
                break;
            case NodeType.Condition:
                result = EvaluateCondition(expr, input, env);
                break;
            case NodeType.Block:
                result = EvaluateBlock(expr, input, env);
                break;
            case NodeType.Bind:
                result = Evaluate(expr.Rhs!, input, env);
                env.Bind((string)expr.Lhs!.Value!, result);
                break;
            case NodeType.Regex:
                result = RegexMatcher.Create(expr.Regex!, expr.Position);
                break;
            case NodeType.Function:
                result = EvaluateFunction(expr, input, env, false, null);
                break;
            case NodeType.Variable:
                result = EvaluateVariable(expr, input, env);
                break;
            case NodeType.Lambda:
                result = EvaluateLambda(expr, input, env);
                break;
            case NodeType.Partial:
                result = EvaluatePartialApplication(expr, input, env);
                break;
            case NodeType.Apply:
                result = EvaluateApplyExpression(expr, input, env);
                break;
            case NodeType.Transform:
                result = CreateTransformer(expr, env);
                break;
            default:
                result = null;
                break;
        }

        if (expr.Predicate is { } predicates)
        {
            foreach (var stage in predicates)
            {
                result = EvaluateFilter(stage.Expression!, result, env);
            }
        }

        if (expr.Type != NodeType.Path && expr.Group is { } group)
        {
            result = EvaluateGroup(group.Pairs, group.Position, result, env, group.ConstantKeys);
        }

        context.Depth--;

        if (result is ArrayValue { IsSequence: true, TupleStream: false } sequence)
        {
            if (expr.KeepArray)
            {
                sequence.KeepSingleton = true;
            }

            if (sequence.Count == 0)
            {
                result = null;
            }
            else if (sequence.Count == 1)
            {
                result = sequence.KeepSingleton ? sequence : sequence[0];
            }
        }

        return result;
    }

    /// <summary>
    /// Continues a deep evaluation on a new thread with a large stack instead of overflowing this one. The wait ends
    /// early at the deadline or at a sandbox error raised on any deeper stack: those end the evaluation, and unwinding
    /// a deep stack (about a microsecond per frame) would otherwise keep the caller waiting for seconds. An abandoned
    /// thread stops at its next step (the deadline or the error stands) and unwinds on its own.
    /// </summary>
    public static object? EvaluateOnFreshStack(Node expr, object? input, Frame env)
    {
        var context = env.Context;
        if (context.StackHops >= MaxStackHops)
        {
            throw context.Abort(new JsonataException("U1001", "Stack overflow: the expression recurses too deeply for the available stack."));
        }

        context.StackHops++;
        context.PrepareForFreshStacks();
        object? result = null;
        ExceptionDispatchInfo? failure = null;
        context.LeaveThread();
        var thread = new Thread(() =>
        {
            context.EnterThread();
            try
            {
                result = Evaluate(expr, input, env);
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                context.LeaveThread();
            }
        }, FreshStackSize)
        {
            IsBackground = true,
            Name = "jsonata-deep-evaluation",
        };
        thread.Start();
        while (!thread.Join(HopPollMilliseconds))
        {
            if (context.Fatal is { } fatal)
            {
                // A copy: the original may still be on its way up another thread's stack.
                context.AwaitRelease();
                throw new JsonataException(fatal.Code, fatal.Message);
            }

            context.CheckTime();
        }

        context.EnterThread();
        context.StackHops--;
        failure?.Throw();
        return result;
    }

    private static object? EvaluateVariable(Node expr, object? input, Frame env)
    {
        var name = (string)expr.Value!;
        if (name.Length == 0)
        {
            return input is ArrayValue { OuterWrapper: true } wrapped ? wrapped[0] : input;
        }

        return env.Lookup(name);
    }

    private static object? EvaluateCondition(Node expr, object? input, Frame env)
    {
        var condition = Evaluate(expr.Condition!, input, env);
        if (Semantics.IsTruthy(condition))
        {
            return Evaluate(expr.Then!, input, env);
        }

        return expr.Else is not null ? Evaluate(expr.Else, input, env) : null;
    }

    private static object? EvaluateBlock(Node expr, object? input, Frame env)
    {
        var frame = new Frame(env);
        object? result = null;
        foreach (var e in expr.Expressions!)
        {
            result = Evaluate(e, input, frame);
        }

        return result;
    }

    /// <summary>jsonata's <c>$lookup</c>: a field of an object, or the flattened fields of every object in an array.</summary>
    public static object? Lookup(object? input, string key, EvaluationContext context)
    {
        if (input is ArrayValue arr)
        {
            var result = ArrayValue.Sequence();
            context.Work(arr.Count);
            foreach (var item in arr)
            {
                var res = Lookup(item, key, context);
                if (res is ArrayValue resArr)
                {
                    result.AddRange(resArr);
                }
                else if (res is not null)
                {
                    result.Add(res);
                }
            }

            context.CheckSize(result.Count);
            return result;
        }

        if (input is ObjectValue obj && obj.TryGetValue(key, out var value))
        {
            return value;
        }

        return null;
    }

    private static object? EvaluateWildcard(object? input, EvaluationContext context)
    {
        object results = ArrayValue.Sequence();
        if (input is ArrayValue { OuterWrapper: true } wrapped && wrapped.Count > 0)
        {
            input = wrapped[0];
        }

        if (input is ArrayValue items)
        {
            // Object.keys over an array yields its indexes, so the wildcard visits every item.
            foreach (var item in items)
            {
                if (item is ArrayValue nested)
                {
                    var flat = new ArrayValue();
                    Flatten(nested, flat, context);
                    results = AppendInPlace(results, flat);
                }
                else
                {
                    ((ArrayValue)results).Add(item);
                }
            }
        }
        else if (input is ObjectValue obj)
        {
            foreach (var pair in obj)
            {
                if (pair.Value is ArrayValue arr)
                {
                    var flat = new ArrayValue();
                    Flatten(arr, flat, context);
                    results = AppendInPlace(results, flat);
                }
                else
                {
                    ((ArrayValue)results).Add(pair.Value);
                }
            }
        }

        context.CheckSize(((ArrayValue)results).Count);
        return results;
    }

    /// <summary>
    /// jsonata's <c>results = append(results, flat)</c>: JavaScript's concat turns the wildcard's sequence into a plain
    /// array (so a single value is no longer unwrapped), once; after that the array is the wildcard's own, and
    /// appending in place gives the same result without copying it once per item.
    /// </summary>
    private static ArrayValue AppendInPlace(object results, ArrayValue flat)
    {
        var current = (ArrayValue)results;
        if (current.IsSequence)
        {
            current = new ArrayValue(current);
        }

        current.AddRange(flat);
        return current;
    }

    private static void Flatten(object? arg, ArrayValue flattened, EvaluationContext context)
    {
        if (arg is ArrayValue arr)
        {
            context.Work(arr.Count);
            foreach (var item in arr)
            {
                Flatten(item, flattened, context);
            }
        }
        else
        {
            flattened.Add(arg);
        }
    }

    private static object? EvaluateDescendants(object? input, EvaluationContext context)
    {
        if (input is null)
        {
            return null;
        }

        var results = ArrayValue.Sequence();
        RecurseDescendants(input, results, context);
        context.CheckSize(results.Count);
        return results.Count == 1 ? results[0] : results;
    }

    private static void RecurseDescendants(object? input, ArrayValue results, EvaluationContext context)
    {
        context.Work();
        if (input is ArrayValue arr)
        {
            foreach (var member in arr)
            {
                RecurseDescendants(member, results, context);
            }

            return;
        }

        results.Add(input);
        if (input is ObjectValue obj)
        {
            foreach (var pair in obj)
            {
                RecurseDescendants(pair.Value, results, context);
            }
        }
    }
}
