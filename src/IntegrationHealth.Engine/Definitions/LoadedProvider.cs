using IntegrationHealth.Jsonata;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>A validated provider definition with its JSONata expressions compiled once; immutable and shared by every
/// call the executor makes for the provider.</summary>
public sealed class LoadedProvider
{
    private readonly IReadOnlyDictionary<string, JsonataExpression> _expressions;

    internal LoadedProvider(ProviderDefinition definition, IReadOnlyDictionary<string, JsonataExpression> expressions, string json)
    {
        Definition = definition;
        _expressions = expressions;
        Json = json;
    }

    public ProviderDefinition Definition { get; }

    /// <summary>Where the definition came from (<c>shipped:Providers/x.json</c>), or <c>document</c> when loaded directly.</summary>
    public string Origin { get; private init; } = "document";

    public string Key => Definition.Key;

    /// <summary>The document the definition was loaded from.</summary>
    public string Json { get; }

    internal LoadedProvider WithOrigin(string origin) => new(Definition, _expressions, Json) { Origin = origin };

    /// <summary>The compiled form of an expression of this definition (every one was compiled when loading).</summary>
    public JsonataExpression Expression(string source) =>
        _expressions.TryGetValue(source, out var expression) ? expression
            : throw new InvalidOperationException($"Expression '{source}' is not part of provider '{Key}'.");

    /// <summary>The resource's operation, or a clear error naming what exists.</summary>
    public (ResourceDefinition Resource, OperationDefinition Operation) Operation(string resource, string verb)
    {
        if (!Definition.Resources.TryGetValue(resource, out var r))
            throw new KeyNotFoundException($"Provider '{Key}' has no resource '{resource}' (it has {string.Join(", ", Definition.Resources.Keys)}).");
        if (!r.Operations.TryGetValue(verb, out var operation))
            throw new KeyNotFoundException($"Resource '{resource}' of provider '{Key}' has no '{verb}' operation.");
        return (r, operation);
    }
}
