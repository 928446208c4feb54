using System.Text.Encodings.Web;
using IntegrationHealth.Web.Http;
using IntegrationHealth.Web.Jobs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Authentication;

/// <summary>
/// Authenticates <c>Authorization: Bearer ih_…</c> or <c>X-Api-Key: ih_…</c>. No key: no result (the policy then
/// challenges). A wrong, malformed or revoked key, or two different keys: failure. Challenges answer 401 with
/// <c>WWW-Authenticate</c>, forbids 403, both as problem details. Nothing about the presented key is ever logged.
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
        switch (GetPresentedKey(Request, out var key))
        {
            case PresentedKey.None:
                return AuthenticateResult.NoResult();
            case PresentedKey.Malformed:
                return Fail("The Authorization header must be 'Bearer <API key>'.");
            case PresentedKey.Ambiguous:
                return Fail($"Send one API key, in 'Authorization: Bearer' or in '{HeaderName}', not two different ones.");
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

    /// <summary>What a request presents as its API key.</summary>
    internal enum PresentedKey { None, Key, Malformed, Ambiguous }

    /// <summary>
    /// Reads the key from <c>Authorization: Bearer</c> or <c>X-Api-Key</c>. The same key in both is one key. Two
    /// different keys, or either header twice, are ambiguous and refused: picking one would let a caller (or a proxy
    /// that adds its own header) act with a key other than the one it believes it sends. An Authorization header of
    /// another scheme (e.g. a proxy's Basic) is ignored when X-Api-Key carries the key, and malformed otherwise.
    /// </summary>
    internal static PresentedKey GetPresentedKey(HttpRequest request, out string key)
    {
        key = "";
        var authorization = request.Headers.Authorization;
        var header = request.Headers[HeaderName];
        if (authorization.Count > 1 || header.Count > 1) return PresentedKey.Ambiguous;

        string? bearer = null;
        if (authorization.Count == 1)
        {
            var value = authorization.ToString();
            if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && value.Length > 7) bearer = value[7..].Trim();
            else if (header.Count == 0) return PresentedKey.Malformed;
        }
        var apiKey = header.Count == 1 && !string.IsNullOrWhiteSpace(header.ToString()) ? header.ToString().Trim() : null;
        if (bearer is not null && apiKey is not null && !string.Equals(bearer, apiKey, StringComparison.Ordinal))
            return PresentedKey.Ambiguous;
        key = bearer ?? apiKey ?? "";
        // An empty X-Api-Key alone is a key that fails to authenticate (401 invalid_token), as before.
        return bearer is null && header.Count == 0 ? PresentedKey.None : PresentedKey.Key;
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
