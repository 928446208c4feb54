using System.Text.Json;
using System.Text.RegularExpressions;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>JSONPath spellings of locations in a definition: what people read in an error, rather than JSON Pointers.</summary>
internal static partial class JsonPathText
{
    public const string Root = "$";

    /// <summary><paramref name="parent"/> followed by member <paramref name="name"/> (<c>$.a.b</c>, or <c>$['a b']</c>).</summary>
    public static string Member(string parent, string name) =>
        Identifier().IsMatch(name) ? $"{parent}.{name}" : $"{parent}['{name.Replace("\\", "\\\\").Replace("'", "\\'")}']";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    /// <summary>Converts a JSON Pointer (<c>/resources/contacts/operations</c>) into a JSONPath, walking
    /// <paramref name="document"/> so that array indexes and numeric member names are told apart.</summary>
    public static string FromPointer(string pointer, JsonElement document)
    {
        var path = Root;
        if (string.IsNullOrEmpty(pointer) || pointer == "/") return path;
        var current = (JsonElement?)document;
        foreach (var raw in pointer.TrimStart('#').Split('/').Skip(1))
        {
            var segment = raw.Replace("~1", "/").Replace("~0", "~");
            if (current is { ValueKind: JsonValueKind.Array } array && int.TryParse(segment, out var index))
            {
                path = Index(path, index);
                current = index < array.GetArrayLength() ? array[index] : null;
            }
            else
            {
                path = Member(path, segment);
                current = current is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(segment, out var child) ? child : null;
            }
        }
        return path;
    }

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex Identifier();
}
