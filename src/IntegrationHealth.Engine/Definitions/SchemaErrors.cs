using System.Text.Json;
using Json.Schema;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>
/// Turns JsonSchema.Net's list output into <see cref="DefinitionError"/>s people can act on: one per failed keyword at
/// the JSONPath of the value that failed; a missing required member at its own would-be path; an unknown member named
/// as such; an enum failure listing the allowed values. Noise is dropped: results inside <c>if</c> (a condition, not a
/// requirement), and "unknown member" reports beside another error of the same object (a wrong discriminator such as
/// <c>strategy</c> makes every strategy-specific member look unknown).
/// </summary>
internal static class SchemaErrors
{
    public static IReadOnlyList<DefinitionError> From(EvaluationResults results, JsonElement document, JsonElement? schema = null)
    {
        var found = new List<(string Pointer, bool Unknown, DefinitionError Error)>();
        foreach (var node in (results.Details ?? []).Prepend(results))
        {
            if (node.Errors is not { Count: > 0 }) continue;
            var evaluationPath = node.EvaluationPath.ToString();
            if (evaluationPath.Contains("/if/", StringComparison.Ordinal) || evaluationPath.EndsWith("/if", StringComparison.Ordinal)) continue;
            var pointer = node.InstanceLocation.ToString();
            var path = JsonPathText.FromPointer(pointer, document);
            foreach (var (keyword, message) in node.Errors)
            {
                if (evaluationPath.EndsWith("unevaluatedProperties", StringComparison.Ordinal) || evaluationPath.EndsWith("additionalProperties", StringComparison.Ordinal))
                {
                    found.Add((pointer, true, new DefinitionError(path, "Unknown member: it is not allowed here.")));
                    continue;
                }
                IEnumerable<DefinitionError> nodeErrors = keyword switch
                {
                    "required" => Required(path, message),
                    "enum" => [new DefinitionError(path, EnumMessage(node, schema) ?? message)],
                    _ => [new DefinitionError(path, message)],
                };
                foreach (var error in nodeErrors) found.Add((pointer, false, error));
            }
        }

        static string Parent(string pointer) => pointer.LastIndexOf('/') is > 0 and var i ? pointer[..i] : "";
        var parentsWithOtherErrors = found.Where(f => !f.Unknown).Select(f => Parent(f.Pointer)).ToHashSet(StringComparer.Ordinal);
        var errors = found
            .Where(f => !f.Unknown || !parentsWithOtherErrors.Contains(Parent(f.Pointer)))
            .Select(f => f.Error)
            .Distinct()
            .ToList();
        return errors.Count > 0 ? errors : [new DefinitionError(JsonPathText.Root, "The document does not match the schema.")];
    }

    /// <summary>"Must be one of …", read from the failing subschema's <c>enum</c>.</summary>
    private static string? EnumMessage(EvaluationResults node, JsonElement? schema)
    {
        if (schema is not { } root) return null;
        var fragment = node.SchemaLocation.Fragment.TrimStart('#');
        var current = root;
        foreach (var raw in fragment.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/").Replace("~0", "~");
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current)) return null;
        }
        if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty("enum", out var values)) current = values;
        return current.ValueKind == JsonValueKind.Array
            ? "Must be one of: " + string.Join(", ", current.EnumerateArray().Select(v => v.ToString())) + "."
            : null;
    }

    /// <summary>"Required properties ["a","b"] are not present" becomes one error per missing member, at its path.</summary>
    private static IEnumerable<DefinitionError> Required(string path, string message)
    {
        var open = message.IndexOf('[');
        var close = message.LastIndexOf(']');
        if (open < 0 || close <= open) return [new DefinitionError(path, message)];
        try
        {
            var names = JsonSerializer.Deserialize<string[]>(message[open..(close + 1)]) ?? [];
            return names.Select(n => new DefinitionError(JsonPathText.Member(path, n), "Required member is missing."));
        }
        catch (JsonException)
        {
            return [new DefinitionError(path, message)];
        }
    }
}
