using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Api.Auth;

/// <summary>
/// Lets a browser use the Hangfire dashboard: after signing in at <c>/hangfire/login</c> with an admin key (a form
/// POST, so the key never sits in a URL or an access log), the browser gets an HttpOnly, SameSite=Strict cookie that
/// carries the key's id, protected and time-limited by ASP.NET Data Protection; never the key. Each request re-checks
/// that the key is still live and admin, so revocation ends dashboard sessions within the key cache time.
/// </summary>
public sealed class DashboardCookieHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyAuthenticator authenticator,
    IDataProtectionProvider dataProtection,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "DashboardCookie";
    public const string CookieName = "ih_dashboard";
    private const string Purpose = "IntegrationHealth.Dashboard.v1";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie))
            return AuthenticateResult.NoResult();
        string keyIdText;
        try
        {
            keyIdText = Protector(dataProtection).Unprotect(cookie, out var expiration);
            if (expiration < time.GetUtcNow()) return AuthenticateResult.Fail("The dashboard session has expired.");
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return AuthenticateResult.Fail("The dashboard session cookie is invalid or expired.");
        }
        if (!int.TryParse(keyIdText, NumberStyles.None, CultureInfo.InvariantCulture, out var keyId))
            return AuthenticateResult.Fail("The dashboard session cookie is invalid.");
        var identity = await authenticator.FindLiveAsync(keyId, Context.RequestAborted);
        if (identity is null) return AuthenticateResult.Fail("The key behind this dashboard session was revoked.");
        return AuthenticateResult.Success(new AuthenticationTicket(ApiClaims.ToPrincipal(identity, SchemeName), SchemeName));
    }

    // The API-key scheme answers challenges and forbids (problem details or the sign-in redirect); two writers would clash.
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Task.CompletedTask;

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Task.CompletedTask;

    /// <summary>Sets the dashboard cookie for an (admin) key.</summary>
    public static void IssueCookie(HttpContext context, int keyId, TimeSpan lifetime)
    {
        var protector = Protector(context.RequestServices.GetRequiredService<IDataProtectionProvider>());
        var value = protector.Protect(keyId.ToString(CultureInfo.InvariantCulture), lifetime);
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/hangfire",
            MaxAge = lifetime,
            IsEssential = true,
        });
    }

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider provider) =>
        provider.CreateProtector(Purpose).ToTimeLimitedDataProtector();
}
