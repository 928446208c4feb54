using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;
using static IntegrationHealth.Engine.Definitions.JsonPathText;

namespace IntegrationHealth.Engine.Overrides;

/// <summary>The levels a part of an effective definition can come from, lowest first.</summary>
public static class DefinitionLevels
{
    /// <summary>The definition shipped with the engine.</summary>
    public const string Platform = "platform";
    /// <summary>A definition the tenant uploaded (in place of a platform one: tenant keys never shadow platform keys).</summary>
    public const string Tenant = "tenant";
    /// <summary>The tenant's environment-wide override.</summary>
    public const string Environment = "environment";
    /// <summary>One account's override.</summary>
    public const string Account = "account";
}

/// <summary>A part of an effective definition (a value, or an array as a whole) and the level it came from.</summary>
public sealed record DefinitionPart(string Path, string Level);

/// <summary>
/// The override hierarchy's merge: a base definition, then each override document over it in order. Objects merge key
/// by key; anything else (arrays included) replaces what was there; a JSON <c>null</c> removes the member, so an override
/// can drop, say, a query parameter. Pure; the result is validated and compiled by the loader like any definition.
/// </summary>
public static class DefinitionMerge
{
    /// <summary>The merged document, and for every value in it (arrays whole) the level that set it.</summary>
    public static (JsonObject Merged, IReadOnlyList<DefinitionPart> Parts) Merge(JsonObject baseDocument, string baseLevel,
        params (JsonObject? Document, string Level)[] overrides)
    {
        var merged = (JsonObject)baseDocument.DeepClone();
        var levels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (document, level) in overrides)
        {
            if (document is null) continue;
            Apply(merged, document, Root, level, levels);
        }
        var parts = new List<DefinitionPart>();
        Collect(merged, Root, baseLevel, levels, parts);
        return (merged, parts);
    }

    private static void Apply(JsonObject target, JsonObject patch, string path, string level, Dictionary<string, string> levels)
    {
        foreach (var (name, value) in patch)
        {
            var childPath = Member(path, name);
            if (value is null)
            {
                target.Remove(name);
                levels[childPath] = level;
            }
            else if (value is JsonObject patchObject && target[name] is JsonObject targetObject)
            {
                Apply(targetObject, patchObject, childPath, level, levels);
            }
            else
            {
                target[name] = value.DeepClone();
                MarkAll(value, childPath, level, levels);
            }
        }
    }

    private static void MarkAll(JsonNode node, string path, string level, Dictionary<string, string> levels)
    {
        levels[path] = level;
        if (node is JsonObject o)
            foreach (var (name, child) in o)
                if (child is not null) MarkAll(child, Member(path, name), level, levels);
    }

    private static void Collect(JsonNode? node, string path, string inherited, Dictionary<string, string> levels, List<DefinitionPart> parts)
    {
        var level = levels.GetValueOrDefault(path, inherited);
        if (node is JsonObject o && o.Count > 0)
        {
            foreach (var (name, child) in o) Collect(child, Member(path, name), level, levels, parts);
            return;
        }
        parts.Add(new DefinitionPart(path, level));
    }
}
