using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Configuration;
using IntegrationHealth.Web.Http;

namespace IntegrationHealth.Ingestion.Upserts;

/// <summary>
/// Reads one item of an upsert batch strictly: the item must be an object; unknown and repeated properties are errors;
/// each accessor checks type and range and records an error (index + field) instead of throwing. JSON null is "absent".
/// Text follows <see cref="TextRules"/>: <see cref="Identifier"/> for ids and references, <see cref="String"/> (free
/// text) for the rest; a string or property name holding an unpaired surrogate escape is an error found here, before
/// anything decodes it (decoding throws).
/// </summary>
public sealed class ItemReader
{
    private readonly JsonElement _item;
    private readonly BatchErrors _errors;
    private readonly HashSet<string>? _undecodable;

    public ItemReader(JsonElement item, int index, BatchErrors errors, IReadOnlyCollection<string> allowed)
    {
        _item = item;
        _errors = errors;
        Index = index;
        var before = errors.Count;
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(index, "$", $"Each item must be a JSON object, not {item.ValueKind.ToString().ToLowerInvariant()}.");
            IsObject = false;
            return;
        }
        var readable = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in item.EnumerateObject())
        {
            var rawName = JsonMarshal.GetRawUtf8PropertyName(property);
            if (TextRules.HasUnpairedSurrogateEscape(rawName))
            {
                // Looking any property up by name would decode this one and throw: read nothing more of this item.
                var sent = Truncate(Encoding.UTF8.GetString(rawName));
                errors.Add(index, sent, TextRules.UnpairedSurrogate($"The property name '{sent}'"));
                readable = false;
                continue;
            }
            var name = property.Name;
            if (!allowed.Contains(name))
                errors.Add(index, Truncate(name), $"Unknown property '{Truncate(name)}'. Accepted: {string.Join(", ", allowed)}.");
            else if (!seen.Add(name))
                errors.Add(index, name, $"Property '{name}' appears more than once.");
            else if (property.Value.ValueKind == JsonValueKind.String
                && TextRules.HasUnpairedSurrogateEscape(JsonMarshal.GetRawUtf8Value(property.Value)))
            {
                errors.Add(index, name, TextRules.UnpairedSurrogate($"'{name}'"));
                (_undecodable ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }
        }
        IsObject = readable;
        HadStructuralErrors = errors.Count != before;
    }

    public int Index { get; }

    /// <summary>Whether the item is an object whose fields can be read (false also when a property name cannot be decoded).</summary>
    public bool IsObject { get; }

    public bool HadStructuralErrors { get; }

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        value = default;
        if (_undecodable?.Contains(name) == true) return false; // its error is recorded already
        if (!IsObject || !_item.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
        {
            value = default;
            if (required && IsObject) _errors.Add(Index, name, $"'{name}' is required.");
            return false;
        }
        return true;
    }

    /// <summary>Free text (names, subjects, comments, URLs, cursors): tabs and newlines allowed, other control characters not.</summary>
    public string? String(string name, bool required = false, int maxLength = 200, bool allowEmpty = false) =>
        Text(name, required, maxLength, allowEmpty, identifier: false);

    /// <summary>An identifier (an external id, or the account, provider or user an item refers to): see <see cref="TextRules"/>.</summary>
    public string? Identifier(string name, bool required = false) =>
        Text(name, required, StoreLengths.Key, allowEmpty: false, identifier: true);

    private string? Text(string name, bool required, int maxLength, bool allowEmpty, bool identifier)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            _errors.Add(Index, name, $"'{name}' must be a string.");
            return null;
        }
        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            _errors.Add(Index, name, $"'{name}' is longer than {maxLength} characters.");
            return null;
        }
        if (!allowEmpty && string.IsNullOrWhiteSpace(text))
        {
            _errors.Add(Index, name, $"'{name}' must not be empty.");
            return null;
        }
        if ((identifier ? TextRules.IdentifierProblem(name, text) : TextRules.FreeTextProblem(name, text)) is { } problem)
        {
            _errors.Add(Index, name, problem);
            return null;
        }
        return text;
    }

    public int? Int(string name, int min, int max, bool required = false)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
            return number;
        _errors.Add(Index, name, $"'{name}' must be an integer from {min} to {max}.");
        return null;
    }

    public decimal? Decimal(string name, decimal min, decimal max, bool required = false)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && number >= min && number <= max)
            return number;
        _errors.Add(Index, name, $"'{name}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        return null;
    }

    /// <summary>An ISO 8601 instant with an explicit offset, between 2000-01-01 and <paramref name="latestUtc"/>; returned as UTC.</summary>
    public DateTime? Instant(string name, DateTime latestUtc, bool required = false)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var instant)
            && WireInstants.HasExplicitOffset(value.GetString().AsSpan()))
        {
            var utc = instant.UtcDateTime;
            if (utc >= WireInstants.EarliestAccepted && utc <= latestUtc) return utc;
            _errors.Add(Index, name, $"'{name}' must be between 2000-01-01 and 5 minutes from now.");
            return null;
        }
        _errors.Add(Index, name, $"'{name}' must be an ISO 8601 date-time with an offset, e.g. \"2026-11-23T10:00:00Z\".");
        return null;
    }

    /// <summary>One of <paramref name="names"/> (exact spelling), mapped by <paramref name="parse"/>.</summary>
    public T? Choice<T>(string name, string[] names, Func<string?, T?> parse, bool required = false) where T : struct
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String && parse(value.GetString()) is { } parsed) return parsed;
        _errors.Add(Index, name, $"'{name}' must be one of {WireNames.Describe(names)}.");
        return null;
    }

    /// <summary>One of <paramref name="names"/> (exact spelling) as text.</summary>
    public string? Choice(string name, string[] names, bool required = false)
    {
        if (!TryGet(name, required, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String && Array.IndexOf(names, value.GetString()) >= 0) return value.GetString();
        _errors.Add(Index, name, $"'{name}' must be one of {WireNames.Describe(names)}.");
        return null;
    }

    /// <summary>Records a rule that spans fields (e.g. closedAt before openedAt).</summary>
    public void Error(string field, string message) => _errors.Add(Index, field, message);

    private static string Truncate(string text) => text.Length > 64 ? text[..64] + "…" : text;
}
