using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHealth.Web.Http;

/// <summary>
/// Turns request-shaped exceptions (Kestrel's <see cref="BadHttpRequestException"/>: body too large, malformed JSON in a
/// bound parameter, a client that hung up) into 4xx problem details instead of 500s. Everything else falls through to
/// the default handler (a 500 problem without internals).
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request is too large." : "The request is invalid.",
                Detail = bad.Message,
            },
        });
    }
}
