using System.Text.Json;
using IntegrationHealth.Engine.Models;
using Json.Schema;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>
/// Reads a provider definition: parses the JSON (duplicate members refused), validates it against
/// <c>provider.schema.json</c>, then checks what a schema cannot (<see cref="DefinitionSemantics"/>) and compiles every
/// JSONata expression once. Every problem is reported with the JSONPath of the value at fault. Thread-safe.
/// </summary>
public sealed class ProviderDefinitionLoader
{
    internal static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // The schema has already refused unknown members; the serializer only needs to agree with it.
        AllowTrailingCommas = false,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    private readonly JsonSchema _schema;
    private readonly JsonElement _schemaDocument;
    private readonly UnifiedModelCatalog _models;

    public ProviderDefinitionLoader(UnifiedModelCatalog models)
    {
        _models = models;
        var text = EngineResources.Read(EngineResources.DefinitionSchema);
        _schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        _schemaDocument = JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The published JSON Schema every definition must satisfy.</summary>
    public static string SchemaText => EngineResources.Read(EngineResources.DefinitionSchema);

    /// <summary>Validates and compiles <paramref name="json"/>; the errors are empty exactly when a provider is returned.</summary>
    public (LoadedProvider? Provider, IReadOnlyList<DefinitionError> Errors) TryLoad(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (null, [new DefinitionError(e.Path ?? JsonPathText.Root, $"Not valid JSON{where}: {FirstSentence(e.Message)}")]);
        }

        using (document)
        {
            var root = document.RootElement;
            var results = _schema.Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!results.IsValid) return (null, SchemaErrors.From(results, root, _schemaDocument));

            ProviderDefinition definition;
            try
            {
                definition = root.Deserialize<ProviderDefinition>(SerializerOptions)
                    ?? throw new JsonException("The document is null.");
            }
            catch (JsonException e)
            {
                // The schema and the C# model disagree: a defect of ours, reported rather than thrown at the caller.
                return (null, [new DefinitionError(e.Path ?? JsonPathText.Root, FirstSentence(e.Message))]);
            }

            var semantics = new DefinitionSemantics(_models);
            semantics.Check(definition);
            if (semantics.Errors.Count > 0) return (null, semantics.Errors);
            return (new LoadedProvider(definition, semantics.Expressions, json), []);
        }
    }

    /// <summary>As <see cref="TryLoad"/>, throwing <see cref="ProviderDefinitionException"/> (naming
    /// <paramref name="source"/>) when the definition is invalid.</summary>
    public LoadedProvider Load(string json, string? source = null)
    {
        var (provider, errors) = TryLoad(json);
        return provider ?? throw new ProviderDefinitionException(source, errors);
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
