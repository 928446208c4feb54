using IntegrationHealth.Engine.Definitions;

namespace IntegrationHealth.Engine.Proxy;

/// <summary>
/// The endpoint template telemetry names for a proxied path, never the raw path: the path template of the definition's
/// operation that matches it (<c>/crm/v3/objects/contacts/{id}</c>), else the path with every segment that looks like
/// an identifier (digits, UUIDs, long hex or mixed letters-and-digits tokens, e-mail addresses, anything over 40
/// characters) replaced by <c>{id}</c>. The query is never part of it.
/// </summary>
public static class ProxyEndpointTemplate
{
    private const int MaxLength = 300;

    /// <param name="provider">The connection's definition.</param>
    /// <param name="path">The path relative to the base URL, starting with '/', without query.</param>
    public static string Of(LoadedProvider provider, string path)
    {
        var segments = Split(path);
        foreach (var resource in provider.Definition.Resources.Values)
        {
            foreach (var operation in resource.Operations.Values)
            {
                var template = Split(operation.Path);
                if (template.Length == segments.Length && template.Zip(segments).All(p => IsPlaceholder(p.First) || p.First == p.Second))
                    return Cut("/" + string.Join('/', template));
            }
        }
        return Cut("/" + string.Join('/', segments.Select(s => LooksLikeId(s) ? "{id}" : s)));
    }

    private static string[] Split(string path) => path.Split('?', 2)[0].Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static bool IsPlaceholder(string segment) => segment.Length > 2 && segment[0] == '{' && segment[^1] == '}';

    /// <summary>Whether a path segment is (probably) a record's id rather than a word of the API's vocabulary.</summary>
    public static bool LooksLikeId(string segment)
    {
        if (segment.Length == 0) return false;
        if (segment.Length > 40 || segment.Contains('@') || Guid.TryParse(segment, out _)) return true;
        var digits = segment.Count(char.IsAsciiDigit);
        if (digits == segment.Length) return true;
        if (segment.Length >= 8 && segment.All(char.IsAsciiHexDigit) && digits > 0) return true;
        // Version words (v3, v1.2) are vocabulary; other tokens mixing letters and digits (00Q5e00000AbCdE, cus_9s6XK) are ids.
        if (segment.Length <= 5 && (segment[0] is 'v' or 'V')) return false;
        return digits > 0 && segment.Length >= 6;
    }

    private static string Cut(string template) => template.Length <= MaxLength ? template : template[..MaxLength];
}
