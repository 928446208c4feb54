using System.Text.Json;

namespace IntegrationHealth.Engine.Tests.Definitions;

/// <summary>
/// Adding or fixing a provider is a data change: no C# type, branch or string of the engine names a provider. Scans
/// every .cs file of the engine for each shipped provider's key, name and the first word of its name.
/// </summary>
public sealed class ProviderNeutralityTests
{
    [Fact]
    public void EngineSource_NamesNoShippedProvider()
    {
        var engine = Path.Combine(DefinitionLoaderTests.RepositoryRoot(), "src", "IntegrationHealth.Engine");
        var providers = Directory.GetFiles(Path.Combine(engine, "Providers"), "*.json");
        var names = providers
            .Select(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement)
            // The key, the full name and its first word (the brand: "Zendesk" of "Zendesk Support"); later words are
            // often plain English ("Support", "Harvest") that code may rightly use.
            .SelectMany(d => new[] { d.GetProperty("key").GetString()!, d.GetProperty("name").GetString()!, d.GetProperty("name").GetString()!.Split(' ')[0] })
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var sources = Directory.GetFiles(engine, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();

        Assert.True(providers.Length >= 3, "the shipped providers were not found");
        Assert.True(sources.Count >= 20, "the engine's sources were not found");
        var offences = (from file in sources
                        let text = File.ReadAllText(file)
                        from name in names
                        where text.Contains(name, StringComparison.OrdinalIgnoreCase)
                        select $"{Path.GetRelativePath(engine, file)} names '{name}'").ToList();
        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences));
    }
}
