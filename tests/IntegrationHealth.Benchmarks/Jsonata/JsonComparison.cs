using System.Globalization;
using System.Text.Json;

namespace IntegrationHealth.Benchmarks.Jsonata;

/// <summary>Deep JSON equality for checking that both engines computed the same thing: numbers as exact doubles,
/// object key order irrelevant, array order significant.</summary>
internal static class JsonComparison
{
    /// <summary>Null when equal, otherwise where and how they first differ.</summary>
    public static string? Difference(JsonElement expected, JsonElement actual, string path = "$")
    {
        var kind = Kind(expected);
        if (kind != Kind(actual)) return $"at {path}: {Short(expected)} vs {Short(actual)}";
        switch (kind)
        {
            case JsonValueKind.Number:
                return expected.GetDouble() == actual.GetDouble()
                    ? null
                    : $"at {path}: {expected.GetDouble().ToString("R", CultureInfo.InvariantCulture)} vs {actual.GetDouble().ToString("R", CultureInfo.InvariantCulture)}";
            case JsonValueKind.String:
            case JsonValueKind.True:
                return expected.GetRawText() == actual.GetRawText() || expected.ValueKind == JsonValueKind.String && expected.GetString() == actual.GetString()
                    ? null
                    : $"at {path}: {Short(expected)} vs {Short(actual)}";
            case JsonValueKind.Array:
                var length = expected.GetArrayLength();
                if (length != actual.GetArrayLength()) return $"at {path}: array length {length} vs {actual.GetArrayLength()}";
                for (var i = 0; i < length; i++)
                {
                    if (Difference(expected[i], actual[i], $"{path}[{i}]") is { } item) return item;
                }

                return null;
            case JsonValueKind.Object:
                var actualProperties = actual.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                var count = 0;
                foreach (var property in expected.EnumerateObject())
                {
                    count++;
                    if (!actualProperties.TryGetValue(property.Name, out var value)) return $"at {path}: key \"{property.Name}\" missing in ours";
                    if (Difference(property.Value, value, $"{path}.{property.Name}") is { } member) return member;
                }

                return count == actualProperties.Count ? null : $"at {path}: ours has {actualProperties.Count} keys, reference {count}";
            default:
                return null;
        }
    }

    private static JsonValueKind Kind(JsonElement e) => e.ValueKind == JsonValueKind.False ? JsonValueKind.True : e.ValueKind;

    private static string Short(JsonElement e)
    {
        var text = e.GetRawText();
        return text.Length <= 100 ? text : text[..100] + "…";
    }
}
