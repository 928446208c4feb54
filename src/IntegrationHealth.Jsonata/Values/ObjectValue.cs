namespace IntegrationHealth.Jsonata.Values;

/// <summary>
/// A JSON object with JavaScript's key order (insertion order, kept through deletions). Keys and values live in
/// two arrays searched linearly, which beats hashing for the small objects typical of API payloads; objects with
/// many keys add a hash index. An object of an input document may be a lazy view (<c>ObjectValue.Lazy.cs</c>):
/// members are read from the document as they are looked up, and everything else first materializes it.
/// </summary>
internal sealed partial class ObjectValue : IEnumerable<KeyValuePair<string, object?>>
{
    private const int IndexThreshold = 12;

    private string[] _keys;
    private object?[] _values;
    private int _count;
    private Dictionary<string, int>? _index;

    public ObjectValue() : this(4)
    {
    }

    public ObjectValue(int capacity)
    {
        capacity = Math.Max(capacity, 1);
        _keys = new string[capacity];
        _values = new object?[capacity];
    }

    public int Count
    {
        get
        {
            EnsureMaterialized();
            return _count;
        }
    }

    public IEnumerable<string> Keys
    {
        get
        {
            EnsureMaterialized();
            for (var i = 0; i < _count; i++)
            {
                yield return _keys[i];
            }
        }
    }

    /// <summary>Key at position <paramref name="i"/> in insertion order.</summary>
    public string KeyAt(int i)
    {
        EnsureMaterialized();
        return _keys[i];
    }

    /// <summary>Value at position <paramref name="i"/> in insertion order.</summary>
    public object? ValueAt(int i)
    {
        EnsureMaterialized();
        return _values[i];
    }

    private int IndexOf(string key)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(key, out var i) ? i : -1;
        }

        var keys = _keys;
        for (var i = 0; i < _count; i++)
        {
            var k = keys[i];
            if (ReferenceEquals(k, key) || (k.Length == key.Length && string.Equals(k, key, StringComparison.Ordinal)))
            {
                return i;
            }
        }

        return -1;
    }

    public bool TryGetValue(string key, out object? value)
    {
        if (_lazy)
        {
            return TryGetLazy(key, out value);
        }

        var i = IndexOf(key);
        if (i < 0)
        {
            value = null;
            return false;
        }

        value = _values[i];
        return true;
    }

    public object? GetValueOrDefault(string key) => TryGetValue(key, out var v) ? v : null;

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public object? this[string key]
    {
        get => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);
        set
        {
            EnsureMaterialized();
            var i = IndexOf(key);
            if (i >= 0)
            {
                _values[i] = value;
                return;
            }

            Append(key, value);
        }
    }

    /// <summary>Adds a key known not to be present yet (used when converting input documents).</summary>
    public void Add(string key, object? value)
    {
        EnsureMaterialized();
        if (IndexOf(key) >= 0)
        {
            throw new ArgumentException($"Duplicate key {key}", nameof(key));
        }

        Append(key, value);
    }

    /// <summary>Adds or replaces without the duplicate check's cost when the caller knows the key is new.</summary>
    internal void AppendUnchecked(string key, object? value)
    {
        EnsureMaterialized();
        Append(key, value);
    }

    private void Append(string key, object? value)
    {
        if (_count == _keys.Length)
        {
            var capacity = Math.Max(4, _count * 2);
            Array.Resize(ref _keys, capacity);
            Array.Resize(ref _values, capacity);
        }

        _keys[_count] = key;
        _values[_count] = value;
        if (_index is not null)
        {
            _index[key] = _count;
        }
        else if (_count + 1 > IndexThreshold)
        {
            _index = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
            for (var i = 0; i <= _count; i++)
            {
                _index[_keys[i]] = i;
            }
        }

        _count++;
    }

    /// <summary>Removes a key, keeping the remaining keys in order.</summary>
    public bool Remove(string key)
    {
        EnsureMaterialized();
        var i = IndexOf(key);
        if (i < 0)
        {
            return false;
        }

        Array.Copy(_keys, i + 1, _keys, i, _count - i - 1);
        Array.Copy(_values, i + 1, _values, i, _count - i - 1);
        _count--;
        _keys[_count] = null!;
        _values[_count] = null;
        if (_index is not null)
        {
            _index.Clear();
            for (var k = 0; k < _count; k++)
            {
                _index[_keys[k]] = k;
            }
        }

        return true;
    }

    public void RemoveKeepingOrder(string key) => Remove(key);

    public Enumerator GetEnumerator()
    {
        EnsureMaterialized();
        return new Enumerator(this);
    }

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator() => GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(ObjectValue owner) : IEnumerator<KeyValuePair<string, object?>>
    {
        private int _position = -1;

        public readonly KeyValuePair<string, object?> Current => new(owner._keys[_position], owner._values[_position]);

        readonly object System.Collections.IEnumerator.Current => Current;

        public bool MoveNext() => ++_position < owner._count;

        public void Reset() => _position = -1;

        public readonly void Dispose()
        {
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
