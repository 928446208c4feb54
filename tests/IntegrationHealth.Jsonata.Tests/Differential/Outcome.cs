using System.Text.Json;

namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>What one evaluation produced.</summary>
public enum OutcomeKind
{
    /// <summary>A JSON value (possibly JSON null).</summary>
    Value,

    /// <summary>No value (JSONata undefined).</summary>
    Undefined,

    /// <summary>A JSONata error with a code.</summary>
    Error,

    /// <summary>A function (jsonata-js only; JSON cannot carry it).</summary>
    Function,

    /// <summary>Our engine failed in a way JSONata never does: a non-JSONata exception, a hang, or a result that is not JSON.</summary>
    Crash,
}

/// <summary>The outcome of evaluating one case, on either side, in a form that can be compared and printed.</summary>
/// <param name="NonFinite">Reference only: the value contained NaN or ±Infinity, which JSON (and so <see cref="Value"/>) shows as null.</param>
/// <param name="StartedAt">Reference only: when jsonata-js started the evaluation (ms since the epoch), the clock of
/// <c>$now()</c> and of a date a picture leaves out; ours is evaluated with the same clock.</param>
public sealed record Outcome(OutcomeKind Kind, JsonElement? Value = null, string? Code = null, string? Message = null, bool NonFinite = false,
    long? StartedAt = null)
{
    /// <summary>Code run-batch.js reports when jsonata-js failed with a JavaScript exception instead of a JSONata error.</summary>
    public const string ReferenceCrashCode = "JS_ERROR";

    public static Outcome Undefined { get; } = new(OutcomeKind.Undefined);

    /// <summary>True when this reference outcome is a crash of jsonata-js itself.</summary>
    public bool IsReferenceCrash => Kind == OutcomeKind.Error && Code == ReferenceCrashCode;

    public static Outcome Function { get; } = new(OutcomeKind.Function);

    public static Outcome Error(string code, string? message) => new(OutcomeKind.Error, Code: code, Message: message);

    public static Outcome Crash(string message) => new(OutcomeKind.Crash, Message: message);

    public static Outcome Of(JsonElement value) => new(OutcomeKind.Value, value.Clone());

    /// <summary>Reads one entry of run-batch.js's results file.</summary>
    public static Outcome FromReference(JsonElement entry) =>
        Read(entry) with { StartedAt = entry.TryGetProperty("at", out var at) && at.ValueKind == JsonValueKind.Number ? at.GetInt64() : null };

    private static Outcome Read(JsonElement entry)
    {
        if (entry.TryGetProperty("value", out var value))
        {
            return Of(value) with { NonFinite = entry.TryGetProperty("nonFinite", out var nonFinite) && nonFinite.GetBoolean() };
        }
        if (entry.TryGetProperty("undefined", out _)) return Undefined;
        if (entry.TryGetProperty("function", out _)) return Function;
        if (entry.TryGetProperty("code", out var code))
        {
            return Error(code.GetString() ?? "?", entry.TryGetProperty("message", out var m) ? m.GetString() : null);
        }

        return Crash($"unreadable reference result {entry.GetRawText()}");
    }

    /// <summary>Whether <paramref name="ours"/> matches the reference outcome <paramref name="reference"/>;
    /// <paramref name="difference"/> says where they first differ.</summary>
    /// <param name="expression">The expression, when known: with several constructor items, differing error codes are
    /// tolerated (see <see cref="ConstructorScan"/>).</param>
    public static bool Agree(Outcome reference, Outcome ours, out string difference, string? expression = null)
    {
        difference = "";
        // A function result has no JSON form; the nearest our JSON-only API can say is "no value".
        if (reference.Kind == OutcomeKind.Function && ours.Kind == OutcomeKind.Undefined) return true;

        // jsonata-js returned NaN/Infinity, which JSON cannot carry: at the top level, "no value" and null are both
        // faithful renderings for a JSON-only API; nested, the comparison sees null, as JSON.stringify writes it.
        if (reference is { NonFinite: true, Kind: OutcomeKind.Value } && reference.Value!.Value.ValueKind == JsonValueKind.Null
            && ours.Kind == OutcomeKind.Undefined)
        {
            return true;
        }

        // jsonata-js itself crashed (a JavaScript TypeError/RangeError, not a JSONata error): there is no reference
        // semantics to match, only the rule that ours must not crash.
        if (reference.IsReferenceCrash)
        {
            difference = ours.Kind == OutcomeKind.Crash ? "jsonata-js crashed here too, but ours must raise a JsonataException instead of crashing" : "";
            return ours.Kind != OutcomeKind.Crash;
        }
        if (reference.Kind != ours.Kind)
        {
            difference = $"reference gave {Describe(reference.Kind)}, ours gave {Describe(ours.Kind)}";
            return false;
        }

        switch (reference.Kind)
        {
            case OutcomeKind.Value:
                return JsonEquivalence.Equal(reference.Value!.Value, ours.Value!.Value, out difference);
            case OutcomeKind.Error when reference.Code != ours.Code && expression is not null && ConstructorScan.HasMultiItemConstructor(expression):
                // Both failed; jsonata-js raced the constructor's items, so either item's error is a faithful answer.
                return true;
            case OutcomeKind.Error when reference.Code != ours.Code:
                difference = $"error code {reference.Code} vs {ours.Code}";
                return false;
            case OutcomeKind.Crash:
                difference = "both crashed";
                return false;
            default:
                return true;
        }
    }

    private static string Describe(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Value => "a value",
        OutcomeKind.Undefined => "undefined",
        OutcomeKind.Error => "an error",
        OutcomeKind.Function => "a function",
        _ => "a crash",
    };

    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>JSON with non-ASCII text left readable; lone surrogates (which cannot be re-encoded) keep their escapes.</summary>
    public static string Readable(JsonElement value)
    {
        try
        {
            return JsonSerializer.Serialize(value, ReadableJson);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return value.GetRawText();
        }
    }

    /// <summary>Compact text for reports, truncated so one huge value cannot drown the others.</summary>
    public override string ToString()
    {
        var text = Kind switch
        {
            OutcomeKind.Value => Readable(Value!.Value) + (NonFinite ? " (null standing for NaN/Infinity)" : ""),
            OutcomeKind.Undefined => "undefined",
            OutcomeKind.Function => "<function>",
            OutcomeKind.Error => $"error {Code}: {Message}",
            _ => $"CRASH {Message}",
        };
        return text.Length <= 400 ? text : string.Concat(text.AsSpan(0, 400), $"… ({text.Length} chars)");
    }
}
