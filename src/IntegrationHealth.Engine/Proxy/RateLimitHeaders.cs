using System.Globalization;
using IntegrationHealth.Engine.Responses;

namespace IntegrationHealth.Engine.Proxy;

/// <summary>
/// Writes a provider's rate-limit state on our response as the IETF fields <c>RateLimit-Limit</c>,
/// <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> (delta seconds, rounded up), each only when the provider gave
/// it (through the definition's <c>rate_limit</c> mapping), and <c>Retry-After</c> (seconds) on a 429 or 503 that
/// lacks one, from the classification's wait or the reset.
/// </summary>
public static class RateLimitHeaders
{
    public static void Write(IHeaderDictionary headers, RateLimitSnapshot rateLimit, int status, TimeSpan? wait = null)
    {
        if (rateLimit.Limit is { } limit) headers["RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        if (rateLimit.Remaining is { } remaining) headers["RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        if (rateLimit.ResetAfter is { } reset) headers["RateLimit-Reset"] = Seconds(reset);
        if (status is 429 or 503 && headers.RetryAfter.Count == 0 && (wait ?? rateLimit.ResetAfter) is { } after)
            headers.RetryAfter = Seconds(after);
    }

    private static string Seconds(TimeSpan value) =>
        ((long)Math.Ceiling(Math.Max(0, value.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
}
