using System.Globalization;
using IntegrationHealth.Web.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Jobs;

/// <summary>
/// Lets a browser use the Hangfire dashboard, on ASP.NET Core cookie authentication: after signing in at
/// <c>/hangfire/login</c> with an admin key (a form POST, so the key never sits in a URL or an access log), the browser
/// gets an HttpOnly, SameSite=Strict cookie scoped to <c>/hangfire</c> that carries the key's id, tenant and scopes,
/// protected by ASP.NET Data Protection (keys shared by every process through the store) and time-limited; never the
/// key. Every request re-checks that the key is still live, so revocation ends dashboard sessions within the key cache
/// time.
/// </summary>
public static class HangfireDashboardSignIn
{
    public const string SchemeName = "HangfireDashboardCookie";
    public const string CookieName = "ih_hangfire";

    /// <summary>Adds the cookie scheme. Challenges and forbids are answered by the API-key scheme (problem details, or
    /// the redirect to the sign-in form), so this scheme's own redirects are switched off: two writers would clash.</summary>
    public static AuthenticationBuilder AddHangfireDashboardCookie(this AuthenticationBuilder builder)
    {
        builder.Services.AddOptions<CookieAuthenticationOptions>(SchemeName)
            .Configure<IOptions<JobsOptions>>((cookie, jobs) =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.Cookie.Path = HangfireDashboardPaths.Root;
                cookie.Cookie.IsEssential = true;
                cookie.ExpireTimeSpan = jobs.Value.DashboardSignInLifetime;
                cookie.SlidingExpiration = false;
                cookie.LoginPath = HangfireDashboardPaths.Login;
                cookie.Events.OnRedirectToLogin = _ => Task.CompletedTask;
                cookie.Events.OnRedirectToAccessDenied = _ => Task.CompletedTask;
                cookie.Events.OnValidatePrincipal = RevalidateAsync;
            });
        return builder.AddCookie(SchemeName);
    }

    /// <summary>Signs the browser in for the key <paramref name="identity"/> (already checked to be an admin key).</summary>
    public static Task SignInAsync(HttpContext context, ApiKeyIdentity identity) =>
        context.SignInAsync(SchemeName, ApiClaims.ToPrincipal(identity, SchemeName), new AuthenticationProperties { IsPersistent = true });

    private static async Task RevalidateAsync(CookieValidatePrincipalContext context)
    {
        var keyId = context.Principal?.FindFirst(ApiClaims.KeyId)?.Value;
        var authenticator = context.HttpContext.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
        var identity = int.TryParse(keyId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await authenticator.FindLiveAsync(id, context.HttpContext.RequestAborted)
            : null;
        if (identity is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SchemeName);
            return;
        }
        // Scopes come from the store, not the cookie, so a key's current scopes always apply.
        context.ReplacePrincipal(ApiClaims.ToPrincipal(identity, SchemeName));
    }
}
