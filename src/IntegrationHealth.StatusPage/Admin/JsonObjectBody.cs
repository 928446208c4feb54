using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using IntegrationHealth.Web.Http;

namespace IntegrationHealth.StatusPage.Admin;

/// <summary>
/// A strict reading of one JSON object body, as every write endpoint here takes: valid UTF-8, an object, no unknown or
/// repeated property, every value of its declared type and within its limits; each problem goes to
/// <see cref="Errors"/> naming its field, so one 400 lists them all. A property that is absent reads as "not given"
/// (so PATCH changes only what it names); <c>null</c> reads as "clear" where a field allows it.
/// </summary>
internal sealed class JsonObjectBody : IDisposable
{
    private readonly JsonDocument? _document;
    private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.Ordinal);

    private JsonObjectBody(JsonDocument? document, BatchErrors errors)
    {
        _document = document;
        Errors = errors;
    }

    public BatchErrors Errors { get; }

    /// <summary>False when the body is not a JSON object at all (then nothing else is worth reading).</summary>
    public bool IsObject { get; private set; }

    public bool Has(string name) => _properties.ContainsKey(name);

    /// <summary>Parses <paramref name="body"/>; <paramref name="accepted"/> lists the property names allowed.</summary>
    public static JsonObjectBody Parse(ReadOnlySpan<byte> body, IReadOnlyCollection<string> accepted)
    {
        var errors = new BatchErrors();
        var json = BodyFormat.WithoutBom(body);
        if (!Utf8.IsValid(json))
        {
            errors.Add(-1, "$", "The body is not valid UTF-8.");
            return new JsonObjectBody(null, errors);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            errors.Add(-1, "$", $"Malformed JSON: {ex.Message}");
            return new JsonObjectBody(null, errors);
        }
        var result = new JsonObjectBody(document, errors);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            errors.Add(-1, "$", "Expected a JSON object.");
            return result;
        }
        result.IsObject = true;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var name = SafeName(property);
            if (!accepted.Contains(name))
                errors.Add(-1, name, $"Unknown property '{name}'. Accepted: {string.Join(", ", accepted)}.");
            else if (!result._properties.TryAdd(name, property.Value))
                errors.Add(-1, name, $"Property '{name}' appears more than once.");
        }
        return result;
    }

    /// <summary>A string; null when absent or JSON null (then <paramref name="required"/> adds an error).</summary>
    public string? String(string name, int maxLength, bool required = false, bool identifier = false)
    {
        if (!_properties.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Errors.Add(-1, name, $"'{name}' is required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Errors.Add(-1, name, $"'{name}' must be a string.");
            return null;
        }
        var raw = value.GetRawText();
        if (raw.Contains("\\u", StringComparison.Ordinal) && TextRules.HasUnpairedSurrogateEscape(Encoding.UTF8.GetBytes(raw)))
        {
            Errors.Add(-1, name, TextRules.UnpairedSurrogate($"'{name}'"));
            return null;
        }
        var text = value.GetString()!;
        string? problem = text.Length > maxLength ? $"'{name}' is longer than {maxLength} characters."
            : required && string.IsNullOrWhiteSpace(text) ? $"'{name}' must not be empty."
            : identifier ? TextRules.IdentifierProblem(name, text) : TextRules.FreeTextProblem(name, text);
        if (problem is null) return text;
        Errors.Add(-1, name, problem);
        return null;
    }

    public int? Int(string name, int min, int max, bool required = false)
    {
        if (!_properties.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) Errors.Add(-1, name, $"'{name}' is required.");
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max) return number;
        Errors.Add(-1, name, $"'{name}' must be an integer from {min} to {max}.");
        return null;
    }

    public bool? Bool(string name)
    {
        if (!_properties.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Errors.Add(-1, name, $"'{name}' must be true or false.");
        return null;
    }

    /// <summary>An RFC 3339 instant with an offset (Z or ±hh:mm), returned in UTC.</summary>
    public DateTime? Instant(string name, bool required = false)
    {
        var text = String(name, 64, required);
        if (text is null) return null;
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var instant) && (text.EndsWith('Z') || text.Length > 19 && text[^6] is '+' or '-'))
            return instant.UtcDateTime;
        Errors.Add(-1, name, $"'{name}' must be an RFC 3339 instant with an offset, e.g. 2026-12-01T10:00:00Z.");
        return null;
    }

    /// <summary>A value of an enumeration spelled by <paramref name="parse"/>.</summary>
    public T? Enum<T>(string name, Func<string?, T?> parse, string accepted, bool required = false) where T : struct
    {
        var text = String(name, 64, required);
        if (text is null) return null;
        if (parse(text) is { } value) return value;
        Errors.Add(-1, name, $"'{name}' must be one of {accepted}.");
        return null;
    }

    /// <summary>An array of positive integers (ids); null when absent.</summary>
    public IReadOnlyList<int>? IntArray(string name, int maxItems)
    {
        if (!_properties.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems)
        {
            Errors.Add(-1, name, $"'{name}' must be an array of at most {maxItems} ids.");
            return null;
        }
        var ids = new List<int>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var id) && id > 0) ids.Add(id);
            else
            {
                Errors.Add(-1, name, $"'{name}' must hold positive integer ids.");
                return null;
            }
        }
        return ids.Distinct().ToList();
    }

    /// <summary>An array of objects, each read by <paramref name="read"/>; null when absent.</summary>
    public IReadOnlyList<JsonElement>? ObjectArray(string name, int maxItems)
    {
        if (!_properties.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
        {
            Errors.Add(-1, name, $"'{name}' must be an array of at most {maxItems} objects.");
            return null;
        }
        return [.. value.EnumerateArray()];
    }

    public void Dispose() => _document?.Dispose();

    private static string SafeName(JsonProperty property)
    {
        string name;
        try
        {
            name = property.Name;
        }
        catch (InvalidOperationException)
        {
            name = "?";
        }
        return name.Length > 64 ? name[..64] + "…" : name;
    }
}
