using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Jsonata;

namespace IntegrationHealth.Engine.Execution;

/// <summary>A provider's error as the definition's <c>error_mapping</c> read it: what the problem details of a unified
/// response say instead of our generic text. Each member is cut at <see cref="ProviderErrors.MaxLength"/> characters.</summary>
public sealed record ProviderError(string? Title, string? Detail, string? Code);

/// <summary>
/// Runs the error mapping (the operation's, else the provider's) over a failed response's body, with <c>$status</c>
/// and <c>$headers</c> (lower-case names, first values) bound. The definition chooses what of the provider's error
/// reaches the caller; nothing else of the body does. A mapping that fails is logged and ignored: the call's failure
/// stands as classified, with our own wording.
/// </summary>
internal static class ProviderErrors
{
    public const int MaxLength = 500;
    private static readonly JsonataOptions Limits = new() { Timeout = TimeSpan.FromSeconds(1) };

    public static ProviderError? Map(LoadedProvider provider, OperationDefinition operation, int status, HttpResponseHeaders headers,
        JsonDocument? body, ILogger logger, string resource)
    {
        if ((operation.ErrorMapping ?? provider.Definition.ErrorMapping) is not { } source || body is null) return null;
        var headerValues = new JsonObject();
        foreach (var (name, values) in headers) headerValues[name.ToLowerInvariant()] = values.FirstOrDefault();
        var bindings = new JsonataBindings().Add("status", JsonValue.Create(status)).Add("headers", headerValues);
        try
        {
            var result = provider.Expression(source).Evaluate(body.RootElement, bindings, Limits);
            if (result.IsUndefined || result.Value is not JsonObject mapped) return null;
            var error = new ProviderError(Text(mapped["title"]), Text(mapped["detail"]), Text(mapped["code"]));
            return error is { Title: null, Detail: null, Code: null } ? null : error;
        }
        catch (JsonataException e)
        {
            EngineLog.ErrorMappingFailed(logger, provider.Key, resource, e.Code);
            return null;
        }
    }

    private static string? Text(JsonNode? node)
    {
        var text = node switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Length <= MaxLength ? text : text[..MaxLength];
    }
}
