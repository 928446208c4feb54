using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Models;
using IntegrationHealth.Jsonata;

namespace IntegrationHealth.Engine.Execution;

/// <summary>A record in its unified model (or the provider's own shape when the resource names no model).</summary>
/// <param name="Model">The unified model, e.g. <c>crm.contact</c>; null for an unmapped resource.</param>
/// <param name="RemoteId">The provider's id of the record.</param>
/// <param name="Data">The mapped record; <c>remote_data</c> holds the provider's record as it came.</param>
public sealed record UnifiedRecord(string? Model, string RemoteId, JsonObject Data);

/// <summary>A record that did not map: its index in the page, its remote id when known, where it failed (the mapping
/// expression or a JSONPath into the mapped record) and why.</summary>
public sealed record MappingFailure(int Index, string? RemoteId, string Where, string Message);

/// <summary>
/// Extracts a page's records (the operation's <c>records</c> expression) and maps each with its <c>response_mapping</c>
/// into the resource's unified model, checking the result against the model's schema. A record that fails is reported,
/// not dropped silently and not allowed to fail the page.
/// </summary>
internal sealed class RecordMapper(UnifiedModelCatalog models)
{
    private static readonly JsonataOptions Limits = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The records a body holds: an array's items, or one object; none when the expression finds nothing.</summary>
    public static IReadOnlyList<JsonNode> Records(LoadedProvider provider, OperationDefinition operation, JsonElement? body)
    {
        if (body is not { } element) return [];
        JsonNode? found;
        if (operation.Records is { } expression)
        {
            var result = provider.Expression(expression).Evaluate(element, options: Limits);
            found = result.IsUndefined ? null : result.Value;
        }
        else
        {
            found = JsonNode.Parse(element.GetRawText());
        }
        return found switch
        {
            null => [],
            JsonArray array => [.. array.Where(n => n is not null).Select(n => n!)],
            _ => [found],
        };
    }

    public (List<UnifiedRecord> Records, List<MappingFailure> Failures) Map(LoadedProvider provider, ResourceDefinition resource,
        OperationDefinition operation, IReadOnlyList<JsonNode> records, EngineConnection connection, string mappingPath, JsonObject? steps = null)
    {
        var mapped = new List<UnifiedRecord>(records.Count);
        var failures = new List<MappingFailure>();
        var bindings = new JsonataBindings().Add("connection", ConnectionValues(connection));
        if (steps is not null) bindings.Add("steps", steps);
        var expression = operation.ResponseMapping is { } source ? provider.Expression(source) : null;

        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            JsonObject data;
            if (expression is null)
            {
                if (record.DeepClone() is not JsonObject raw) { failures.Add(new(i, null, "records", "A record is not a JSON object.")); continue; }
                data = raw;
            }
            else
            {
                try
                {
                    var result = expression.Evaluate(record, bindings, Limits);
                    if (result.IsUndefined || result.Value is not JsonObject obj)
                    {
                        failures.Add(new(i, RawId(record), mappingPath, "The mapping did not produce an object."));
                        continue;
                    }
                    data = obj;
                }
                catch (JsonataException e)
                {
                    failures.Add(new(i, RawId(record), mappingPath, $"{e.Code} at position {e.Position}: {e.Message}"));
                    continue;
                }
                data["remote_data"] ??= record.DeepClone();
            }

            var id = data["id"] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;
            if (string.IsNullOrEmpty(id))
            {
                failures.Add(new(i, RawId(record), "$.id", "The mapped record has no 'id'."));
                continue;
            }
            if (resource.Model is { } model && expression is not null && models.Validate(model, data) is [var first, ..])
            {
                failures.Add(new(i, id, first.Path, first.Message));
                continue;
            }
            mapped.Add(new UnifiedRecord(expression is null ? null : resource.Model, id, data));
        }
        return (mapped, failures);
    }

    private static JsonObject ConnectionValues(EngineConnection connection)
    {
        var values = new JsonObject();
        foreach (var (name, value) in connection.Values) values[name] = value;
        return values;
    }

    /// <summary>The provider's own id of a record that failed, for the failure report (top-level <c>id</c> only).</summary>
    private static string? RawId(JsonNode record) =>
        record is JsonObject o && o["id"] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;
}
