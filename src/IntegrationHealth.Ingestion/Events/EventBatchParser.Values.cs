using System.Text;
using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Web.Http;

namespace IntegrationHealth.Ingestion.Events;

public static partial class EventBatchParser
{
    private static readonly byte[][] KindValues = ToUtf8(WireNames.Kinds);
    private static readonly byte[][] MethodValues = ToUtf8(WireNames.Methods);
    private static readonly byte[][] OutcomeValues = ToUtf8(WireNames.Outcomes);
    private static readonly byte[][] ErrorClassValues = ToUtf8(WireNames.ErrorClasses);

    private static byte[][] ToUtf8(string[] names) => [.. names.Select(Encoding.UTF8.GetBytes)];

    /// <summary>
    /// The current token's text as UTF-8 without escapes; false when it does not fit the scratch buffer or cannot be
    /// unescaped (an unpaired surrogate escape, on which the reader throws).
    /// </summary>
    private static bool Unescaped(ref Utf8JsonReader reader, Span<byte> scratch, out ReadOnlySpan<byte> value)
    {
        if (!reader.ValueIsEscaped)
        {
            value = reader.ValueSpan;
            return true;
        }
        if (reader.ValueSpan.Length <= scratch.Length && !TextRules.HasUnpairedSurrogateEscape(reader.ValueSpan))
        {
            var written = reader.CopyString(scratch);
            value = scratch[..written];
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>
    /// The name of an unknown property for its error: the decoded name (truncated), or its JSON text as sent when the
    /// name cannot be decoded, so that the error names it without throwing.
    /// </summary>
    private static string UnknownName(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped && TextRules.HasUnpairedSurrogateEscape(reader.ValueSpan)
            ? Truncate(Encoding.UTF8.GetString(reader.ValueSpan))!
            : Truncate(reader.GetString())!;

    /// <summary>
    /// Records an error and returns true when the value is a string holding an unpaired surrogate escape: decoding it
    /// (GetString, TryGetGuid, …) would throw. Checked once per property before any field reads its value; costs one
    /// flag test for the unescaped strings real telemetry sends.
    /// </summary>
    private static bool IsUndecodable(ref Utf8JsonReader reader, int index, string name, BatchErrors errors)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.ValueIsEscaped || !TextRules.HasUnpairedSurrogateEscape(reader.ValueSpan))
            return false;
        errors.Add(index, name, TextRules.UnpairedSurrogate($"'{name}'"));
        return true;
    }

    /// <summary>Index of the string token in <paramref name="values"/> (exact, case-sensitive); null otherwise.</summary>
    private static int? MatchEnum(ref Utf8JsonReader reader, Span<byte> scratch, byte[][] values)
    {
        if (reader.TokenType != JsonTokenType.String || !Unescaped(ref reader, scratch, out var text) || text.IsEmpty) return null;
        for (var i = 0; i < values.Length; i++)
        {
            if (text.SequenceEqual(values[i])) return i;
        }
        return null;
    }

    /// <summary>An ISO 8601 instant that states its offset ("Z" or ±hh:mm), within the batch's window; stored as UTC.</summary>
    private static bool ReadInstant(ref Utf8JsonReader reader, Span<byte> scratch, int index, EventRules rules, BatchErrors errors, out DateTime utc)
    {
        utc = default;
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var instant)
            || !Unescaped(ref reader, scratch, out var text) || !WireInstants.HasExplicitOffset(text))
        {
            errors.Add(index, "occurredAt", "'occurredAt' must be an ISO 8601 date-time with an offset, e.g. \"2026-11-23T10:00:00.123Z\".");
            return false;
        }
        utc = instant.UtcDateTime;
        if (utc < rules.EarliestUtc)
        {
            errors.Add(index, "occurredAt", $"'occurredAt' must not be before {rules.EarliestUtc:yyyy-MM-dd}.");
            return false;
        }
        if (utc > rules.LatestUtc)
        {
            errors.Add(index, "occurredAt", "'occurredAt' is more than 5 minutes in the future.");
            return false;
        }
        return true;
    }

    /// <summary>
    /// A bounded string, checked by <see cref="TextRules"/>: an identifier (ids, resource, user, endpoint, field, record
    /// id) unless <paramref name="freeText"/> (an error message, which may break lines).
    /// </summary>
    private static string? ReadText(ref Utf8JsonReader reader, int index, string name, BatchErrors errors, bool allowEmpty,
        int maxLength = MaxTextLength, bool freeText = false)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            errors.Add(index, name, $"'{name}' must be a string, not {Describe(reader.TokenType)}.");
            return null;
        }
        // Cheap bound before allocating: each UTF-16 unit takes at least one byte (escapes take more).
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length > maxLength * 3)
        {
            errors.Add(index, name, $"'{name}' is longer than {maxLength} characters.");
            return null;
        }
        var value = reader.GetString()!;
        if (value.Length > maxLength)
        {
            errors.Add(index, name, $"'{name}' is longer than {maxLength} characters.");
            return null;
        }
        if (!allowEmpty && string.IsNullOrWhiteSpace(value))
        {
            errors.Add(index, name, $"'{name}' must not be empty.");
            return null;
        }
        // One vectorised scan of a string already decoded.
        if ((freeText ? TextRules.FreeTextProblem(name, value) : TextRules.IdentifierProblem(name, value)) is { } problem)
        {
            errors.Add(index, name, problem);
            return null;
        }
        return value;
    }

    private static int? ReadInt(ref Utf8JsonReader reader, int index, string name, int min, int max, BatchErrors errors)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) && value >= min && value <= max)
            return value;
        errors.Add(index, name, $"'{name}' must be an integer from {min} to {max}.");
        return null;
    }

    private static bool IsMissing(uint missing, Field field) => (missing & (1u << (int)field)) != 0;

    private static void Require(int index, Field field, bool present, uint missing, BatchErrors errors)
    {
        if (!present && IsMissing(missing, field))
            errors.Add(index, FieldNames[(int)field], $"'{FieldNames[(int)field]}' is required.");
    }

    private static bool IsNumeric(Field field) =>
        field is Field.Status or Field.LatencyMs or Field.Records or Field.RateLimitLimit or Field.RateLimitRemaining;

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string? Truncate(string? text) => text is { Length: > 64 } ? text[..64] + "…" : text;
}
