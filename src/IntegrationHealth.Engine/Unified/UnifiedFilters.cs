using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;

namespace IntegrationHealth.Engine.Unified;

/// <summary>
/// The filters of a unified listing, read from the query string: each must be a declared filter of the list operation
/// (its <c>filters</c>, given to its <c>query_mapping</c>, typed) or a placeholder its templates name (passed as a call
/// parameter, as before query mappings existed). Anything else is refused, naming what is accepted.
/// </summary>
internal static class UnifiedFilters
{
    private static readonly string[] Reserved = ["connection", "cursor", "limit"];

    /// <summary>The call parameters, the mapped filters, and every filter as given (for the cursor's digest); or the
    /// offending parameter and why.</summary>
    public static (Dictionary<string, string> Parameters, JsonObject? Filters, Dictionary<string, string> Given, string? Field, string? Error) Read(
        OperationDefinition operation, IQueryCollection query)
    {
        var templated = operation.Query.Values.Concat(operation.Headers.Values).Append(operation.Path)
            .SelectMany(t => PlaceholderTemplate.Parse(t).Names).ToHashSet(StringComparer.Ordinal);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonObject? filters = operation.Filters.Count > 0 ? new JsonObject() : null;
        foreach (var (name, values) in query)
        {
            if (Reserved.Contains(name)) continue;
            var declared = operation.Filters.GetValueOrDefault(name);
            if (declared is null && !templated.Contains(name))
            {
                var known = operation.Filters.Keys.Concat(templated).Distinct().Order(StringComparer.Ordinal).ToList();
                return Fail(name, $"'{name}' is not a filter of this resource (filters: {(known.Count == 0 ? "none" : string.Join(", ", known))}).");
            }
            if (values.Count != 1) return Fail(name, $"Give the filter '{name}' once.");
            var text = values[0]!;
            given[name] = text;
            if (declared is null)
            {
                parameters[name] = text;
                continue;
            }
            if (Typed(declared.Type, text) is not { } value)
                return Fail(name, $"'{name}' must be {Article(declared.Type)}.");
            filters![name] = value;
        }
        return (parameters, filters, given, null, null);

        static (Dictionary<string, string>, JsonObject?, Dictionary<string, string>, string?, string?) Fail(string field, string error) =>
            ([], null, [], field, error);
    }

    private static JsonNode? Typed(string type, string text) => type switch
    {
        "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            && text.Length >= 10
            ? JsonValue.Create(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            : null,
        "integer" => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : null,
        "boolean" => text switch { "true" => JsonValue.Create(true), "false" => JsonValue.Create(false), _ => null },
        _ => text.Length <= 1000 ? JsonValue.Create(text) : null,
    };

    private static string Article(string type) => type switch
    {
        "date-time" => "an ISO 8601 date-time",
        "integer" => "an integer",
        "boolean" => "true or false",
        _ => "a string of at most 1000 characters",
    };
}
