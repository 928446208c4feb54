using Microsoft.Net.Http.Headers;

namespace IntegrationHealth.Web.Http;

/// <summary>Recognises the body formats of the write endpoints from Content-Type.</summary>
public static class BodyFormat
{
    public enum Kind { Unsupported, Json, Ndjson }

    public static Kind Of(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type) return Kind.Unsupported;
        // A parameter value may be a quoted string (RFC 9110 §5.6.6): charset="UTF-8" is charset=UTF-8.
        var charset = media.Charset.HasValue ? HeaderUtilities.UnescapeAsQuotedString(media.Charset) : default;
        if (charset.HasValue && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            return Kind.Unsupported;
        if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
            return Kind.Json;
        if (type.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/ndjson", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/jsonl", StringComparison.OrdinalIgnoreCase))
            return Kind.Ndjson;
        return Kind.Unsupported;
    }

    /// <summary>The body without a leading UTF-8 byte-order mark (the JSON reader rejects one).</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> body) =>
        body.StartsWith("\uFEFF"u8) ? body[3..] : body;
}
