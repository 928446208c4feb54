using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHealth.Web.Http;

/// <summary>RFC 9457 problem documents used by every endpoint, so errors look the same everywhere.</summary>
public static class Problems
{
    /// <summary>400 with the batch's <c>errors</c> (index, field, message), <c>errorCount</c> and <c>errorsTruncated</c>.</summary>
    public static ProblemHttpResult InvalidBatch(BatchErrors errors, string what, string? title = null)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = title ?? $"The {what} batch is invalid; nothing was stored.",
            Detail = errors.Count == 1
                ? errors.Reported[0].Message
                : $"{errors.Count} errors; see 'errors' (index is the 0-based position in the batch).",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        };
        problem.Extensions["errors"] = errors.Reported.OrderBy(e => e.Index).ToList(); // stable: keeps field order within an item
        problem.Extensions["errorCount"] = errors.Count;
        problem.Extensions["errorsTruncated"] = errors.Count > errors.Reported.Count;
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult BadRequest(string detail, string title = "The request is invalid.") =>
        Make(StatusCodes.Status400BadRequest, title, detail, "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1");

    public static ProblemHttpResult NotFound(string detail) =>
        Make(StatusCodes.Status404NotFound, "Not found.", detail, "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5");

    public static ProblemHttpResult PayloadTooLarge(string detail) =>
        Make(StatusCodes.Status413PayloadTooLarge, "The request is too large.", detail, "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14");

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        Make(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", detail, "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16");

    public static ProblemHttpResult Conflict(string detail) =>
        Make(StatusCodes.Status409Conflict, "Conflict.", detail, "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10");

    public static ProblemHttpResult Unavailable(string detail) =>
        Make(StatusCodes.Status503ServiceUnavailable, "Service unavailable.", detail, "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4");

    private static ProblemHttpResult Make(int status, string title, string detail, string type) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail, Type = type });
}
