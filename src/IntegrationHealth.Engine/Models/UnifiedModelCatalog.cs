using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;
using Json.Schema;

namespace IntegrationHealth.Engine.Models;

/// <summary>
/// The unified models (<c>crm.contact</c>, <c>crm.company</c>, <c>hris.employee</c>, <c>ats.candidate</c>), each a JSON
/// Schema shipped in <c>Models/&lt;model&gt;.schema.json</c>. Mapped records are checked against their model's schema, so
/// a mapping that drifts from the model is a reported mapping failure rather than a silently wrong record.
/// </summary>
public sealed class UnifiedModelCatalog
{
    private const string Suffix = ".schema.json";
    private readonly Dictionary<string, (JsonSchema Schema, string Text)> _models = new(StringComparer.Ordinal);

    public UnifiedModelCatalog()
    {
        foreach (var resource in EngineResources.Under(EngineResources.ModelsFolder))
        {
            var name = resource[EngineResources.ModelsFolder.Length..^Suffix.Length];
            var text = EngineResources.Read(resource);
            // A registry of its own per schema: the global one refuses a second registration of the same $id.
            var schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            _models[name] = (schema, text);
        }
    }

    /// <summary>Model names, ordered.</summary>
    public IReadOnlyList<string> Names => [.. _models.Keys.Order(StringComparer.Ordinal)];

    public bool Contains(string model) => _models.ContainsKey(model);

    /// <summary>The model's JSON Schema document, as shipped.</summary>
    public string SchemaText(string model) => _models[model].Text;

    /// <summary>Problems of <paramref name="record"/> against <paramref name="model"/>'s schema (empty when it conforms).</summary>
    public IReadOnlyList<DefinitionError> Validate(string model, JsonNode record)
    {
        var element = JsonSerializer.SerializeToElement(record);
        var results = _models[model].Schema.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return results.IsValid ? [] : SchemaErrors.From(results, element);
    }
}
