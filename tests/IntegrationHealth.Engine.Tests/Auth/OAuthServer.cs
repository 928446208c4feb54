using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IntegrationHealth.Engine.Tests.Auth;

/// <summary>The OAuth server's own store (OpenIddict's EF Core entities on a temporary SQLite file).</summary>
public sealed class OAuthServerDb(DbContextOptions<OAuthServerDb> options) : DbContext(options);

/// <summary>
/// A real OAuth 2.0 authorization server: OpenIddict on Kestrel (127.0.0.1), with its EF Core token store so that it
/// can detect reuse. Authorization code with PKCE (required), client credentials, refresh tokens that rotate on every
/// use (OpenIddict's rolling refresh tokens) with no reuse leeway: a refresh token presented a second time is refused
/// with <c>invalid_grant</c> and revokes the whole grant (the authorization and every token of it). Also a resource
/// endpoint, <c>GET /api/items</c>, that accepts only access tokens this server issued and has not revoked.
/// The authorize endpoint consents at once for a fixed user (no login page: the browser's part is not under test).
/// Every token request is recorded (grant type, refresh token presented) for the tests' counts.
/// </summary>
public sealed class OAuthServer : IAsyncDisposable
{
    public const string ClientId = "engine-app";
    public const string ClientSecret = "engine-app-secret";
    public const string MachineClientId = "machine-app";
    public const string MachineClientSecret = "machine-app-secret";

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"ih-oauth-{Guid.NewGuid():N}.db");
    private WebApplication? _app;

    /// <summary>Every request to the token endpoint, in order: grant type and the refresh token it presented.</summary>
    public ConcurrentQueue<(string GrantType, string? RefreshToken)> TokenRequests { get; } = new();

    /// <summary>Access tokens presented to <c>/api/items</c>, in order.</summary>
    public ConcurrentQueue<string> ApiTokens { get; } = new();

    /// <summary>Answers the next token requests with this status before OpenIddict sees them (a token endpoint outage
    /// that consumed nothing), counting down.</summary>
    public int FailNextTokenRequests;
    public HttpStatusCode FailureStatus = HttpStatusCode.ServiceUnavailable;

    /// <summary>Delay before answering a token request, so concurrent callers pile up behind the first.</summary>
    public TimeSpan TokenDelay = TimeSpan.Zero;

    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    public Uri Origin { get; private set; } = null!;

    public int RefreshRequests => TokenRequests.Count(r => r.GrantType == GrantTypes.RefreshToken);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<OAuthServerDb>(o =>
        {
            o.UseSqlite($"Data Source={_file};Pooling=False");
            o.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<OAuthServerDb>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("/oauth/authorize").SetTokenEndpointUris("/oauth/token");
                o.AllowAuthorizationCodeFlow().AllowClientCredentialsFlow().AllowRefreshTokenFlow();
                o.RequireProofKeyForCodeExchange();
                o.SetAccessTokenLifetime(AccessTokenLifetime);
                // Strict rotation: no grace period for a refresh token already redeemed.
                o.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                o.DisableScopeValidation();
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.EnableTokenEntryValidation(); // a revoked grant's access tokens are refused too
                o.UseAspNetCore();
            });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.Use(RecordTokenRequestAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapMethods("/oauth/authorize", ["GET", "POST"], (HttpContext context) =>
        {
            var request = context.GetOpenIddictServerRequest()!;
            var identity = new ClaimsIdentity("oauth-test", Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, "user-1").SetClaim(Claims.Name, "Test User");
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapPost("/oauth/token", async (HttpContext context) =>
        {
            var request = context.GetOpenIddictServerRequest()!;
            if (request.IsClientCredentialsGrantType())
            {
                var machine = new ClaimsIdentity("oauth-test", Claims.Name, Claims.Role);
                machine.SetClaim(Claims.Subject, request.ClientId!);
                machine.SetScopes(request.GetScopes());
                machine.SetDestinations(_ => [Destinations.AccessToken]);
                return Results.SignIn(new ClaimsPrincipal(machine), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            }
            // Code and refresh token: OpenIddict has validated them (PKCE, rotation, reuse) before this runs.
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(result.Principal!, null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapGet("/api/items", (HttpContext context) =>
        {
            ApiTokens.Enqueue(context.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal));
            return Results.Json(new { items = new[] { new { id = 1, name = "first" }, new { id = 2, name = "second" } } });
        }).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme });

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OAuthServerDb>().Database.EnsureCreatedAsync();
            var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            await manager.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId, ClientSecret = ClientSecret, ClientType = ClientTypes.Confidential,
                RedirectUris = { new Uri("http://127.0.0.1/test-callback") },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                    Permissions.Prefixes.Scope + "items.read", Permissions.Prefixes.Scope + Scopes.OfflineAccess,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            });
            await manager.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = MachineClientId, ClientSecret = MachineClientSecret, ClientType = ClientTypes.Confidential,
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + "items.read" },
            });
        }
        await app.StartAsync();
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Origin = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Lets the engine app redirect to <paramref name="uri"/> (OpenIddict matches redirect URIs exactly).</summary>
    public async Task AllowRedirectUriAsync(Uri uri)
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await manager.FindByClientIdAsync(ClientId) ?? throw new InvalidOperationException("no app");
        var descriptor = new OpenIddictApplicationDescriptor();
        await manager.PopulateAsync(descriptor, application);
        descriptor.RedirectUris.Add(uri);
        await manager.UpdateAsync(application, descriptor);
    }

    /// <summary>Runs the authorization code flow with PKCE as a client would (authorize, then the code at the token
    /// endpoint), returning the issued tokens.</summary>
    public async Task<(string AccessToken, string RefreshToken)> AuthorizeAsync(string scope = "items.read offline_access")
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Origin };
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var challenge = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var redirect = "http://127.0.0.1/test-callback";
        using var authorize = await http.GetAsync(QueryHelpers.AddQueryString("oauth/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = ClientId, ["redirect_uri"] = redirect, ["scope"] = scope,
            ["state"] = "s", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        }));
        if (authorize.StatusCode != HttpStatusCode.Redirect && authorize.StatusCode != HttpStatusCode.Found)
            throw new InvalidOperationException($"authorize answered {(int)authorize.StatusCode}: {await authorize.Content.ReadAsStringAsync()}");
        var code = QueryHelpers.ParseQuery(authorize.Headers.Location!.Query)["code"].ToString();
        using var token = await PostTokenAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirect, ["code_verifier"] = verifier,
        });
        var json = System.Text.Json.JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement;
        if (!token.IsSuccessStatusCode) throw new InvalidOperationException($"token answered {(int)token.StatusCode}: {json}");
        return (json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>A refresh token request as a plain client sends it (status and body).</summary>
    public async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> RefreshAsync(string refreshToken)
    {
        using var http = new HttpClient { BaseAddress = Origin };
        using var response = await PostTokenAsync(http, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });
        return (response.StatusCode, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Whether the resource endpoint accepts this access token.</summary>
    public async Task<HttpStatusCode> CallApiAsync(string accessToken)
    {
        using var http = new HttpClient { BaseAddress = Origin };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/items");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> PostTokenAsync(HttpClient http, Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes($"{ClientId}:{ClientSecret}")));
        return http.SendAsync(request);
    }

    private async Task RecordTokenRequestAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path == "/oauth/token" && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync();
            TokenRequests.Enqueue((form["grant_type"].ToString(), form["refresh_token"].FirstOrDefault()));
            if (TokenDelay > TimeSpan.Zero) await Task.Delay(TokenDelay);
            if (Interlocked.Decrement(ref FailNextTokenRequests) >= 0)
            {
                context.Response.StatusCode = (int)FailureStatus;
                await context.Response.WriteAsync("{\"error\":\"temporarily_unavailable\"}");
                return;
            }
            Interlocked.Exchange(ref FailNextTokenRequests, 0);
        }
        await next(context);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { File.Delete(_file); } catch (IOException) { }
    }
}
