using System.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Http;

/// <summary>
/// Brings every problem document to the shape of <see cref="Problems"/>, whoever made it: our endpoints, status-code
/// pages (404, 405, routing's 415), the exception handler (500), authentication (401, 403). The framework's defaults
/// leave <c>detail</c> out and point <c>type</c> to another host; here both are filled in from the status.
/// </summary>
public static class ProblemShape
{
    /// <summary>Fills in what the problem lacks: status, type and title (ours, replacing the framework's defaults),
    /// detail (from the request), traceId, and for a 415 the <c>Content-Type</c> header as the field at fault.</summary>
    public static void Apply(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Status = status;
        // The framework's own problems (TypedResults.Problem(statusCode: …), status-code pages) carry tools.ietf.org
        // types and reason-phrase titles; a problem we made has neither, so this never overrides a chosen title.
        var frameworkMade = problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal);
        if (frameworkMade) problem.Type = Problems.TypeFor(status);
        if (problem.Title is null || (frameworkMade && IsFrameworkTitle(problem.Title, status))) problem.Title = Problems.TitleFor(status);
        problem.Detail ??= DefaultDetail(http, status);
        if (status == StatusCodes.Status415UnsupportedMediaType && !problem.Extensions.ContainsKey(Problems.ErrorsKey))
        {
            var errors = new BatchErrors(1);
            errors.Add(-1, "Content-Type", problem.Detail);
            Problems.AddErrors(problem, errors);
        }
        problem.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
    }

    private static bool IsFrameworkTitle(string title, int status) =>
        title == ReasonPhrases.GetReasonPhrase(status) || title == "An error occurred while processing your request.";

    /// <summary>What went wrong, in words, for problems that arrive without a detail.</summary>
    private static string DefaultDetail(HttpContext http, int status)
    {
        var request = http.Request;
        var target = $"{request.Method} {Clip(request.Path.Value)}";
        return status switch
        {
            StatusCodes.Status400BadRequest => $"{target}: the request could not be read.",
            StatusCodes.Status404NotFound => $"Nothing is at {target}; the endpoints are listed in /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => http.Response.Headers.Allow is { Count: > 0 } allow
                ? $"{target} is not allowed; {Clip(request.Path.Value)} allows {allow}."
                : $"{target} is not allowed.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"{target} does not accept Content-Type '{Clip(request.ContentType ?? "(none)")}'; the media types it accepts are in /openapi/v1.json.",
            StatusCodes.Status500InternalServerError => "An unexpected error occurred and was logged; quote the traceId when reporting it.",
            _ => Problems.TitleFor(status),
        };
    }

    private static string Clip(string? text) => text is null ? "" : text.Length > 200 ? text[..200] + "…" : text;
}

/// <summary>
/// The one problem-details writer: application/problem+json whatever the request's Accept header says (the default
/// writer declines clients that accept only HTML, which made <c>IProblemDetailsService.WriteAsync</c> throw and the
/// 401 challenge of such a request a bare 500), in the shape of <see cref="ProblemShape"/>.
/// </summary>
public sealed class ProblemJsonWriter(IOptions<JsonOptions> json, IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ProblemShape.Apply(context);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var problem = context.ProblemDetails;
        var response = context.HttpContext.Response;
        return new ValueTask(response.WriteAsJsonAsync(problem, json.Value.SerializerOptions.GetTypeInfo(problem.GetType()),
            "application/problem+json", context.HttpContext.RequestAborted));
    }
}
