using IntegrationHealth.Jsonata.Functions;

namespace IntegrationHealth.Jsonata.Evaluation;

/// <summary>A scope of variable bindings. Lookups walk outwards and end at the built-in function library.</summary>
internal sealed class Frame
{
    private readonly Frame? _parent;
    private Dictionary<string, object?>? _bindings;

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
        _bindings ??= new Dictionary<string, object?>(4, StringComparer.Ordinal);
        _bindings[name] = value;
    }

    public object? Lookup(string name)
    {
        for (var frame = this; frame is not null; frame = frame._parent)
        {
            if (frame._bindings is not null && frame._bindings.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return BuiltinLibrary.Lookup(name);
    }
}
