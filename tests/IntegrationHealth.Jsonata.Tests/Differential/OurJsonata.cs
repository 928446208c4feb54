using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>Evaluates cases with our engine, turning every way it can end into an <see cref="Outcome"/>.</summary>
public static class OurJsonata
{
    /// <summary>Longest one evaluation may run before it is reported as a hang (and abandoned). Generous: the machine
    /// may be shared, and no generated case needs more than milliseconds.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    private static readonly JsonElement JsonNullElement = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>Evaluates from an already-parsed <see cref="JsonElement"/> (how the integration engine calls it).</summary>
    public static Outcome EvaluateElement(DifferentialCase c, JsonElement payload, JsonataOptions? options = null) => Guarded(() =>
    {
        var expression = JsonataExpression.Compile(c.Expression);
        var bindings = HostFunctions.For(c);
        return c.Input switch
        {
            CaseInput.None => expression.EvaluateWithoutInput(bindings, options),
            CaseInput.JsonNull => expression.Evaluate(JsonNullElement, bindings, options),
            _ => expression.Evaluate(payload, bindings, options),
        };
    });

    /// <summary>Evaluates from a freshly parsed <see cref="JsonNode"/> tree, so one case cannot see another's mutations.</summary>
    public static Outcome EvaluateNode(DifferentialCase c, string payloadJson, JsonataOptions? options = null) => Guarded(() =>
    {
        var expression = JsonataExpression.Compile(c.Expression);
        var bindings = HostFunctions.For(c);
        return c.Input switch
        {
            CaseInput.None => expression.EvaluateWithoutInput(bindings, options),
            CaseInput.JsonNull => expression.Evaluate((JsonNode?)null, bindings, options),
            _ => expression.Evaluate(JsonNode.Parse(payloadJson), bindings, options),
        };
    });

    /// <summary>Evaluates straight from the payload's UTF-8 bytes (the one-shot path for a response just received).</summary>
    public static Outcome EvaluateUtf8(DifferentialCase c, byte[] payloadUtf8, JsonataOptions? options = null) => Guarded(() =>
    {
        var expression = JsonataExpression.Compile(c.Expression);
        var bindings = HostFunctions.For(c);
        return c.Input switch
        {
            CaseInput.None => expression.EvaluateWithoutInput(bindings, options),
            CaseInput.JsonNull => expression.EvaluateUtf8("null"u8.ToArray(), bindings, options),
            _ => expression.EvaluateUtf8(payloadUtf8, bindings, options),
        };
    });

    /// <summary>Evaluates over the payload converted once, completely (<see cref="JsonataInput"/>, the cached path),
    /// shared by every case on that payload.</summary>
    public static Outcome EvaluatePrepared(DifferentialCase c, JsonataInput payload, JsonataOptions? options = null) => Guarded(() =>
    {
        var expression = JsonataExpression.Compile(c.Expression);
        var bindings = HostFunctions.For(c);
        return c.Input switch
        {
            CaseInput.None => expression.EvaluateWithoutInput(bindings, options),
            CaseInput.JsonNull => expression.EvaluateInput(JsonataInput.From((JsonNode?)null), bindings, options),
            _ => expression.EvaluateInput(payload, bindings, options),
        };
    });

    private static Outcome Guarded(Func<JsonataResult> evaluate)
    {
        // Evaluated on its own thread with a deadline: an engine bug that loops forever must cost one case, not the run.
        // A dedicated thread (not the thread pool) so the deadline counts running time, not time queued behind other
        // tests' work; 16 MB of stack so deep but legitimate recursion is judged by the engine's own limits.
        Outcome? outcome = null;
        var worker = new Thread(() => outcome = Capture(evaluate), maxStackSize: 16 * 1024 * 1024) { IsBackground = true, Name = "jsonata-diff" };
        worker.Start();
        return worker.Join(HangLimit) ? outcome! : Outcome.Crash($"no result after {HangLimit.TotalSeconds:0} s (hang?)");
    }

    /// <summary>Runs an evaluation and classifies how it ended.</summary>
    public static Outcome Capture(Func<JsonataResult> evaluate)
    {
        JsonataResult result;
        try
        {
            result = evaluate();
        }
        catch (JsonataException e)
        {
            return Outcome.Error(e.Code, e.Message);
        }
        catch (Exception e)
        {
            return Outcome.Crash($"{e.GetType().Name}: {e.Message}");
        }

        if (result.IsUndefined) return Outcome.Undefined;
        try
        {
            using var document = JsonDocument.Parse(result.ToJsonString() ?? "null");
            return Outcome.Of(document.RootElement);
        }
        catch (Exception e)
        {
            return Outcome.Crash($"result is not serializable JSON: {e.GetType().Name}: {e.Message}");
        }
    }
}
