using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Conformance;

/// <summary>
/// Locates and loads the JSONata conformance suite (jsonata-js test/test-suite, MIT; see <c>Conformance/suite/LICENSE</c>):
/// <c>$JSONATA_SUITE</c> when set, otherwise the copy in this repository at
/// <c>tests/IntegrationHealth.Jsonata.Tests/Conformance/suite</c>, so a fresh clone runs every case.
/// </summary>
public static class ConformanceSuite
{
    private static readonly Lazy<string?> SuiteRoot = new(FindSuite);
    private static readonly Lazy<IReadOnlyDictionary<string, ConformanceCase>> AllCases = new(LoadCases);
    private static readonly Lazy<IReadOnlyDictionary<string, string>> KnownFailureMap = new(LoadKnownFailures);

    /// <summary>Id yielded when the suite folder is absent, so the theory still has a (skipped) row.</summary>
    public const string MissingSuiteId = "(suite not found)";

    public static string? Root => SuiteRoot.Value;

    public static bool Exists => Root is not null;

    public static string MissingMessage =>
        "JSONata conformance suite not found: tests/IntegrationHealth.Jsonata.Tests/Conformance/suite is missing, or JSONATA_SUITE names a folder without groups/.";

    public static IReadOnlyDictionary<string, ConformanceCase> Cases => AllCases.Value;

    /// <summary>Case id → reason, from known-failures.txt.</summary>
    public static IReadOnlyDictionary<string, string> KnownFailures => KnownFailureMap.Value;

    private static string? FindSuite()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("JSONATA_SUITE");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Directory.Exists(Path.Combine(fromEnvironment, "groups")) ? fromEnvironment : null;
        }

        // The copy in this repository (Conformance/suite), found from the test binaries' folder upwards.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationHealth.sln")))
            {
                var candidate = Path.Combine(dir.FullName, "tests", "IntegrationHealth.Jsonata.Tests", "Conformance", "suite");
                return Directory.Exists(Path.Combine(candidate, "groups")) ? candidate : null;
            }
        }

        return null;
    }

    private static IReadOnlyDictionary<string, ConformanceCase> LoadCases()
    {
        var result = new SortedDictionary<string, ConformanceCase>(StringComparer.Ordinal);
        if (Root is null)
        {
            return result;
        }

        var groupsDir = Path.Combine(Root, "groups");
        foreach (var groupDir in Directory.GetDirectories(groupsDir).Order(StringComparer.Ordinal))
        {
            var group = Path.GetFileName(groupDir);
            foreach (var file in Directory.GetFiles(groupDir, "*.json").Order(StringComparer.Ordinal))
            {
                var fileName = Path.GetFileName(file);
                var node = SuiteJsonReader.Parse(File.ReadAllText(file));
                if (node is JsonArray array)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        var id = $"{group}/{fileName}#{i}";
                        result[id] = new ConformanceCase(id, group, groupDir, (JsonObject)array[i]!);
                    }
                }
                else if (node is JsonObject obj)
                {
                    var id = $"{group}/{Path.GetFileNameWithoutExtension(fileName)}";
                    result[id] = new ConformanceCase(id, group, groupDir, obj);
                }
            }
        }

        return result;
    }

    private static IReadOnlyDictionary<string, string> LoadKnownFailures()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = Path.Combine(AppContext.BaseDirectory, "Conformance", "known-failures.txt");
        if (!File.Exists(path))
        {
            return map;
        }

        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var hash = line.IndexOf("  #", StringComparison.Ordinal);
            var id = (hash >= 0 ? line[..hash] : line).Trim();
            var reason = hash >= 0 ? line[(hash + 3)..].Trim() : "";
            map[id] = reason;
        }

        return map;
    }

    private static readonly Dictionary<string, JsonElement> DatasetCache = new(StringComparer.Ordinal);

    internal static JsonElement Dataset(string name)
    {
        lock (DatasetCache)
        {
            if (!DatasetCache.TryGetValue(name, out var element))
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root!, "datasets", name + ".json")));
                element = doc.RootElement.Clone();
                DatasetCache[name] = element;
            }

            return element;
        }
    }
}
