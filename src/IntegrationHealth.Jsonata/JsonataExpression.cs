using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Jsonata.Evaluation;
using IntegrationHealth.Jsonata.Parsing;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata;

/// <summary>A compiled JSONata expression: compile once, evaluate many times, from any number of threads.</summary>
/// <example>
/// <code>
/// var expr = JsonataExpression.Compile("$sum(orders[status='paid'].amount)");
/// JsonataResult result = expr.Evaluate(JsonNode.Parse(json));
/// </code>
/// </example>
public sealed class JsonataExpression
{
    private static readonly JsonataOptions DefaultOptions = new();
    private readonly Node _ast;

    private JsonataExpression(string source, Node ast)
    {
        Source = source;
        _ast = ast;
    }

    /// <summary>The expression text this was compiled from.</summary>
    public string Source { get; }

    /// <summary>Parses <paramref name="expression"/>; throws <see cref="JsonataException"/> (code <c>S0xxx</c>) on a syntax error.</summary>
    public static JsonataExpression Compile(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new JsonataExpression(expression, Parser.Parse(expression));
    }

    /// <summary>Evaluates against <paramref name="input"/> (a JSON null input is the JSON value null, not "no input").</summary>
    public JsonataResult Evaluate(JsonNode? input, JsonataBindings? bindings = null, JsonataOptions? options = null)
        => Run(JsonConversion.FromNode(input), bindings, options);

    /// <summary>Evaluates against a <see cref="JsonElement"/> input.</summary>
    public JsonataResult Evaluate(JsonElement input, JsonataBindings? bindings = null, JsonataOptions? options = null)
        => Run(JsonConversion.FromElement(input), bindings, options);

    /// <summary>Evaluates with no input at all (the input is undefined, as opposed to JSON null).</summary>
    public JsonataResult EvaluateWithoutInput(JsonataBindings? bindings = null, JsonataOptions? options = null)
        => Run(null, bindings, options);

    private JsonataResult Run(object? input, JsonataBindings? bindings, JsonataOptions? options)
    {
        options ??= DefaultOptions;
        var value = EvaluateValue(input, bindings, options);
        if (value is null)
        {
            return new JsonataResult(true, null);
        }

        var budget = options.MaxOutputSize;
        return new JsonataResult(false, JsonConversion.ToNode(value, ref budget, options.MaxOutputSize));
    }

    /// <summary>Evaluates to the internal value model (undefined is C# null); used by tests and benchmarks.</summary>
    internal object? EvaluateValue(object? input, JsonataBindings? bindings, JsonataOptions options)
    {
        var context = new EvaluationContext(options);
        var root = new Frame(context, null);
        bindings?.ApplyTo(root);
        root.Bind("$", input);
        if (input is ArrayValue { IsSequence: false } array)
        {
            var wrapped = ArrayValue.Sequence(array);
            wrapped.OuterWrapper = true;
            input = wrapped;
        }

        try
        {
            return Evaluator.Evaluate(_ast, input, root);
        }
        catch (InsufficientExecutionStackException ex)
        {
            throw new JsonataException("U1001", "Stack overflow: the expression recurses too deeply.", ex);
        }
    }
}

/// <summary>The result of an evaluation: either undefined (no value) or a JSON value, which may be JSON null.</summary>
public readonly struct JsonataResult
{
    public JsonataResult(bool isUndefined, JsonNode? value)
    {
        IsUndefined = isUndefined;
        Value = value;
    }

    /// <summary>An undefined result (no value).</summary>
    public static JsonataResult Undefined => new(true, null);

    /// <summary>A defined result; <paramref name="value"/> null means JSON null.</summary>
    public static JsonataResult Of(JsonNode? value) => new(false, value);

    /// <summary>True when the expression produced no value (distinct from JSON null).</summary>
    public bool IsUndefined { get; }

    /// <summary>The value; null means JSON null when <see cref="IsUndefined"/> is false.</summary>
    public JsonNode? Value { get; }

    /// <summary>Compact JSON text of the value, or null when undefined.</summary>
    public string? ToJsonString() => IsUndefined ? null : Value is null ? "null" : Value.ToJsonString();
}

/// <summary>Host function callable from an expression as <c>$name(...)</c>. Arguments and result use
/// <see cref="JsonataResult"/> so undefined stays distinct from null.</summary>
public delegate JsonataResult JsonataHostFunction(IReadOnlyList<JsonataResult> arguments);

/// <summary>Variable bindings and host functions visible to an evaluation as <c>$name</c>.
/// Build once and reuse: a bindings object is read-only during evaluation and may be shared by threads.</summary>
public sealed class JsonataBindings
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    /// <summary>Binds <c>$name</c> to a JSON value.</summary>
    public JsonataBindings Add(string name, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        _values[name] = JsonConversion.FromNode(value);
        return this;
    }

    /// <summary>Registers a host function <c>$name</c>, optionally with a JSONata signature such as <c>&lt;s-n?:s&gt;</c>.</summary>
    public JsonataBindings AddFunction(string name, JsonataHostFunction function, string? signature = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(function);
        var parsed = signature is null ? null : Signature.Parse(signature);
        _values[name] = HostFunctionAdapter.Create(name, function, parsed);
        return this;
    }

    /// <summary>Binds an already converted internal value (used by the conformance tests and by $eval-style callers).</summary>
    internal JsonataBindings AddValue(string name, object? value)
    {
        _values[name] = value;
        return this;
    }

    internal void ApplyTo(Frame frame)
    {
        foreach (var pair in _values)
        {
            frame.Bind(pair.Key, pair.Value);
        }
    }
}
