using System.Globalization;
using System.Net.Http.Headers;
using IntegrationHealth.Engine.Definitions;

namespace IntegrationHealth.Engine.Responses;

/// <summary>A provider's rate-limit state after one response, normalized from its own headers.</summary>
public sealed record RateLimitSnapshot(int? Limit, int? Remaining, TimeSpan? ResetAfter)
{
    public static readonly RateLimitSnapshot None = new(null, null, null);
}

/// <summary>Reads the definition's rate-limit headers (limit, remaining, reset in its unit).</summary>
internal static class RateLimitReader
{
    public static RateLimitSnapshot Read(RateLimitDefinition? definition, HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (definition is null) return RateLimitSnapshot.None;
        var limit = definition.Limit is { } l ? Integer(ResponseHeaders.First(headers, l.Header)) : null;
        var remaining = definition.Remaining is { } r ? Integer(ResponseHeaders.First(headers, r.Header)) : null;
        var reset = definition.Reset is { } reset1 ? TimeHeaderReader.Read(headers, reset1.Header, reset1.Unit, now) : null;
        // Telemetry refuses remaining above limit; a provider reporting that (burst allowances) is clamped.
        if (limit is { } lim && remaining > lim) remaining = lim;
        return new RateLimitSnapshot(limit, remaining, reset);
    }

    /// <summary>The leading integer of a value such as <c>100</c> or <c>100, 100;w=10</c> (IETF draft lists).</summary>
    private static int? Integer(string? value)
    {
        if (value is null) return null;
        var span = value.AsSpan().Trim();
        var end = 0;
        while (end < span.Length && char.IsAsciiDigit(span[end])) end++;
        return end > 0 && int.TryParse(span[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}
