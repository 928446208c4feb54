using System.Net;
using Hangfire;
using IntegrationHealth.Web.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace IntegrationHealth.Web.Jobs;

/// <summary>
/// The Hangfire job dashboard at <c>/hangfire</c>, for platform operators only (see
/// <see cref="HangfireDashboardAccessHandler"/>). Programs send the key as usual (Authorization or X-Api-Key). People
/// sign in once at <c>/hangfire/login</c> with a form POST and get an HttpOnly cookie (see
/// <see cref="HangfireDashboardSignIn"/>); a browser that is not signed in is redirected there.
/// </summary>
public static class HangfireDashboardApi
{
    public static IEndpointRouteBuilder MapHangfireDashboardApi(this IEndpointRouteBuilder app)
    {
        var login = app.MapGroup(HangfireDashboardPaths.Login).WithTags("Operations").AllowAnonymous();
        login.MapGet("", LoginForm)
            .WithName("HangfireDashboardLoginForm")
            .WithSummary("Sign-in form for the Hangfire job dashboard (HTML)")
            .Produces(StatusCodes.Status200OK, contentType: "text/html");
        login.MapPost("", SignInAsync)
            .WithName("HangfireDashboardSignIn")
            .WithSummary("Sign in to the Hangfire job dashboard with a platform key (form field 'key'); sets an HttpOnly cookie")
            .Accepts<HangfireSignInForm>("application/x-www-form-urlencoded", "multipart/form-data")
            .Produces(StatusCodes.Status302Found)
            .Produces(StatusCodes.Status400BadRequest, contentType: "text/html")
            .Produces(StatusCodes.Status401Unauthorized, contentType: "text/html")
            .Produces(StatusCodes.Status403Forbidden, contentType: "text/html")
            .Produces(StatusCodes.Status413PayloadTooLarge, contentType: "text/html")
            .Produces(StatusCodes.Status415UnsupportedMediaType, contentType: "text/html");

        app.MapHangfireDashboard(HangfireDashboardPaths.Root, new DashboardOptions
        {
            // Authorization is done by the endpoint policy below, with our schemes; Hangfire's default filter
            // (local requests only) would lock out every remote operator.
            Authorization = [],
            AsyncAuthorization = [],
            DashboardTitle = "IntegrationHealth jobs",
            AppPath = "/",
        })
            .RequireAuthorization(ApiPolicies.HangfireDashboard)
            .WithDisplayName("Hangfire dashboard");
        return app;
    }

    /// <summary>Form body of <c>POST /hangfire/login</c>.</summary>
    public sealed record HangfireSignInForm(string Key);

    public static ContentHttpResult LoginForm() => Page(StatusCodes.Status200OK, null);

    /// <summary>The largest sign-in form accepted, encoded or decoded: one 46-character key needs far less.</summary>
    public const int MaxFormBytes = 4 * 1024;

    /// <summary>Form limits to match: a few short fields (FormOptions' defaults allow 4 MB values and 128 MB bodies).</summary>
    private static readonly FormOptions SignInFormLimits = new()
    {
        BufferBody = false, ValueCountLimit = 8, KeyLengthLimit = 64, ValueLengthLimit = 1024, MultipartBodyLengthLimit = MaxFormBytes,
    };

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> SignInAsync(
        HttpContext context, ApiKeyAuthenticator authenticator, IAuthorizationService authorization, ILoggerFactory loggerFactory)
    {
        // Read by hand rather than bound: binding a form turns on antiforgery, and this form has nothing to protect yet.
        // Anonymous, so bounded before anything is read: Kestrel then refuses (and RequestDecoding stops inflating) past
        // MaxFormBytes instead of buffering megabytes, and an oversized value is an InvalidDataException, not a 500.
        if (!context.Request.HasFormContentType)
            return Page(StatusCodes.Status415UnsupportedMediaType, "Send the sign-in form as application/x-www-form-urlencoded."); // defence: routing sends non-forms elsewhere
        if (context.Request.ContentLength > MaxFormBytes) return Page(StatusCodes.Status413PayloadTooLarge, TooLarge);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxFormBytes;
        IFormCollection form;
        try
        {
            form = await new FormFeature(context.Request, SignInFormLimits).ReadFormAsync(context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Page(StatusCodes.Status413PayloadTooLarge, TooLarge);
        }
        catch (Exception ex) when (ex is InvalidDataException || (ex is BadHttpRequestException bad && bad.StatusCode == StatusCodes.Status400BadRequest))
        {
            return Page(StatusCodes.Status400BadRequest, "That form could not be read; paste the key into the form below.");
        }
        var key = form["key"].ToString().Trim();
        var identity = key.Length == 0 ? null : await authenticator.AuthenticateAsync(key, context.RequestAborted);
        if (identity is null)
            return Page(StatusCodes.Status401Unauthorized, "That key is not valid (or was revoked).");
        var principal = ApiClaims.ToPrincipal(identity, HangfireDashboardSignIn.SchemeName);
        if (!(await authorization.AuthorizeAsync(principal, null, [new HangfireDashboardRequirement()])).Succeeded)
            return Page(StatusCodes.Status403Forbidden,
                "That key is valid but may not open the dashboard: it needs the platform scope (keys create --scope platform), " +
                "or to be an admin key of the operators' tenant (Hangfire:DashboardTenant).");

        await HangfireDashboardSignIn.SignInAsync(context, identity);
        WebLog.HangfireDashboardSignIn(loggerFactory.CreateLogger(typeof(HangfireDashboardApi)), identity.KeyId);
        // Browsers follow a redirect after POST with GET, so a reload does not resubmit the key.
        return TypedResults.Redirect(HangfireDashboardPaths.Root);
    }

    private const string TooLarge = "That form is too large; the sign-in form holds one API key.";

    private static ContentHttpResult Page(int status, string? error) => TypedResults.Content(
        $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>IntegrationHealth jobs: sign in</title>
        <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto}input{width:100%;padding:.4rem;margin:.4rem 0}
        .error{color:#b00020}</style></head>
        <body><main><h1>Sign in</h1><p>Paste a <b>platform</b> (operator) API key (<code>ih_…</code>). It is checked once;
        the browser then keeps a session cookie that never contains the key.</p>
        {{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
        <form method="post" action="{{HangfireDashboardPaths.Login}}"><label for="key">Operator API key</label>
        <input id="key" type="password" name="key" autocomplete="off" required autofocus>
        <button type="submit">Open dashboard</button></form></main></body></html>
        """, "text/html; charset=utf-8", statusCode: status);
}
