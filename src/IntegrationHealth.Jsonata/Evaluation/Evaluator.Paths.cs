using IntegrationHealth.Jsonata.Parsing;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Evaluation;

internal static partial class Evaluator
{
    private static object? EvaluatePath(Node expr, object? input, Frame env)
    {
        if (expr.SimpleName is { } name && input is not ArrayValue)
        {
            // A plain field of a single context value: the general algorithm would wrap, map and flatten one item.
            var context = env.Context;
            context.Enter();
            var value = input is ObjectValue obj && obj.TryGetValue(name, out var v) ? v : null;
            context.Depth--;
            if (value is not ArrayValue { IsSequence: true })
            {
                return value;
            }
        }

        if (expr.SimpleSteps && TryEvaluateChain(expr.Steps!, input, env, out var chained))
        {
            return chained;
        }

        var steps = expr.Steps!;
        object? inputSequence = input is ArrayValue inputArray && steps[0].Type != NodeType.Variable
            ? inputArray
            : ArrayValue.Sequence(input);

        object? resultSequence = null;
        var isTupleStream = false;
        ArrayValue? tupleBindings = null;

        for (var ii = 0; ii < steps.Count; ii++)
        {
            var step = steps[ii];
            if (step.Tuple)
            {
                isTupleStream = true;
            }

            if (ii == 0 && step.ConsArray)
            {
                resultSequence = Evaluate(step, inputSequence, env);
            }
            else if (isTupleStream)
            {
                tupleBindings = EvaluateTupleStep(step, inputSequence as ArrayValue, tupleBindings, env);
            }
            else
            {
                resultSequence = EvaluateStep(step, inputSequence as ArrayValue, env, ii == steps.Count - 1);
            }

            if (!isTupleStream && (resultSequence is null || resultSequence is ArrayValue { Count: 0 }))
            {
                break;
            }

            if (step.Focus is null)
            {
                inputSequence = resultSequence;
            }
        }

        if (isTupleStream)
        {
            if (expr.Tuple)
            {
                resultSequence = tupleBindings;
            }
            else
            {
                var plain = ArrayValue.Sequence();
                if (tupleBindings is not null)
                {
                    foreach (var t in tupleBindings)
                    {
                        plain.Add(((TupleBinding)t!).Context);
                    }
                }

                resultSequence = plain;
            }
        }

        if (expr.KeepSingletonArray)
        {
            if (resultSequence is ArrayValue { IsConstructed: true, IsSequence: false } cons)
            {
                resultSequence = ArrayValue.Sequence(cons);
            }

            if (resultSequence is ArrayValue keep)
            {
                keep.KeepSingleton = true;
            }
        }

        if (expr.Group is { } group)
        {
            resultSequence = EvaluateGroup(group.Pairs, group.Position, isTupleStream ? tupleBindings : resultSequence, env, group.ConstantKeys);
        }

        return resultSequence;
    }

    /// <summary>
    /// A path of plain field steps (<see cref="Node.SimpleSteps"/>) over single values: each step looks the field up in
    /// the previous value, which is what the general algorithm computes through one-item sequences, without building
    /// them. False as soon as a value is an array (mapping and flattening apply): the caller then evaluates the path the
    /// general way, from the start (the lookups done here have no effects).
    /// </summary>
    private static bool TryEvaluateChain(List<Node> steps, object? input, Frame env, out object? result)
    {
        var context = env.Context;
        var value = input;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            context.Enter();
            if (step.Type == NodeType.Variable)
            {
                value = EvaluateVariable(step, input, env);
            }
            else if (value is ArrayValue)
            {
                context.Depth--;
                result = null;
                return false;
            }
            else
            {
                value = value is ObjectValue obj && obj.TryGetValue((string)step.Value!, out var field) ? field : null;
            }

            context.Depth--;
            if (value is null)
            {
                break;
            }

            if (value is ArrayValue)
            {
                result = null;
                return false;
            }
        }

