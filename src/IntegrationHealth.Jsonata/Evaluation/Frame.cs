using IntegrationHealth.Jsonata.Functions;

namespace IntegrationHealth.Jsonata.Evaluation;

/// <summary>
/// A scope of variable bindings. Lookups walk outwards and end at the built-in function library. Most frames hold
/// one to three bindings (lambda parameters, tuple bindings), so they are kept in small arrays and only a frame
/// with many bindings switches to a dictionary.
/// </summary>
internal sealed class Frame
{
    private const int InlineLimit = 8;

    private readonly Frame? _parent;
    private string[]? _names;
    private object?[]? _values;
    private int _count;
    private Dictionary<string, object?>? _map;

    public Frame(EvaluationContext context, Frame? parent)
    {
        Context = context;
        _parent = parent;
    }

    public Frame(Frame parent) : this(parent.Context, parent)
    {
    }

    public EvaluationContext Context { get; }

    public void Bind(string name, object? value)
    {
        if (_map is not null)
        {
            _map[name] = value;
            return;
        }

        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_names![i], name, StringComparison.Ordinal))
            {
                _values![i] = value;
                return;
            }
        }

        if (_count == InlineLimit)
        {
            _map = new Dictionary<string, object?>(InlineLimit * 2, StringComparer.Ordinal);
            for (var i = 0; i < _count; i++)
            {
                _map[_names![i]] = _values![i];
            }

            _map[name] = value;
            _names = null;
            _values = null;
            return;
        }

        if (_names is null || _count == _names.Length)
        {
            var capacity = _names is null ? 2 : _names.Length * 2;
            Array.Resize(ref _names, capacity);
            Array.Resize(ref _values, capacity);
        }

        _names[_count] = name;
        _values![_count] = value;
        _count++;
    }

    public object? Lookup(string name)
    {
        for (var frame = this; frame is not null; frame = frame._parent)
        {
            if (frame._map is not null)
            {
                if (frame._map.TryGetValue(name, out var value))
                {
                    return value;
                }

                continue;
            }

            var names = frame._names;
            for (var i = 0; i < frame._count; i++)
            {
                var candidate = names![i];
                if (ReferenceEquals(candidate, name) || string.Equals(candidate, name, StringComparison.Ordinal))
                {
                    return frame._values![i];
                }
            }
        }

        return BuiltinLibrary.Lookup(name);
    }
}
