using System.Globalization;
using System.Net.Http.Headers;

namespace IntegrationHealth.Engine.Responses;

/// <summary>Reads a header that carries a time (a wait or a reset) in one of the definition units, as a delay from now.</summary>
internal static class TimeHeaderReader
{
    public const string DeltaSeconds = "delta_seconds";
    public const string DeltaMilliseconds = "delta_milliseconds";
    public const string EpochSeconds = "epoch_seconds";
    public const string EpochMilliseconds = "epoch_milliseconds";
    public const string HttpDate = "http_date";
    public const string RetryAfter = "retry_after";

    /// <summary>The delay until the time the header names (zero when it is past), or null when absent or unreadable.</summary>
    public static TimeSpan? Read(HttpResponseHeaders headers, string name, string unit, DateTimeOffset now) =>
        ResponseHeaders.First(headers, name) is { } value ? Parse(value, unit, now) : null;

    public static TimeSpan? Parse(string value, string unit, DateTimeOffset now)
    {
        value = value.Trim();
        TimeSpan? delay = unit switch
        {
            DeltaSeconds => Number(value) is { } s ? TimeSpan.FromSeconds(s) : null,
            DeltaMilliseconds => Number(value) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            EpochSeconds => Number(value) is { } es ? DateTimeOffset.FromUnixTimeMilliseconds((long)(es * 1000)) - now : null,
            EpochMilliseconds => Number(value) is { } em ? DateTimeOffset.FromUnixTimeMilliseconds((long)em) - now : null,
            HttpDate => Date(value) is { } d ? d - now : null,
            // RFC 9110 §10.2.3: delay-seconds or an HTTP-date.
            RetryAfter => Number(value) is { } r ? TimeSpan.FromSeconds(r) : Date(value) is { } rd ? rd - now : null,
            _ => null,
        };
        return delay is { } d2 && d2 < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    private static double? Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) && n >= 0 ? n : null;

    private static DateTimeOffset? Date(string value) =>
        DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}

/// <summary>Header look-ups that tolerate providers' habits (repeated headers, lists).</summary>
internal static class ResponseHeaders
{
    public static string? First(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
