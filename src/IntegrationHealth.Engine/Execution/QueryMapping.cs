using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Jsonata;

namespace IntegrationHealth.Engine.Execution;

/// <summary>The provider's own request parts a <c>query_mapping</c> made of the unified filters: query parameters and
/// headers (literal values, never templates: a caller's filter text cannot name a call parameter), and fields merged
/// into the operation's JSON body.</summary>
internal sealed record MappedRequest(IReadOnlyList<(string Name, string Value)> Query, IReadOnlyList<(string Name, string Value)> Headers,
    JsonObject? Body)
{
    public static readonly MappedRequest None = new([], [], null);
}

/// <summary>The caller's filters could not be turned into the provider's request (the query mapping failed on them).</summary>
public sealed class QueryMappingException(string provider, string resource, string where, string message)
    : EngineCallException(provider, resource, $"{provider} {resource}: the query mapping at {where} failed: {message}")
{
    /// <summary>The JSONPath of the mapping in the definition.</summary>
    public string Where { get; } = where;
    public string Detail { get; } = message;
}

/// <summary>
/// Runs an operation's <c>query_mapping</c>: the unified filters in, <c>{query, headers, body}</c> out. Strings,
/// numbers and booleans become parameter text; an array under <c>query</c> repeats the parameter; null or absent
/// members are left out, so an optional filter simply disappears.
/// </summary>
internal static class QueryMapping
{
    private static readonly JsonataOptions Limits = new() { Timeout = TimeSpan.FromSeconds(1) };

    public static MappedRequest Evaluate(LoadedProvider provider, string resource, OperationDefinition operation, ListRequest request,
        EngineConnection connection, string where)
    {
        if (operation.QueryMapping is not { } source) return MappedRequest.None;
        var parameters = new JsonObject();
        foreach (var (name, value) in request.Parameters) parameters[name] = value;
        var connectionValues = new JsonObject();
        foreach (var (name, value) in connection.Values) connectionValues[name] = value;
        var bindings = new JsonataBindings().Add("parameters", parameters).Add("connection", connectionValues);
        if (request.Limit is { } limit) bindings.Add("limit", JsonValue.Create(limit));

        JsonataResult result;
        try
        {
            result = provider.Expression(source).Evaluate(request.Filters?.DeepClone() ?? new JsonObject(), bindings, Limits);
        }
        catch (JsonataException e)
        {
            throw new QueryMappingException(provider.Key, resource, where, $"{e.Code} at position {e.Position}: {e.Message}");
        }
        if (result.IsUndefined || result.Value is null) return MappedRequest.None;
        if (result.Value is not JsonObject mapped)
            throw new QueryMappingException(provider.Key, resource, where, "The mapping did not produce an object of {query, headers, body}.");

        var query = Pairs(mapped["query"], repeatArrays: true, provider, resource, where, "query");
        var headers = Pairs(mapped["headers"], repeatArrays: false, provider, resource, where, "headers");
        var body = mapped["body"] switch
        {
            null => null,
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw new QueryMappingException(provider.Key, resource, where, "'body' must be an object."),
        };
        if (body is not null && operation.Method == "GET")
            throw new QueryMappingException(provider.Key, resource, where, "A GET operation cannot send a body; map the filters to 'query'.");
        return new MappedRequest(query, headers, body);
    }

    private static List<(string, string)> Pairs(JsonNode? node, bool repeatArrays, LoadedProvider provider, string resource, string where, string member)
    {
        var pairs = new List<(string, string)>();
        if (node is null) return pairs;
        if (node is not JsonObject members) throw new QueryMappingException(provider.Key, resource, where, $"'{member}' must be an object.");
        foreach (var (name, value) in members)
        {
            if (value is JsonArray array && repeatArrays)
            {
                foreach (var item in array) if (Text(item) is { } text) pairs.Add((name, text));
            }
            else if (value is JsonObject or JsonArray)
            {
                throw new QueryMappingException(provider.Key, resource, where, $"'{member}.{name}' must be a string, number or boolean.");
            }
            else if (Text(value) is { } text)
            {
                pairs.Add((name, text));
            }
        }
        return pairs;
    }

    private static string? Text(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => value.ToJsonString(),
    };

    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/>: objects key by key, anything else replaced.</summary>
    public static JsonObject MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is JsonObject child && target[name] is JsonObject existing) MergeInto(existing, child);
            else target[name] = value?.DeepClone();
        }
        return target;
    }
}
