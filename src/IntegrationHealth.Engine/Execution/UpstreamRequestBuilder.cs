using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Pagination;

namespace IntegrationHealth.Engine.Execution;

/// <summary>
/// Builds the HTTP request of one page of an operation: the base URL rendered over the connection's values (each
/// checked against its declared pattern), the path over the call's parameters (escaped as segments), the query,
/// headers and JSON body, then the page's values at their locations. The credential is injected by the caller, last.
/// </summary>
internal static class UpstreamRequestBuilder
{
    public static Uri BaseUri(LoadedProvider provider, EngineConnection connection, string resource, EngineOptions options)
    {
        var definition = provider.Definition;
        var rendered = PlaceholderTemplate.Parse(definition.BaseUrl).Render(name => ConnectionValue(provider, connection, resource, name));
        if (!Uri.TryCreate(rendered, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new ConnectionConfigurationException(provider.Key, resource, "The connection's values do not give an absolute http(s) base URL.");
        return options.ApplyOriginOverride(provider.Key, uri);
    }

    /// <summary>A connection value, its default, or an error naming it; checked against its pattern either way.</summary>
    public static string ConnectionValue(LoadedProvider provider, EngineConnection connection, string resource, string name)
    {
        var declared = provider.Definition.ConnectionValues.GetValueOrDefault(name);
        var value = connection.Values.GetValueOrDefault(name) ?? declared?.Default
            ?? throw new ConnectionConfigurationException(provider.Key, resource, $"The connection has no value for '{name}'.");
        if (declared?.Pattern is { } pattern && !Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.None, TimeSpan.FromSeconds(1)))
            throw new ConnectionConfigurationException(provider.Key, resource, $"The connection's '{name}' does not match its pattern.");
        return value;
    }

    public static HttpRequestMessage Build(LoadedProvider provider, EngineConnection connection, string resource,
        OperationDefinition operation, IReadOnlyDictionary<string, string> parameters, PageRequest page, Uri baseUri, MappedRequest? mapped = null)
    {
        mapped ??= MappedRequest.None;
        Uri uri;
        if (page.NextUrl is { } next)
        {
            uri = next;
        }
        else
        {
            var path = PlaceholderTemplate.Parse(operation.Path).Render(name => parameters.TryGetValue(name, out var v)
                ? Uri.EscapeDataString(v)
                : throw new ArgumentException($"The '{operation.Method} {operation.Path}' operation of {resource} needs the parameter '{name}'.", nameof(parameters)));
            var query = new List<(string, string)>(UriQuery.Parse(baseUri.Query));
            foreach (var (name, template) in operation.Query)
            {
                // A query value over a parameter the call did not give is left out: optional filters.
                if (TryRender(template, parameters) is { } value) query.Add((name, value));
            }
            // The query mapping's parameters replace the operation's own of the same name (a filter narrows a default).
            var mappedNames = mapped.Query.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            query.RemoveAll(p => mappedNames.Contains(p.Item1));
            query.AddRange(mapped.Query);
            var builder = new UriBuilder(baseUri) { Path = baseUri.AbsolutePath.TrimEnd('/') + path, Query = UriQuery.Format(query) };
            uri = builder.Uri;
        }

        var request = new HttpRequestMessage(new HttpMethod(operation.Method), uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, template) in provider.Definition.Headers)
            SetHeader(request, name, PlaceholderTemplate.Parse(template).Render(n => ConnectionValue(provider, connection, resource, n)));
        foreach (var (name, template) in operation.Headers)
        {
            if (TryRender(template, parameters) is { } value) SetHeader(request, name, value);
        }
        foreach (var (name, value) in mapped.Headers) SetHeader(request, name, value);

        var body = operation.Body is { } b ? JsonNode.Parse(b.GetRawText()) : null;
        if (mapped.Body is { } mappedBody) body = QueryMapping.MergeInto(body as JsonObject ?? new JsonObject(), mappedBody);
        IEnumerable<(ValueLocation, JsonNode)> values = page.Values;
        if (operation.Pagination is { PageSizeParam: { } sizeAt, PageSize: { } size })
            values = values.Prepend((sizeAt, JsonValue.Create(size))); // on every page, next links included
        foreach (var (location, value) in values)
        {
            if (location.Query is { } q) request.RequestUri = UriQuery.With(request.RequestUri!, q, Text(value));
            else if (location.Header is { } h) SetHeader(request, h, Text(value));
            else if (location.BodyPath is { } path) body = SetAtPath(body as JsonObject ?? new JsonObject(), path, value.DeepClone());
        }
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return request;
    }

    private static string? TryRender(string template, IReadOnlyDictionary<string, string> parameters)
    {
        var parsed = PlaceholderTemplate.Parse(template);
        return parsed.Names.All(parameters.ContainsKey) ? parsed.Render(n => parameters[n]) : null;
    }

    private static void SetHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }

    private static string Text(JsonNode value) => value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();

    /// <summary>Sets <paramref name="value"/> at a dotted path, creating the objects on the way.</summary>
    private static JsonObject SetAtPath(JsonObject root, string path, JsonNode value)
    {
        var segments = path.Split('.');
        var current = root;
        foreach (var segment in segments[..^1])
        {
            if (current[segment] is not JsonObject child) current[segment] = child = new JsonObject();
            current = child;
        }
        current[segments[^1]] = value;
        return root;
    }
}
