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

    /// <summary>Evaluates against <paramref name="input"/> (a JSON null input is the JSON value null, not "no input").
    /// The node is read lazily: only the members the expression looks up are converted, on each call. Do not change
    /// the node while the evaluation runs.</summary>
    public JsonataResult Evaluate(JsonNode? input, JsonataBindings? bindings = null, JsonataOptions? options = null)
        => Run(LazyJson.FromNode(input), lazyInput: true, bindings, options);

    /// <summary>Evaluates against a <see cref="JsonElement"/> input, read lazily: only the members the expression looks
    /// up are converted, so the cost follows what the expression reads rather than the document's size. The element's
    /// document must not be disposed while the evaluation runs; the result does not depend on it afterwards.</summary>
    public JsonataResult Evaluate(JsonElement input, JsonataBindings? bindings = null, JsonataOptions? options = null)
        => Run(LazyJson.FromElement(input), lazyInput: true, bindings, options);

    /// <summary>
    /// Parses UTF-8 JSON text (a leading byte order mark is skipped) and evaluates against it, reading lazily as
    /// <see cref="Evaluate(JsonElement, JsonataBindings?, JsonataOptions?)"/> does: the one-shot path for a response
    /// just received. The bytes are not copied and must not change during the call. Documents may nest 1,000 levels.
    /// </summary>
    /// <exception cref="JsonException">The bytes are not valid JSON.</exception>
    public JsonataResult EvaluateUtf8(ReadOnlyMemory<byte> utf8Json, JsonataBindings? bindings = null, JsonataOptions? options = null)
    {
        if (utf8Json.Span.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        using var document = JsonDocument.Parse(utf8Json, LazyJson.DocumentOptions);
        return Run(LazyJson.FromElement(document.RootElement), lazyInput: true, bindings, options);
    }

    /// <summary>Evaluates with no input at all (the input is undefined, as opposed to JSON null).</summary>
    public JsonataResult EvaluateWithoutInput(JsonataBindings? bindings = null, JsonataOptions? options = null)
        => Run(null, lazyInput: false, bindings, options);

    /// <summary>Evaluates against an input converted once with <see cref="JsonataInput.From(JsonElement)"/>; use this to
    /// evaluate one large document many times (or from many threads) without re-reading it on every call.</summary>
    public JsonataResult EvaluateInput(JsonataInput input, JsonataBindings? bindings = null, JsonataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Run(input.Value, lazyInput: false, bindings, options);
    }

    private JsonataResult Run(object? input, bool lazyInput, JsonataBindings? bindings, JsonataOptions? options)
    {
        options ??= DefaultOptions;
        object? value;
        try
        {
            value = EvaluateValue(input, bindings, options);
        }
        catch (JsonataException ex) when (lazyInput)
        {
            ex.DetachValues(options.MaxOutputSize);
            throw;
        }

        // A function result (e.g. `$uppercase` or `$distinct($uppercase)`) has no JSON form: JSON.stringify of a
        // jsonata-js function is undefined, so to a JSON-only API it is "no value", not the string "".
        if (value is null or FunctionValue)
        {
            return new JsonataResult(true, null);
        }

        // Counting visits every value of the result, which also materializes the lazy views of the input in it: the
        // result never reads the input again (the caller may dispose the document as soon as this returns).
        JsonConversion.CheckOutputSize(value, options.MaxOutputSize);
        return new JsonataResult(value);
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
            return options.MaxDepth > Evaluator.CallerStackDepthLimit
                ? Evaluator.EvaluateOnFreshStack(_ast, input, root)
                : Evaluator.Evaluate(_ast, input, root);
        }
        catch (InsufficientExecutionStackException ex)
        {
            throw new JsonataException("U1001", "Stack overflow: the expression recurses too deeply.", ex);
        }
        catch (Exception ex) when (ex is InvalidCastException or NullReferenceException or IndexOutOfRangeException
                                       or ArgumentException or FormatException or OverflowException or KeyNotFoundException)
        {
            // Sandbox safety net: an engine defect must surface as an evaluation error, never take the host down.
            throw new JsonataException("U1003", "Internal error while evaluating the expression: " + ex.Message, ex);
        }
        finally
        {
            context.Release();
        }
    }
}

/// <summary>
/// An input document converted once, completely, into the evaluator's own representation. Evaluation never modifies
/// it, so one instance can be evaluated any number of times, by any number of expressions and threads: the cached path,
/// which pays the conversion once instead of the lazy reads of every <c>Evaluate</c> call.
/// </summary>
public sealed class JsonataInput
{
    private JsonataInput(object? value) => Value = value;

    internal object? Value { get; }

    /// <summary>Converts a JSON node (null is the JSON value null). Later changes to the node are not seen.</summary>
    public static JsonataInput From(JsonNode? node) => new(JsonConversion.FromNode(node));

    /// <summary>Converts a JSON element (the whole of it, now; the element's document may be disposed afterwards).</summary>
    public static JsonataInput From(JsonElement element) => new(JsonConversion.FromElement(element));

    /// <summary>No input at all (undefined, as opposed to JSON null).</summary>
    public static JsonataInput None { get; } = new(null);
}

/// <summary>The result of an evaluation: either undefined (no value) or a JSON value, which may be JSON null.</summary>
/// <remarks>Results of <see cref="JsonataExpression"/> build their <see cref="Value"/> node lazily on first access, and
/// <see cref="ToJsonString"/> writes JSON straight from the evaluator's values (JSON.stringify formatting).</remarks>
public readonly struct JsonataResult
{
    private readonly JsonNode? _value;
    private readonly EvaluatedValue? _evaluated;

    public JsonataResult(bool isUndefined, JsonNode? value)
    {
        IsUndefined = isUndefined;
        _value = value;
        _evaluated = null;
    }

    internal JsonataResult(object evaluated)
    {
        IsUndefined = false;
        _value = null;
        _evaluated = new EvaluatedValue(evaluated);
    }

    /// <summary>An undefined result (no value).</summary>
    public static JsonataResult Undefined => new(true, null);

    /// <summary>A defined result; <paramref name="value"/> null means JSON null.</summary>
    public static JsonataResult Of(JsonNode? value) => new(false, value);

    /// <summary>True when the expression produced no value (distinct from JSON null).</summary>
    public bool IsUndefined { get; }

    /// <summary>The value; null means JSON null when <see cref="IsUndefined"/> is false.</summary>
    public JsonNode? Value => _evaluated is null ? _value : _evaluated.Node;

    /// <summary>Compact JSON text of the value, or null when undefined.</summary>
    public string? ToJsonString() =>
        IsUndefined ? null : _evaluated is not null ? _evaluated.Json : _value is null ? "null" : _value.ToJsonString();

    /// <summary>An evaluator value whose JSON node is built once, on demand (safe to share between threads).</summary>
    private sealed class EvaluatedValue(object value)
    {
        private JsonNode? _node;
        private volatile bool _built;

        public JsonNode? Node
        {
            get
            {
                if (!_built)
                {
                    lock (this)
                    {
                        if (!_built)
                        {
                            var budget = long.MaxValue;
                            _node = JsonConversion.ToNode(value, ref budget, long.MaxValue);
                            _built = true;
                        }
                    }
                }

                return _node;
            }
        }

        public string Json => JsonText.Serialize(value);
    }
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

    internal void ApplyTo(Frame frame)
    {
        foreach (var pair in _values)
        {
            frame.Bind(pair.Key, pair.Value);
        }
    }
}
