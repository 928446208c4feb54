using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace IntegrationHealth.Web.Http;

/// <summary>
/// RFC 9457 problem documents used by every endpoint, so errors look the same everywhere: <c>status</c>, <c>title</c>,
/// <c>detail</c>, <c>type</c> (always the RFC section of the status, on www.rfc-editor.org: see <see cref="TypeFor"/>),
/// <c>traceId</c>, and, when a field is at fault, <c>errors</c> (index, field, message) with <c>errorCount</c> and
/// <c>errorsTruncated</c>. Problems the framework makes (404, 405, binding failures, 500) are brought to the same shape
/// by <see cref="ProblemShape"/>.
/// </summary>
public static class Problems
{
    /// <summary>The <c>errors</c> extension: a list of <see cref="BatchError"/>.</summary>
    public const string ErrorsKey = "errors";

    /// <summary>400 with the batch's <c>errors</c> (index, field, message), <c>errorCount</c> and <c>errorsTruncated</c>.</summary>
    public static ProblemHttpResult InvalidBatch(BatchErrors errors, string what, string? title = null)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = title ?? $"The {what} batch is invalid; nothing was stored.",
            Detail = errors.Count == 1 ? errors.Reported[0].Message
                : errors.Reported.Any(e => e.Index >= 0) ? $"{errors.Count} errors; see 'errors' (index is the 0-based position in the batch)."
                : $"{errors.Count} errors; see 'errors'.",
            Type = TypeFor(StatusCodes.Status400BadRequest),
        };
        AddErrors(problem, errors);
        return TypedResults.Problem(problem);
    }

    /// <summary>400; <paramref name="field"/> (a query or route parameter, a header, a property) names what is at fault.</summary>
    public static ProblemHttpResult BadRequest(string detail, string title = "The request is invalid.", string? field = null) =>
        Make(StatusCodes.Status400BadRequest, title, detail, field);

    public static ProblemHttpResult NotFound(string detail) =>
        Make(StatusCodes.Status404NotFound, "Not found.", detail);

    public static ProblemHttpResult PayloadTooLarge(string detail) =>
        Make(StatusCodes.Status413PayloadTooLarge, "The request is too large.", detail);

    /// <summary>415; the <c>Content-Type</c> header is the field at fault.</summary>
    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        Make(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", detail, "Content-Type");

    public static ProblemHttpResult Conflict(string detail) =>
        Make(StatusCodes.Status409Conflict, "Conflict.", detail);

    public static ProblemHttpResult Unavailable(string detail) =>
        Make(StatusCodes.Status503ServiceUnavailable, "Service unavailable.", detail);

    /// <summary>A problem of any status in the shared shape; <paramref name="field"/> adds one entry to <c>errors</c>.</summary>
    public static ProblemDetails Create(int status, string detail, string? title = null, string? field = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title ?? TitleFor(status), Detail = detail, Type = TypeFor(status) };
        if (field is not null)
        {
            var errors = new BatchErrors(1);
            errors.Add(-1, field, detail);
            AddErrors(problem, errors);
        }
        return problem;
    }

    /// <summary>Adds <c>errors</c> (ordered by index, stable within an item), <c>errorCount</c> and <c>errorsTruncated</c>.</summary>
    public static void AddErrors(ProblemDetails problem, BatchErrors errors)
    {
        problem.Extensions[ErrorsKey] = errors.Reported.OrderBy(e => e.Index).ToList();
        problem.Extensions["errorCount"] = errors.Count;
        problem.Extensions["errorsTruncated"] = errors.Count > errors.Reported.Count;
    }

    /// <summary>
    /// The one <c>type</c> URL scheme: the section of the RFC that defines the status, on www.rfc-editor.org (RFC 9110
    /// for the common ones, RFC 6585 for 428/429/431, RFC 4918 for 507). The framework's own defaults point to
    /// tools.ietf.org instead; <see cref="ProblemShape"/> replaces them with these.
    /// </summary>
    public static string TypeFor(int status) => status switch
    {
        428 => "https://www.rfc-editor.org/rfc/rfc6585#section-3",
        429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        431 => "https://www.rfc-editor.org/rfc/rfc6585#section-5",
        507 => "https://www.rfc-editor.org/rfc/rfc4918#section-11.5",
        >= 400 and <= 417 => $"https://www.rfc-editor.org/rfc/rfc9110#section-15.5.{status - 399}",
        421 or 422 => $"https://www.rfc-editor.org/rfc/rfc9110#section-15.5.{status - 401}",
        426 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.22",
        >= 500 and <= 505 => $"https://www.rfc-editor.org/rfc/rfc9110#section-15.6.{status - 499}",
        >= 500 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6",
        _ => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5",
    };

    /// <summary>Our title of a status, for problems that do not bring a more specific one.</summary>
    public static string TitleFor(int status) => status switch
    {
        400 => "The request is invalid.",
        401 => "Unauthorized.",
        403 => "Forbidden.",
        404 => "Not found.",
        405 => "Method not allowed.",
        406 => "Not acceptable.",
        409 => "Conflict.",
        413 => "The request is too large.",
        414 => "The request URI is too long.",
        415 => "Unsupported media type.",
        431 => "The request headers are too large.",
        500 => "Internal server error.",
        503 => "Service unavailable.",
        507 => "Insufficient storage.",
        _ => (ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error") + ".",
    };

    private static ProblemHttpResult Make(int status, string title, string detail, string? field = null) =>
        TypedResults.Problem(Create(status, detail, title, field));
}
