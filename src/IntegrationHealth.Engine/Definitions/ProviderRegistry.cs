namespace IntegrationHealth.Engine.Definitions;

/// <summary>
/// A source of provider definition documents. The seam for definitions stored in the database (uploaded at run time,
/// versioned, with environment and account overrides): this session ships <see cref="ShippedProviderDefinitions"/>.
/// </summary>
public interface IProviderDefinitionSource
{
    /// <summary>Names the source in errors and logs, e.g. <c>shipped</c>.</summary>
    string Origin { get; }

    /// <summary>The documents, each with a name that locates it in the source (a file or row name).</summary>
    IEnumerable<(string Name, string Json)> Documents();
}

/// <summary>The platform's definitions, shipped as JSON files inside the engine's assembly (<c>Providers/*.json</c>).</summary>
public sealed class ShippedProviderDefinitions : IProviderDefinitionSource
{
    public string Origin => "shipped";

    public IEnumerable<(string Name, string Json)> Documents() =>
        EngineResources.Under(EngineResources.ProvidersFolder).Select(name => (name, EngineResources.Read(name)));
}

/// <summary>
/// Every loaded provider definition, by key: each source's documents validated and compiled once, on first use.
/// A definition that fails to load fails the whole registry with every error named (the host's start-up validation
/// triggers this, so a bad shipped definition stops the start rather than one call).
/// </summary>
public sealed class ProviderRegistry(IEnumerable<IProviderDefinitionSource> sources, ProviderDefinitionLoader loader, ILogger<ProviderRegistry> logger)
{
    private readonly Lazy<IReadOnlyDictionary<string, LoadedProvider>> _providers = new(() => Load(sources, loader, logger));

    /// <summary>Every definition, ordered by key.</summary>
    public IReadOnlyList<LoadedProvider> All => [.. _providers.Value.Values.OrderBy(p => p.Key, StringComparer.Ordinal)];

    public bool TryGet(string key, out LoadedProvider provider) => _providers.Value.TryGetValue(key, out provider!);

    public LoadedProvider Get(string key) => TryGet(key, out var provider) ? provider
        : throw new KeyNotFoundException($"No provider definition has the key '{key}'.");

    private static Dictionary<string, LoadedProvider> Load(IEnumerable<IProviderDefinitionSource> sources, ProviderDefinitionLoader loader, ILogger logger)
    {
        var providers = new Dictionary<string, LoadedProvider>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var source in sources)
        {
            var count = 0;
            foreach (var (name, json) in source.Documents())
            {
                var origin = $"{source.Origin}:{name}";
                var (provider, problems) = loader.TryLoad(json);
                if (provider is null)
                {
                    var text = string.Join("; ", problems);
                    EngineLog.DefinitionInvalid(logger, origin, text);
                    errors.Add($"{origin}: {text}");
                    continue;
                }
                // A later source replaces an earlier one's definition of the same key (stored over shipped); within
                // one source a key must be unique.
                if (providers.TryGetValue(provider.Key, out var existing) && existing.Origin.StartsWith(source.Origin + ":", StringComparison.Ordinal))
                    errors.Add($"{origin}: the key '{provider.Key}' is already defined by {existing.Origin}.");
                providers[provider.Key] = provider.WithOrigin(origin);
                count++;
            }
            EngineLog.DefinitionsLoaded(logger, count, source.Origin);
        }
        if (errors.Count > 0) throw new InvalidOperationException("Invalid provider definitions: " + string.Join(" | ", errors));
        return providers;
    }
}
