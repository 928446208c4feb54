using System.Text.Encodings.Web;
using IntegrationHealth.Web.Http;
using IntegrationHealth.Web.Jobs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Authentication;

/// <summary>
/// Authenticates <c>Authorization: Bearer ih_…</c> or <c>X-Api-Key: ih_…</c>. No key: no result (the policy then
/// challenges). A wrong, malformed or revoked key: failure. Challenges answer 401 with <c>WWW-Authenticate</c>,
/// forbids 403, both as problem details. Nothing about the presented key is ever logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyAuthenticator authenticator,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private const string FailureItem = "ih:auth-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryGetPresentedKey(Request, out var key, out var malformedHeader))
        {
            if (!malformedHeader) return AuthenticateResult.NoResult();
            return Fail("The Authorization header must be 'Bearer <API key>'.");
        }

        var identity = await authenticator.AuthenticateAsync(key, Context.RequestAborted);
        if (identity is null) return Fail("The API key is invalid or has been revoked.");
        return AuthenticateResult.Success(new AuthenticationTicket(ApiClaims.ToPrincipal(identity, SchemeName), SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        WebLog.ApiKeyRejected(Logger, Request.Path);
        return AuthenticateResult.Fail(reason);
    }

    /// <summary>Reads the key from <c>Authorization: Bearer</c> or <c>X-Api-Key</c>.</summary>
    internal static bool TryGetPresentedKey(HttpRequest request, out string key, out bool malformedHeader)
    {
        key = "";
        malformedHeader = false;
        var authorization = request.Headers.Authorization;
        if (authorization.Count > 0)
        {
            var value = authorization.ToString();
            if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && value.Length > 7)
            {
                key = value[7..].Trim();
                return true;
            }
            malformedHeader = !request.Headers.ContainsKey(HeaderName);
            if (malformedHeader) return false;
        }
        var header = request.Headers[HeaderName];
        if (header.Count == 0) return false;
        key = header.ToString().Trim();
        return true;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureItem] as string;
        if (failure is null && Request.Path.StartsWithSegments(HangfireDashboardPaths.Root) && AcceptsHtml(Request))
        {
            // A person opening the Hangfire dashboard in a browser: send them to the sign-in form rather than a JSON 401.
            Response.Redirect(HangfireDashboardPaths.Login);
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer realm=\"IntegrationHealth\""
            : "Bearer realm=\"IntegrationHealth\", error=\"invalid_token\"";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized.",
            failure ?? $"Send an API key as 'Authorization: Bearer ih_…' or '{HeaderName}: ih_…'.");
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden.",
            "The API key is valid but lacks the scope this endpoint requires.");
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        if (Response.HasStarted) return;
        await problemDetails.WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = Problems.Create(status, detail, title) });
    }
}
