using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHealth.Web.Http;

/// <summary>
/// A small JSON object body read strictly, for the admin and feature endpoints whose bodies are one object of a few
/// fields: <c>application/json</c> only, bounded size, valid UTF-8, no duplicate or unknown properties, and getters
/// that put every problem, naming its field, in one <see cref="BatchErrors"/> (answered as one 400 with nothing
/// stored). Batch endpoints keep their streaming readers; this is for bodies of a few hundred bytes.
/// </summary>
public sealed class JsonObjectBody : IDisposable
{
    private readonly JsonDocument _document;

    private JsonObjectBody(JsonDocument document) => _document = document;

    /// <summary>The problems found so far (reading and the getters).</summary>
    public BatchErrors Errors { get; } = new();

    /// <summary>Reads the body, or returns the problem to answer (415, 413, or 400 for JSON that is not one object
    /// of the <paramref name="allowed"/> properties).</summary>
    public static async Task<(JsonObjectBody? Body, ProblemHttpResult? Problem)> ReadAsync(HttpContext context, int maxBytes,
        IReadOnlyCollection<string> allowed, string what)
    {
        if (BodyFormat.Of(context.Request.ContentType) != BodyFormat.Kind.Json)
            return (null, Problems.UnsupportedMediaType("Send a JSON object with Content-Type 'application/json' (UTF-8)."));
        using var body = await RequestBody.ReadAsync(context, maxBytes, context.RequestAborted);
        if (body is null) return (null, Problems.PayloadTooLarge($"The body exceeds {maxBytes} bytes."));
        var json = BodyFormat.WithoutBom(body.Span);
        if (!Utf8.IsValid(json)) return (null, Problems.BadRequest("The body is not valid UTF-8.", $"The {what} is invalid.", "$"));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest($"Malformed JSON: {ex.Message}", $"The {what} is invalid.", "$"));
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, Problems.BadRequest("Expected a JSON object.", $"The {what} is invalid.", "$"));
        }
        var result = new JsonObjectBody(document);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
                result.Errors.Add(-1, property.Name.Length > 64 ? property.Name[..64] + "…" : property.Name,
                    $"Unknown property. Accepted: {string.Join(", ", allowed)}.");
        }
        return (result, null);
    }

    /// <summary>The 400 for <see cref="Errors"/>.</summary>
    public ProblemHttpResult Invalid(string what) => Problems.InvalidBatch(Errors, what, $"The {what} is invalid; nothing was stored.");

    private bool TryGet(string name, out JsonElement value) =>
        _document.RootElement.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A free-text string of at most <paramref name="maxLength"/> characters, or null when absent.</summary>
    public string? String(string name, int maxLength, bool required = false, bool identifier = false)
    {
        if (!TryGet(name, out var value))
        {
            if (required) Errors.Add(-1, name, $"'{name}' is required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Errors.Add(-1, name, $"'{name}' must be a string.");
            return null;
        }
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            Errors.Add(-1, name, TextRules.UnpairedSurrogate($"'{name}'"));
            return null;
        }
        var problem = text.Length > maxLength ? $"'{name}' is longer than {maxLength} characters."
            : identifier && string.IsNullOrWhiteSpace(text) ? $"'{name}' must not be empty."
            : identifier ? TextRules.IdentifierProblem(name, text) : TextRules.FreeTextProblem(name, text);
        if (problem is not null)
        {
            Errors.Add(-1, name, problem);
            return null;
        }
        return text;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
    public long? Integer(string name, long min, long max, bool required = false)
    {
        if (!TryGet(name, out var value))
        {
            if (required) Errors.Add(-1, name, $"'{name}' is required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < min || number > max)
        {
            Errors.Add(-1, name, $"'{name}' must be a whole number from {min} to {max}.");
            return null;
        }
        return number;
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
    public double? Number(string name, double min, double max)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !(number >= min && number <= max))
        {
            Errors.Add(-1, name, $"'{name}' must be a number from {min} to {max}.");
            return null;
        }
        return number;
    }

    public bool? Boolean(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Errors.Add(-1, name, $"'{name}' must be true or false.");
        return null;
    }

    /// <summary>An array of up to <paramref name="maxItems"/> identifier strings, or null when absent.</summary>
    public IReadOnlyList<string>? Strings(string name, int maxItems, int maxLength)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems)
        {
            Errors.Add(-1, name, $"'{name}' must be an array of at most {maxItems} strings.");
            return null;
        }
        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            string? text = null;
            try
            {
                text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            }
            catch (InvalidOperationException)
            {
            }
            if (text is null || text.Length == 0 || text.Length > maxLength || TextRules.IdentifierProblem(name, text) is not null || text.Contains(' '))
            {
                Errors.Add(-1, name, $"'{name}' must hold non-empty strings without spaces or control characters, at most {maxLength} characters each.");
                return null;
            }
            items.Add(text);
        }
        return items;
    }

    public void Dispose() => _document.Dispose();
}
