using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;

namespace IntegrationHealth.Web.Http;

/// <summary>
/// Route values exactly as the client percent-encoded them. Kestrel decodes the path except <c>%2F</c>, which it
/// keeps encoded so that it cannot split a segment; a route value therefore reads <c>a%2Fb</c> for the id <c>a/b</c>,
/// and the same for the id <c>a%2Fb</c> (sent as <c>a%252Fb</c>), so neither could be fetched. Decoding the segment
/// from the raw request target instead gives every id back exactly, whatever it holds (see <see cref="TextRules"/>).
/// </summary>
public static class RouteText
{
    /// <summary>
    /// The value of the route parameter <paramref name="name"/> (a whole path segment), decoded from the raw request
    /// target; <paramref name="routeValue"/> when that cannot be done safely (no raw target, or one whose segments
    /// were rewritten by dot-segment normalisation).
    /// </summary>
    public static string Exact(HttpContext context, string name, string routeValue)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint) return routeValue;
        var segments = endpoint.RoutePattern.PathSegments;
        var position = -1;
        for (var i = 0; i < segments.Count && position < 0; i++)
        {
            if (segments[i].Parts is [RoutePatternParameterPart parameter] && string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase))
                position = i;
        }
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (position < 0 || raw is null || !raw.StartsWith('/')) return routeValue;

        var query = raw.IndexOf('?');
        var rawSegments = (query < 0 ? raw : raw[..query]).Split('/');
        var request = context.Request;
        var decodedPath = request.PathBase.Add(request.Path).Value ?? "";
        // Same number of segments: Kestrel removed no "." or ".." segment, so positions correspond.
        if (rawSegments.Length != decodedPath.Count(c => c == '/') + 1) return routeValue;
        var index = 1 + (request.PathBase.Value?.Count(c => c == '/') ?? 0) + position;
        return index < rawSegments.Length ? Uri.UnescapeDataString(rawSegments[index]) : routeValue;
    }
}