        result = value;
        return true;
    }

    private static Frame CreateFrameFromTuple(Frame env, TupleBinding tuple)
    {
        var frame = new Frame(env);
        foreach (var pair in tuple)
        {
            frame.Bind(pair.Key, pair.Value);
        }

        return frame;
    }

    private static object? EvaluateStep(Node step, ArrayValue? input, Frame env, bool lastStep)
    {
        if (step.Type == NodeType.Sort)
        {
            object? sorted = EvaluateSort(step, input ?? ArrayValue.Sequence(), env);
            if (step.Stages is not null)
            {
                sorted = EvaluateStages(step.Stages, sorted, env);
            }

            return sorted;
        }

        var count = input?.Count ?? 0;
        var result = new ArrayValue(count);
        for (var ii = 0; ii < count; ii++)
        {
            var res = Evaluate(step, input![ii], env);
            if (step.Stages is { } stages)
            {
                foreach (var stage in stages)
                {
                    res = EvaluateFilter(stage.Expression!, res, env);
                }
            }

            if (res is not null)
            {
                result.Add(res);
            }
        }

        if (lastStep && result.Count == 1 && result[0] is ArrayValue { IsSequence: false } single)
        {
            return single;
        }

        var resultSequence = new ArrayValue(result.Count) { IsSequence = true };
        foreach (var res in result)
        {
            if (res is ArrayValue arr && !arr.IsConstructed)
            {
                resultSequence.AddRange(arr);
            }
            else
            {
                resultSequence.Add(res);
            }
        }

        return resultSequence;
    }

    private static object? EvaluateStages(List<Stage> stages, object? input, Frame env)
    {
        var result = input;
        foreach (var stage in stages)
        {
            if (stage.IsIndex)
            {
                if (result is ArrayValue arr)
                {
                    for (var ee = 0; ee < arr.Count; ee++)
                    {
                        if (arr[ee] is TupleBinding tuple)
                        {
                            tuple[stage.IndexVariable!] = (double)ee;
                        }
                    }
                }
            }
            else
            {
                result = EvaluateFilter(stage.Expression!, result, env);
            }
        }

        return result;
    }

    private static ArrayValue? EvaluateTupleStep(Node step, ArrayValue? input, ArrayValue? tupleBindings, Frame env)
    {
        if (step.Type == NodeType.Sort)
        {
            object? sortedResult;
            if (tupleBindings is not null)
            {
                sortedResult = EvaluateSort(step, tupleBindings, env);
            }
            else
            {
                var sorted = EvaluateSort(step, input ?? ArrayValue.Sequence(), env);
                var stream = new ArrayValue(sorted.Count) { IsSequence = true, TupleStream = true };
                for (var ss = 0; ss < sorted.Count; ss++)
                {
                    var tuple = new TupleBinding { [TupleBinding.ContextKey] = sorted[ss] };
                    if (step.IndexVariable is not null)
                    {
                        tuple[step.IndexVariable] = (double)ss;
                    }

                    stream.Add(tuple);
                }

                sortedResult = stream;
            }

            if (step.Stages is not null)
            {
                sortedResult = EvaluateStages(step.Stages, sortedResult, env);
            }

            return sortedResult as ArrayValue;
        }

        var result = new ArrayValue { IsSequence = true, TupleStream = true };
        if (tupleBindings is null)
        {
            tupleBindings = new ArrayValue(input?.Count ?? 0);
            if (input is not null)
            {
                foreach (var item in input)
                {
                    tupleBindings.Add(new TupleBinding { [TupleBinding.ContextKey] = item });
                }
            }
        }

        foreach (var binding in tupleBindings)
        {
            var tupleIn = (TupleBinding)binding!;
            var stepEnv = CreateFrameFromTuple(env, tupleIn);
            var res = Evaluate(step, tupleIn.Context, stepEnv);
            if (res is null)
            {
                continue;
            }

            var resArray = res as ArrayValue;
            var count = resArray?.Count ?? 1;
            for (var bb = 0; bb < count; bb++)
            {
                var tuple = new TupleBinding(tupleIn);
                var item = resArray is null ? res : resArray[bb];
                if (resArray is { TupleStream: true } && item is TupleBinding inner)
                {
                    foreach (var pair in inner)
                    {
                        tuple[pair.Key] = pair.Value;
                    }
                }
                else
                {
                    if (step.Focus is not null)
                    {
                        tuple[step.Focus] = item;
                        tuple[TupleBinding.ContextKey] = tupleIn.Context;
                    }
                    else
                    {
                        tuple[TupleBinding.ContextKey] = item;
                    }

                    if (step.IndexVariable is not null)
                    {
                        tuple[step.IndexVariable] = (double)bb;
                    }

                    if (step.Ancestor is not null)
                    {
                        tuple[step.Ancestor.Label] = tupleIn.Context;
                    }
                }

                result.Add(tuple);
            }
        }

        if (step.Stages is not null)
        {
            return EvaluateStages(step.Stages, result, env) as ArrayValue;
        }

        return result;
    }

    private static object? EvaluateFilter(Node predicate, object? input, Frame env)
    {
        var results = ArrayValue.Sequence();
        var inputArray = input as ArrayValue;
        if (inputArray is { TupleStream: true })
        {
            results.TupleStream = true;
        }

        inputArray ??= ArrayValue.Sequence(input);

        if (predicate.Type == NodeType.Number)
        {
            var index = (int)Math.Floor((double)predicate.Value!);
            if (index < 0)
            {
                index = inputArray.Count + index;
            }

            var item = index >= 0 && index < inputArray.Count ? inputArray[index] : null;
            if (item is not null)
            {
                if (item is ArrayValue itemArray)
                {
                    return itemArray;
                }

                results.Add(item);
            }

            return results;
        }

        for (var index = 0; index < inputArray.Count; index++)
        {
            var item = inputArray[index];
            var context = item;
            var itemEnv = env;
            if (inputArray.TupleStream && item is TupleBinding tuple)
            {
                context = tuple.Context;
                itemEnv = CreateFrameFromTuple(env, tuple);
            }

            var res = Evaluate(predicate, context, itemEnv);
            if (Semantics.IsNumeric(res))
            {
                var ii = (int)Math.Floor((double)res!);
                if (ii < 0)
                {
                    ii = inputArray.Count + ii;
                }

                if (ii == index)
                {
                    results.Add(item);
                }
            }
            else if (Semantics.IsArrayOfNumbers(res))
            {
                foreach (var n in (ArrayValue)res!)
                {
                    var ii = (int)Math.Floor((double)n!);
                    if (ii < 0)
                    {
                        ii = inputArray.Count + ii;
                    }

                    if (ii == index)
                    {
                        results.Add(item);
                    }
                }
            }
            else if (Semantics.IsTruthy(res))
            {
                results.Add(item);
            }
        }

        return results;
    }
}
