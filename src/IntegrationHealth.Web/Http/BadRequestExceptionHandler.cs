using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace IntegrationHealth.Web.Http;

/// <summary>
/// Turns request-shaped exceptions into 4xx problem details instead of 500s: Kestrel's and the framework's
/// <see cref="BadHttpRequestException"/> (body too large, a query parameter that does not bind, a client that hung
/// up) and our own <see cref="RequestProblemException"/>. Minimal APIs throw on binding failures
/// (<c>RouteHandlerOptions.ThrowOnBadRequest</c>, set by the web defaults) so that the parameter can be named here;
/// without that they answer a bare 400. Everything else falls through to the default handler (a 500 problem without
/// internals).
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        var problem = exception is RequestProblemException ours
            ? Problems.Create(ours.StatusCode, ours.Message, field: ours.Field)
            : FromFramework(bad);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }

    /// <summary>
    /// The framework's messages name the parameter ("Failed to bind parameter \"Nullable&lt;int&gt; limit\" from
    /// \"abc\".", "Required parameter \"string x\" was not provided …"); its name becomes the field and the message is
    /// rewritten in our words, without the .NET type name. Messages without a parameter (Kestrel's) are kept.
    /// </summary>
    private static Microsoft.AspNetCore.Mvc.ProblemDetails FromFramework(BadHttpRequestException bad)
    {
        var match = bad.StatusCode == StatusCodes.Status400BadRequest ? BindingFailure().Match(bad.Message) : Match.Empty;
        if (!match.Success) return Problems.Create(bad.StatusCode, bad.Message);
        var name = match.Groups["name"].Value;
        var detail = bad.Message.StartsWith("Required", StringComparison.Ordinal)
            ? $"'{name}' is required."
            : $"'{name}' must be {Describe(match.Groups["type"].Value)}.";
        return Problems.Create(bad.StatusCode, detail, field: name);
    }

    private static string Describe(string type) => type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>') switch
    {
        "int" or "long" or "short" or "Int32" or "Int64" or "Int16" => "an integer",
        "DateTimeOffset" or "DateTime" => "an ISO 8601 date-time with an offset, e.g. 2026-11-23T10:00:00Z",
        "Guid" => "a UUID",
        "bool" or "Boolean" => "true or false",
        "decimal" or "double" or "float" => "a number",
        _ => "a valid value",
    };

    [GeneratedRegex("parameter \"(?<type>[^\"]*) (?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex BindingFailure();
}

/// <summary>
/// A request we refuse from deep inside reading it (e.g. a body labelled gzip that is not), answered by
/// <see cref="BadRequestExceptionHandler"/> as a problem with <paramref name="field"/> as the field at fault.
/// </summary>
public sealed class RequestProblemException(int statusCode, string message, string? field = null)
    : BadHttpRequestException(message, statusCode)
{
    /// <summary>The property, parameter or header at fault (<c>$</c> for the body as a whole), or null.</summary>
    public string? Field { get; } = field;
}
