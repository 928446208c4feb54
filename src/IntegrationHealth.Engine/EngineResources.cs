using System.Reflection;

namespace IntegrationHealth.Engine;

/// <summary>The data shipped inside the engine's assembly: the definition schema, the provider definitions and the
/// unified models' schemas (see the project file's EmbeddedResource items).</summary>
internal static class EngineResources
{
    private static readonly Assembly Assembly = typeof(EngineResources).Assembly;

    public const string DefinitionSchema = "Definitions/provider.schema.json";
    public const string ProvidersFolder = "Providers/";
    public const string ModelsFolder = "Models/";

    public static string Read(string name)
    {
        using var stream = Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The engine assembly has no resource '{name}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The names of the resources in <paramref name="folder"/>, in ordinal order.</summary>
    public static IReadOnlyList<string> Under(string folder) =>
        [.. Assembly.GetManifestResourceNames().Where(n => n.StartsWith(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
