using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Http;

namespace IntegrationHealth.Web.Authentication;

/// <summary>
/// Reads the body of <c>POST /v1/keys</c> by hand, as strictly as the batch endpoints read theirs: one JSON object
/// with <c>scopes</c> (a non-empty array of scope names) and an optional <c>name</c> (free text, see
/// <see cref="TextRules"/>); unknown and repeated properties are errors; every error names its field. Model binding
/// would answer a bare 400 (or one naming .NET types) for most of these, and not at all for a bad surrogate escape.
/// </summary>
internal static class CreateApiKeyRequestReader
{
    /// <summary>The largest body accepted: two short fields need far less.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>The scopes a key made through the API may have; <c>platform</c> is for the command line only.</summary>
    private static readonly string[] Grantable = ["ingest", "read", "admin"];

    /// <summary>Longest key name accepted.</summary>
    public const int MaxNameLength = 200;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The scopes and name asked for; every problem goes to <paramref name="errors"/> (index -1).</summary>
    public static (ApiKeyScopes Scopes, string? Name) Read(ReadOnlySpan<byte> body, BatchErrors errors)
    {
        var json = BodyFormat.WithoutBom(body);
        if (!Utf8.IsValid(json))
        {
            errors.Add(-1, "$", "The body is not valid UTF-8.");
            return default;
        }
        var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        var scopes = ApiKeyScopes.None;
        string? name = null;
        bool seenScopes = false, seenName = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                errors.Add(-1, "$", "Expected a JSON object such as {\"scopes\":[\"read\"],\"name\":\"reporting\"}.");
                return default;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = PropertyName(ref reader);
                reader.Read();
                switch (property)
                {
                    case "scopes" when !seenScopes:
                        seenScopes = true;
                        scopes = ReadScopes(ref reader, errors);
                        break;
                    case "name" when !seenName:
                        seenName = true;
                        name = ReadName(ref reader, errors);
                        break;
                    case "scopes" or "name":
                        errors.Add(-1, property, $"Property '{property}' appears more than once.");
                        reader.Skip();
                        break;
                    default:
                        errors.Add(-1, property, $"Unknown property '{property}'. Accepted: scopes, name.");
                        reader.Skip();
                        break;
                }
            }
            if (reader.Read()) errors.Add(-1, "$", "Unexpected content after the request object.");
        }
        catch (JsonException ex)
        {
            // The reader's message names the position, without echoing the payload.
            errors.Add(-1, "$", $"Malformed JSON: {ex.Message}");
            return default;
        }
        if (!seenScopes) errors.Add(-1, "scopes", $"'scopes' is required: at least one of {WireNames.Describe(Grantable)}.");
        return (scopes, name);
    }

    private static string PropertyName(ref Utf8JsonReader reader)
    {
        var text = reader.ValueIsEscaped && TextRules.HasUnpairedSurrogateEscape(reader.ValueSpan)
            ? Encoding.UTF8.GetString(reader.ValueSpan)
            : reader.GetString()!;
        return text.Length > 64 ? text[..64] + "…" : text;
    }

    private static ApiKeyScopes ReadScopes(ref Utf8JsonReader reader, BatchErrors errors)
    {
        var scopes = ApiKeyScopes.None;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            errors.Add(-1, "scopes", $"'scopes' must be an array of scope names, e.g. [\"read\"]: {WireNames.Describe(Grantable)}.");
            reader.Skip();
            return scopes;
        }
        var position = 0;
        var before = errors.Count;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var scope = reader.TokenType == JsonTokenType.String && !IsUndecodable(ref reader) ? WireNames.ParseScope(reader.GetString()) : null;
            if (scope == ApiKeyScopes.Platform)
                errors.Add(-1, "scopes", "The 'platform' scope (operators' access to /hangfire) is granted only by the 'keys create' command, never through the API.");
            else if (scope is { } known) scopes |= known;
            else errors.Add(-1, "scopes", $"Unknown scope at position {position}; use {WireNames.Describe(Grantable)}.");
            reader.Skip();
            position++;
        }
        if (position == 0 && errors.Count == before)
            errors.Add(-1, "scopes", $"'scopes' must list at least one of {WireNames.Describe(Grantable)}.");
        return scopes;
    }

    private static string? ReadName(ref Utf8JsonReader reader, BatchErrors errors)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String)
        {
            errors.Add(-1, "name", "'name' must be a string.");
            reader.Skip();
            return null;
        }
        if (IsUndecodable(ref reader))
        {
            errors.Add(-1, "name", TextRules.UnpairedSurrogate("'name'"));
            return null;
        }
        var name = reader.GetString()!;
        if (name.Length > MaxNameLength)
            errors.Add(-1, "name", $"'name' is longer than {MaxNameLength} characters.");
        else if (TextRules.FreeTextProblem("name", name) is { } problem)
            errors.Add(-1, "name", problem);
        else
            return name;
        return null;
    }

    private static bool IsUndecodable(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped && TextRules.HasUnpairedSurrogateEscape(reader.ValueSpan);
}
