namespace IntegrationHealth.Jsonata.Values;

/// <summary>A JSON object. Keys keep insertion order, as JavaScript objects do for non-numeric keys.</summary>
internal sealed class ObjectValue : Dictionary<string, object?>
{
    public ObjectValue() : base(StringComparer.Ordinal)
    {
    }

    public ObjectValue(int capacity) : base(capacity, StringComparer.Ordinal)
    {
    }

    /// <summary>Removes a key while keeping the order of the remaining keys stable for later insertions
    /// (a plain <see cref="Dictionary{TKey,TValue}"/> would reuse the freed slot).</summary>
    public void RemoveKeepingOrder(string key)
    {
        if (!ContainsKey(key))
        {
            return;
        }

        var rest = new List<KeyValuePair<string, object?>>(Count - 1);
        foreach (var pair in this)
        {
            if (!string.Equals(pair.Key, key, StringComparison.Ordinal))
            {
                rest.Add(pair);
            }
        }

        Clear();
        foreach (var pair in rest)
        {
            Add(pair.Key, pair.Value);
        }
    }
}

/// <summary>One tuple of a tuple stream: the context value under <c>@</c> plus focus, index and ancestor bindings.</summary>
internal sealed class TupleBinding : Dictionary<string, object?>
{
    public const string ContextKey = "@";

    public TupleBinding() : base(StringComparer.Ordinal)
    {
    }

    public TupleBinding(TupleBinding other) : base(other, StringComparer.Ordinal)
    {
    }

    public object? Context => TryGetValue(ContextKey, out var v) ? v : null;
}

/// <summary>The JSON value null (C# <c>null</c> is reserved for "undefined", JSONata's absence of a value).</summary>
internal sealed class NullValue
{
    public static readonly NullValue Instance = new();

    private NullValue()
    {
    }

    public override string ToString() => "null";
}
