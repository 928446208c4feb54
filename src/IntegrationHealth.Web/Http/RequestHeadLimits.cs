using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace IntegrationHealth.Web.Http;

/// <summary>
/// Limits on the request line and headers, answered as problem details. Kestrel refuses a request over its own limits
/// before the application sees it, with an empty 414 or 431; so Kestrel's limits are set to twice ours and ours are
/// checked first thing in the pipeline, where a problem body can be sent. Only requests beyond Kestrel's doubled
/// limits still get its empty answer.
/// </summary>
public static class RequestHeadLimits
{
    /// <summary>Longest request target (path and query, as sent), in bytes: Kestrel's default request-line limit.</summary>
    public const int MaxTargetLength = 8 * 1024;

    /// <summary>Largest total of header names and values (counting ": " and CRLF), in bytes: Kestrel's default.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Most headers in one request: Kestrel's default.</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Raises Kestrel's limits above ours so that our check, with its problem body, comes first.</summary>
    public static void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestLineSize = 2 * MaxTargetLength;
        kestrel.Limits.MaxRequestHeadersTotalSize = 2 * MaxHeaderBytes;
        kestrel.Limits.MaxRequestHeaderCount = 2 * MaxHeaderCount;
    }

    /// <summary>Middleware: 414 for a request target over <see cref="MaxTargetLength"/>, 431 for headers over the limits.</summary>
    public static Task CheckAsync(HttpContext context, RequestDelegate next) =>
        Violation(context) is { } violation ? RefuseAsync(context, violation.Status, violation.Detail) : next(context);

    /// <summary>The status and detail a request over the limits is refused with, or null when it is within them (for
    /// early paths that serve a request before this middleware and must leave refusals to it).</summary>
    public static (int Status, string Detail)? Violation(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (target is { Length: > MaxTargetLength })
            return (StatusCodes.Status414UriTooLong,
                $"The request target is {target.Length} bytes long; at most {MaxTargetLength} are accepted. Send long filters in a body.");

        var headers = context.Request.Headers;
        if (headers.Count > MaxHeaderCount)
            return (StatusCodes.Status431RequestHeaderFieldsTooLarge, $"The request has {headers.Count} headers; at most {MaxHeaderCount} are accepted.");
        var bytes = 0;
        foreach (var (name, values) in headers)
        {
            bytes += name.Length + 4;
            foreach (var value in values) bytes += value?.Length ?? 0;
        }
        return bytes > MaxHeaderBytes
            ? (StatusCodes.Status431RequestHeaderFieldsTooLarge, $"The request headers total {bytes} bytes; at most {MaxHeaderBytes} are accepted.")
            : null;
    }

    private static async Task RefuseAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = Problems.Create(status, detail) });
    }
}
