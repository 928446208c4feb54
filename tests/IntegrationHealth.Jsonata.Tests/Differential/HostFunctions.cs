using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>
/// Host functions registered on both sides for cases that use them; tests/reference/run-batch.js registers the same
/// names, behaviour and signatures with <c>registerFunction</c>, so signature checking and argument passing of
/// <see cref="JsonataBindings.AddFunction"/> are compared with jsonata-js.
/// </summary>
public static class HostFunctions
{
    /// <summary>Bindings for a case: its variables plus, when asked for, the host functions.</summary>
    public static JsonataBindings? For(DifferentialCase c)
    {
        if (c.Bindings is null && !c.UsesHostFunctions) return null;
        var bindings = new JsonataBindings();
        foreach (var (name, value) in c.Bindings ?? [])
        {
            bindings.Add(name, value?.DeepClone());
        }

        if (c.UsesHostFunctions)
        {
            bindings.AddFunction("hostDouble", Double, "<n:n>");
            bindings.AddFunction("hostGreet", Greet, "<s:s>");
        }

        return bindings;
    }

    private static JsonataResult Double(IReadOnlyList<JsonataResult> arguments) =>
        arguments.Count == 0 || arguments[0].IsUndefined
            ? new JsonataResult(true, null)
            : new JsonataResult(false, JsonValue.Create(arguments[0].Value!.GetValue<double>() * 2));

    private static JsonataResult Greet(IReadOnlyList<JsonataResult> arguments) =>
        arguments.Count == 0 || arguments[0].IsUndefined
            ? new JsonataResult(true, null)
            : new JsonataResult(false, JsonValue.Create("Hello, " + arguments[0].Value!.GetValue<string>()));
}
