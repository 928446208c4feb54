using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata;

// CONTRACT STUB written by the lead: the signatures below are the public API other code is written against.
// The evaluator's author replaces the bodies (and may add members), but keeps these signatures.

/// <summary>A compiled JSONata expression: compile once, evaluate many times, from any number of threads.</summary>
public sealed class JsonataExpression
{
    private JsonataExpression(string source) => Source = source;

    /// <summary>The expression text this was compiled from.</summary>
    public string Source { get; }

    /// <summary>Parses <paramref name="expression"/>; throws <see cref="JsonataException"/> (code <c>S0xxx</c>) on a syntax error.</summary>
    public static JsonataExpression Compile(string expression) => throw new NotImplementedException();

    /// <summary>Evaluates against <paramref name="input"/> (a JSON null input is the JSON value null, not "no input").</summary>
    public JsonataResult Evaluate(JsonNode? input, JsonataBindings? bindings = null, JsonataOptions? options = null)
        => throw new NotImplementedException();

    /// <summary>Evaluates against a <see cref="JsonElement"/> input.</summary>
    public JsonataResult Evaluate(JsonElement input, JsonataBindings? bindings = null, JsonataOptions? options = null)
        => throw new NotImplementedException();

    /// <summary>Evaluates with no input at all (the input is undefined, as opposed to JSON null).</summary>
    public JsonataResult EvaluateWithoutInput(JsonataBindings? bindings = null, JsonataOptions? options = null)
        => throw new NotImplementedException();
}

/// <summary>The result of an evaluation: either undefined (no value) or a JSON value, which may be JSON null.</summary>
public readonly struct JsonataResult
{
    public JsonataResult(bool isUndefined, JsonNode? value)
    {
        IsUndefined = isUndefined;
        Value = value;
    }

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

/// <summary>Variable bindings and host functions visible to an evaluation as <c>$name</c>.</summary>
public sealed class JsonataBindings
{
    /// <summary>Binds <c>$name</c> to a JSON value.</summary>
    public JsonataBindings Add(string name, JsonNode? value) => throw new NotImplementedException();

    /// <summary>Registers a host function <c>$name</c>, optionally with a JSONata signature such as <c>&lt;s-n?:s&gt;</c>.</summary>
    public JsonataBindings AddFunction(string name, JsonataHostFunction function, string? signature = null)
        => throw new NotImplementedException();
}

/// <summary>Per-evaluation sandbox limits. Exceeding one raises <see cref="JsonataException"/> with code <c>U1001</c>
/// (output size: <c>U1002</c>); the process never crashes, whatever the expression.</summary>
public sealed record JsonataOptions
{
    /// <summary>Wall-clock budget for one evaluation; null means unlimited.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Maximum nesting of evaluation steps (recursion depth).</summary>
    public int MaxDepth { get; init; } = 1000;

    /// <summary>Maximum number of values (array items + object properties) in the result and intermediate sequences.</summary>
    public long MaxOutputSize { get; init; } = 10_000_000;

    /// <summary>Clock for <c>$now()</c> and <c>$millis()</c>; defaults to the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
