using IntegrationHealth.Jsonata.Parsing;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Evaluation;

/// <summary>Object constructors and group-by: grouping a sequence (or tuple stream) by key expressions.</summary>
internal static partial class Evaluator
{
    private static ObjectValue EvaluateGroup(List<(Node Key, Node Value)> pairs, int position, object? input, Frame env,
        string[]? constantKeys)
    {
        var result = new ObjectValue(pairs.Count);
        var inputArray = input as ArrayValue;
        var reduce = inputArray is { TupleStream: true };
        if (inputArray is null)
        {
            inputArray = ArrayValue.Sequence(input);
        }
        else if (inputArray.Count == 0 && !reduce)
        {
            // An empty input still yields one (undefined) item so that literal objects are generated.
            inputArray = ArrayValue.Sequence(null);
        }

        if (pairs.Count == 0)
        {
            return result;
        }

        // Fast path: one item and no tuples - no grouping bookkeeping needed.
        if (inputArray.Count == 1 && !reduce)
        {
            var item = inputArray[0];
            if (constantKeys is not null)
            {
                for (var pairIndex = 0; pairIndex < pairs.Count; pairIndex++)
                {
                    var value = Evaluate(pairs[pairIndex].Value, item, env);
                    if (value is not null)
                    {
                        result.AppendUnchecked(constantKeys[pairIndex], value);
                    }
                }

                return result;
            }

            Dictionary<string, int>? seen = null;
            for (var pairIndex = 0; pairIndex < pairs.Count; pairIndex++)
            {
                var key = GroupKey(pairs[pairIndex].Key, item, env, position);
                if (key is null)
                {
                    continue;
                }

                seen ??= new Dictionary<string, int>(pairs.Count, StringComparer.Ordinal);
                if (seen.TryGetValue(key, out var previous))
                {
                    if (previous != pairIndex)
                    {
                        throw new JsonataException("D1009", "Multiple key definitions evaluate to same key", position, value: key);
                    }

                    // Same key from the same pair with one item: value is evaluated once.
                    continue;
                }

                seen[key] = pairIndex;
            }

            if (seen is not null)
            {
                foreach (var (key, pairIndex) in seen)
                {
                    var value = Evaluate(pairs[pairIndex].Value, item, env);
                    if (value is not null)
                    {
                        result[key] = value;
                    }
                }
            }

            return result;
        }

        var groups = new Dictionary<string, GroupEntry>(StringComparer.Ordinal);
        foreach (var item in inputArray)
        {
            var itemEnv = reduce ? CreateFrameFromTuple(env, (TupleBinding)item!) : env;
            var context = reduce ? ((TupleBinding)item!).Context : item;
            for (var pairIndex = 0; pairIndex < pairs.Count; pairIndex++)
            {
                var key = GroupKey(pairs[pairIndex].Key, context, itemEnv, position);
                if (key is null)
                {
                    continue;
                }

                if (groups.TryGetValue(key, out var entry))
                {
                    if (entry.ExprIndex != pairIndex)
                    {
                        throw new JsonataException("D1009", "Multiple key definitions evaluate to same key", position, value: key);
                    }

                    entry.Append(item);
                }
                else
                {
                    groups[key] = new GroupEntry(item, pairIndex);
                }
            }
        }

        foreach (var (key, entry) in groups)
        {
            var context = entry.Data;
            var groupEnv = env;
            if (reduce)
            {
                var tuple = ReduceTupleStream(entry.Data, env.Context);
                context = tuple.Context;
                tuple.Remove(TupleBinding.ContextKey);
                groupEnv = CreateFrameFromTuple(env, tuple);
            }

            var value = Evaluate(pairs[entry.ExprIndex].Value, context, groupEnv);
            if (value is not null)
            {
                result[key] = value;
            }
        }

        return result;
    }

    /// <summary>
    /// The items grouped under one key. Equivalent to jsonata's repeated <c>append(data, item)</c> but appends in
    /// place once the list is our own, so grouping n items is linear rather than quadratic.
    /// </summary>
    private sealed class GroupEntry(object? first, int exprIndex)
    {
        private ArrayValue? _owned;

        public int ExprIndex { get; } = exprIndex;

        public object? Data { get; private set; } = first;

        public void Append(object? item)
        {
            if (item is null)
            {
                return;
            }

            if (_owned is null)
            {
                if (Data is null)
                {
                    Data = item;
                    return;
                }

                _owned = new ArrayValue();
                AddFlattened(_owned, Data);
                Data = _owned;
            }

            AddFlattened(_owned, item);
        }

        private static void AddFlattened(ArrayValue target, object? value)
        {
            if (value is ArrayValue arr)
            {
                target.AddRange(arr);
            }
            else
            {
                target.Add(value);
            }
        }
    }

    private static string? GroupKey(Node keyExpr, object? item, Frame env, int position)
    {
        var key = Evaluate(keyExpr, item, env);
        if (key is null)
        {
            return null;
        }

        if (key is not string s)
        {
            throw new JsonataException("T1003", "Key in object structure must evaluate to a string", position, value: key);
        }

        return s;
    }

    private static TupleBinding ReduceTupleStream(object? tupleStream, EvaluationContext context)
    {
        if (tupleStream is not ArrayValue stream)
        {
            return (TupleBinding)tupleStream!;
        }

        var result = new TupleBinding((TupleBinding)stream[0]!);
        for (var ii = 1; ii < stream.Count; ii++)
        {
            // Each append copies, as in jsonata-js: quadratic in the group's size, so counted against the deadline.
            context.Work(ii);
            foreach (var pair in (TupleBinding)stream[ii]!)
            {
                result[pair.Key] = Semantics.Append(result.TryGetValue(pair.Key, out var existing) ? existing : null, pair.Value);
            }
        }

        return result;
    }
}
