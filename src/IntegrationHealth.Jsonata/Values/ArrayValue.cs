namespace IntegrationHealth.Jsonata.Values;

/// <summary>
/// A JSON array or a JSONata sequence. Sequences are the evaluator's result lists: they are flattened into
/// enclosing paths and unwrapped when they hold a single value, whereas JSON arrays from the input or from an
/// array constructor keep their shape.
/// </summary>
internal sealed class ArrayValue : List<object?>
{
    public ArrayValue()
    {
    }

    public ArrayValue(int capacity) : base(capacity)
    {
    }

    public ArrayValue(IEnumerable<object?> items) : base(items)
    {
    }

    /// <summary>True for a JSONata result sequence (as opposed to a JSON array value).</summary>
    public bool IsSequence { get; set; }

    /// <summary>The sequence must stay an array even when it holds one value (the <c>[]</c> keep-array suffix).</summary>
    public bool KeepSingleton { get; set; }

    /// <summary>The array was built by an array constructor <c>[...]</c>, so paths must not flatten it.</summary>
    public bool IsConstructed { get; set; }

    /// <summary>The whole input document was an array, wrapped so that it is treated as one context value.</summary>
    public bool OuterWrapper { get; set; }

    /// <summary>The sequence carries tuples (focus/index/ancestor bindings) instead of plain values.</summary>
    public bool TupleStream { get; set; }

    public static ArrayValue Sequence() => new() { IsSequence = true };

    public static ArrayValue Sequence(object? single)
    {
        var s = new ArrayValue(1) { IsSequence = true };
        s.Add(single);
        return s;
    }
}
