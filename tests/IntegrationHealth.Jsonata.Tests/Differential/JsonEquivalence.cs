using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>
/// Deep equality of JSON values as the differential tests define it: numbers compare as exact doubles (so 1, 1.0 and
/// 1e0 are equal but 0.30000000000000004 and 0.3 are not), object key order is irrelevant, array order is significant.
/// </summary>
public static class JsonEquivalence
{
    /// <summary>True when equal; otherwise <paramref name="difference"/> names the first differing location.</summary>
    public static bool Equal(JsonElement expected, JsonElement actual, out string difference)
    {
        difference = Compare(expected, actual, "$") ?? "";
        return difference.Length == 0;
    }

    private static string? Compare(JsonElement expected, JsonElement actual, string path)
    {
        var expectedKind = Normalize(expected.ValueKind);
        if (expectedKind != Normalize(actual.ValueKind))
        {
            return $"at {path}: {Short(expected)} vs {Short(actual)}";
        }

        switch (expectedKind)
        {
            case JsonValueKind.Number:
                var e = expected.GetDouble();
                var a = actual.GetDouble();
                return e == a ? null : $"at {path}: number {e.ToString("R", CultureInfo.InvariantCulture)} vs {a.ToString("R", CultureInfo.InvariantCulture)}";
            case JsonValueKind.String:
                return StringValue(expected) == StringValue(actual) ? null : $"at {path}: {Short(expected)} vs {Short(actual)}";
            case JsonValueKind.True:
                return expected.ValueKind == actual.ValueKind ? null : $"at {path}: {expected.ValueKind} vs {actual.ValueKind}";
            case JsonValueKind.Array:
                var expectedLength = expected.GetArrayLength();
                var actualLength = actual.GetArrayLength();
                for (var i = 0; i < Math.Min(expectedLength, actualLength); i++)
                {
                    if (Compare(expected[i], actual[i], $"{path}[{i}]") is { } itemDifference) return itemDifference;
                }

                return expectedLength == actualLength ? null : $"at {path}: array length {expectedLength} vs {actualLength}";
            case JsonValueKind.Object:
                var actualProperties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in actual.EnumerateObject())
                {
                    if (!actualProperties.TryAdd(property.Name, property.Value)) return $"at {path}: duplicate key \"{property.Name}\" in ours";
                }

                var expectedCount = 0;
                foreach (var property in expected.EnumerateObject())
                {
                    expectedCount++;
                    if (!actualProperties.TryGetValue(property.Name, out var actualValue)) return $"at {path}: key \"{property.Name}\" missing in ours";
                    if (Compare(property.Value, actualValue, $"{path}.{property.Name}") is { } propertyDifference) return propertyDifference;
                }

                if (expectedCount != actualProperties.Count)
                {
                    var names = expected.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                    return $"at {path}: extra key \"{actualProperties.Keys.First(k => !names.Contains(k))}\" in ours";
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The string's UTF-16 code units. Unlike <see cref="JsonElement.GetString"/> this accepts lone surrogates:
    /// JavaScript strings are code-unit sequences, so jsonata-js legitimately produces them (e.g. <c>$split('😀', '')</c>)
    /// and JSON.stringify writes them as <c>\udXXX</c> escapes.
    /// </summary>
    public static string StringValue(JsonElement value)
    {
        var raw = value.GetRawText();
        var text = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            c = raw[++i];
            switch (c)
            {
                case 'u':
                    text.Append((char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                default: text.Append(c); break;
            }
        }

        return text.ToString();
    }

    // True and False are one kind for the type check; the value is compared afterwards.
    private static JsonValueKind Normalize(JsonValueKind kind) => kind == JsonValueKind.False ? JsonValueKind.True : kind;

    private static string Short(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
    }
}
