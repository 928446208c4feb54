using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Values;

/// <summary>
/// The lazy view of an input object. While lazy, the key and value arrays hold the objects and arrays looked up so far,
/// each converted once (scalars are read from the source on each lookup), so a lookup costs a search of the source
/// object and the rest of the object is never read. Anything that needs the whole object (its size, order, enumeration or a
/// change) materializes it: every member in document order, reusing the values already handed out so identity holds.
/// A lazy object belongs to one evaluation (results and errors are materialized before they leave it), which is why it
/// needs no locking.
/// </summary>
internal sealed partial class ObjectValue
{
    private JsonElement _sourceElement;
    private JsonObject? _sourceNode;
    private bool _lazy;

    private ObjectValue(JsonElement source)
    {
        _keys = [];
        _values = [];
        _sourceElement = source;
        _lazy = true;
    }

    private ObjectValue(JsonObject source)
    {
        _keys = [];
        _values = [];
        _sourceNode = source;
        _lazy = true;
    }

    /// <summary>A lazy view of a JSON object element (which must stay readable while the evaluation runs).</summary>
    public static ObjectValue Over(JsonElement source) => new(source);

    /// <summary>A lazy view of a JSON object node. A case-insensitive node is converted at once: its lookups would
    /// not be JSONata's exact-match ones.</summary>
    public static ObjectValue Over(JsonObject source)
    {
        var view = new ObjectValue(source);
        if (source.Options is { PropertyNameCaseInsensitive: true })
        {
            view.EnsureMaterialized();
        }

        return view;
    }

    /// <summary>True while members are still read from the source object on demand.</summary>
    public bool IsLazy => _lazy;

    /// <summary>True when the object has at least one member; a lazy view answers from its source (truthiness
    /// should not convert the whole object).</summary>
    public bool HasMembers => !_lazy ? _count > 0 : _sourceNode is null ? _sourceElement.GetPropertyCount() > 0 : _sourceNode.Count > 0;

    private void EnsureMaterialized()
    {
        if (_lazy)
        {
            Materialize();
        }
    }

    private bool TryGetLazy(string key, out object? value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            value = _values[i];
            return true;
        }

        bool found;
        if (_sourceNode is null)
        {
            // Matches the last of duplicate keys, as JSON.parse keeps the last value.
            found = _sourceElement.TryGetProperty(key, out var element);
            value = found ? LazyJson.FromElement(element) : null;
        }
        else
        {
            found = _sourceNode.TryGetPropertyValue(key, out var node);
            value = found ? LazyJson.FromNode(node) : null;
        }

        // Only containers are remembered: their identity must hold (materializing reuses them) and converting an array
        // again would cost a view per item. A scalar is read again on a second lookup, which costs less than the memo's
        // arrays would for the usual single read (a filter over a large array reads one field per item).
        if (value is ObjectValue or ArrayValue)
        {
            Append(key, value);
        }

        return found;
    }

    private void Materialize()
    {
        var memoKeys = _keys;
        var memoValues = _values;
        var memoCount = _count;
        _lazy = false;
        _count = 0;
        _index = null;
        if (_sourceNode is null)
        {
            var source = _sourceElement;
            _sourceElement = default;
            var size = source.GetPropertyCount();
            _keys = new string[Math.Max(size, 1)];
            _values = new object?[Math.Max(size, 1)];
            var memo = new MemoLookup(memoKeys, memoValues, memoCount);
            foreach (var property in source.EnumerateObject())
            {
                var name = property.Name;
                var value = memo.TryGet(name, out var known) ? known : LazyJson.FromElement(property.Value);

                // this[] semantics: a duplicate key keeps its first position and takes the last value, as JSON.parse.
                SetMaterialized(name, value);
            }
        }
        else
        {
            var source = _sourceNode;
            _sourceNode = null;
            _keys = new string[Math.Max(source.Count, 1)];
            _values = new object?[Math.Max(source.Count, 1)];
            var memo = new MemoLookup(memoKeys, memoValues, memoCount);
            foreach (var (name, node) in source)
            {
                var value = memo.TryGet(name, out var known) ? known : LazyJson.FromNode(node);
                SetMaterialized(name, value);
            }
        }
    }

    private void SetMaterialized(string key, object? value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            _values[i] = value;
        }
        else
        {
            Append(key, value);
        }
    }

    /// <summary>The members looked up before materialization; a map once there are many, so materializing stays linear.</summary>
    private readonly struct MemoLookup
    {
        private readonly string[] _keys;
        private readonly object?[] _values;
        private readonly int _count;
        private readonly Dictionary<string, object?>? _map;

        public MemoLookup(string[] keys, object?[] values, int count)
        {
            _keys = keys;
            _values = values;
            _count = count;
            if (count > 16)
            {
                _map = new Dictionary<string, object?>(count, StringComparer.Ordinal);
                for (var i = 0; i < count; i++)
                {
                    _map[keys[i]] = values[i];
                }
            }
        }

        public bool TryGet(string key, out object? value)
        {
            if (_map is not null)
            {
                return _map.TryGetValue(key, out value);
            }

            for (var i = 0; i < _count; i++)
            {
                if (string.Equals(_keys[i], key, StringComparison.Ordinal))
                {
                    value = _values[i];
                    return true;
                }
            }

            value = null;
            return false;
        }
    }
}
