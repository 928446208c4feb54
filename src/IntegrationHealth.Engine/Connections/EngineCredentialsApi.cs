using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Connections;

/// <summary>A tenant's OAuth app for a provider as written: the secret is write-only.</summary>
public sealed record OAuthAppInput(string ClientId, string? ClientSecret, string? Scopes);

/// <summary>A tenant's OAuth app as shown: never the secret, only whether there is one.</summary>
public sealed record OAuthAppView(string Provider, string ClientId, bool HasClientSecret, string? Scopes, DateTimeOffset UpdatedAt);

/// <summary>The result of an import.</summary>
public sealed record ImportResult(int Inserted, int Updated);

/// <summary>Which connections to export: the given external ids, or all the tenant's.</summary>
public sealed record ExportRequest(IReadOnlyList<string>? Connections = null);

/// <summary>One exported connection, in the shape <c>POST /v1/connections/import</c> takes back.</summary>
public sealed record ExportedConnection(string ExternalId, string Account, string Provider, string Status,
    IReadOnlyDictionary<string, string>? Values, string? Scopes, IReadOnlyDictionary<string, string> Credentials,
    DateTimeOffset? IssuedAt, DateTimeOffset? ExpiresAt);

/// <summary>An export: its audit record's id and the connections, credentials in clear.</summary>
public sealed record ExportResult(long ExportId, IReadOnlyList<ExportedConnection> Items);

/// <summary>
/// Connections created by the OAuth authorization code flow, the tenants' own OAuth apps, and bulk import and export
/// of connections with their credentials (export is the only place credentials ever leave the vault, and every export
/// is recorded in <c>credential_exports</c>).
/// </summary>
public static class EngineCredentialsApi
{
    public static IEndpointRouteBuilder MapEngineCredentialsApi(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/v1/connect").WithTags("Connections");
        connect.MapGet("/callback", ConnectCallback)
            .AllowAnonymous()
            .WithName("ConnectCallback")
            .WithSummary("OAuth 2.0 redirect target: exchanges the code and connects the account")
            .WithDescription("The provider sends the user's browser here with `code` and `state` (or `error`). The state is single use and " +
                "expires; a valid one is consumed, the code exchanged with the tenant's OAuth app (PKCE verifier included), the tokens " +
                "stored encrypted and the connection created or updated with status active; then 302 to the product's redirect_uri with " +
                "`connection` and `status=connected`, or `status=error&error=…` when the provider refused. A missing, forged, expired or " +
                "replayed state is a 400 problem (there is nowhere trustworthy to redirect to).")
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        connect.MapGet("/{provider}", Connect)
            .RequireAuthorization(ApiPolicies.Ingest)
            .WithName("Connect")
            .WithSummary("Start connecting an account to a provider (OAuth 2.0 authorization code, PKCE S256)")
            .WithDescription("302 to the provider's authorize URL with a protected single-use `state`, PKCE S256 when the definition asks, " +
                "the tenant's client id, the definition's scopes (joined by its separator) and extra authorize parameters. `account` must " +
                "exist; `connection` is the external id the connection gets (created, or re-authorized when it exists for that account); " +
                "`values` is a JSON object of the connection's values (subdomain, region…); `redirect_uri` is where the browser returns. " +
                "Needs the tenant's OAuth app for the provider (PUT /v1/engine/oauth-apps/{provider}).")
            .Produces(StatusCodes.Status302Found)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var apps = app.MapGroup("/v1/engine/oauth-apps").WithTags("Connections").RequireAuthorization(ApiPolicies.Admin);
        apps.MapPut("/{provider}", PutOAuthApp)
            .WithName("PutOAuthApp")
            .WithSummary("Set the tenant's own OAuth app (client id and secret) for a provider")
            .WithDescription("Bring your own OAuth app: connections of this provider are authorized and refreshed with it. The secret is " +
                "stored encrypted and never returned; leave it out to keep the stored one (or for a public PKCE client).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        apps.MapGet("", ListOAuthApps)
            .WithName("ListOAuthApps")
            .WithSummary("List the tenant's OAuth apps (without secrets)");

        var connections = app.MapGroup("/v1/connections").WithTags("Connections").RequireAuthorization(ApiPolicies.Admin);
        connections.MapPost("/import", ImportConnections)
            .WithName("ImportConnections")
            .WithSummary("Bulk import connections with their credentials (refresh tokens) from another platform")
            .WithDescription("Body: a JSON array of { externalId, account, provider, values?, scopes?, credentials: { refresh_token, " +
                "access_token?, client_id?, client_secret?, … }, issuedAt?, expiresAt? } (the shape export returns). All or nothing: any " +
                "invalid item answers 400 with every error naming its index and field, and nothing is stored. client_id and client_secret " +
                "default to the tenant's OAuth app. Credentials are encrypted at rest; connections become active.")
            .Accepts<JsonElement>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        connections.MapPost("/export", ExportConnections)
            .WithName("ExportConnections")
            .WithSummary("Export connections with their credentials in clear (audited)")
            .WithDescription("The only endpoint that returns credentials. Body: { connections?: [external ids] } (all the tenant's when " +
                "absent; an id that is not one of the tenant's connections with credentials is a 404 and nothing is exported). Every export is " +
                "recorded (key, time, count) in the audit table before the answer is sent; the answer is not cacheable.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> Connect(HttpContext context, string provider,
        string? account, string? connection, string? values, [FromQuery(Name = "redirect_uri")] string? redirectUri,
        ProviderRegistry registry, ConnectFlow flow, IDbContextFactory<IntegrationHealthDbContext> dbFactory,
        IOptions<EngineCredentialOptions> options)
    {
        var tenant = context.User.GetTenantId();
        if (!registry.TryGet(provider, out var loaded)) return Problems.NotFound($"No provider definition '{provider}'.");
        if (loaded.Definition.Auth.Kind != AuthKinds.AuthorizationCode)
            return Problems.BadRequest($"Provider '{provider}' does not use the OAuth 2.0 authorization code flow; import its credentials instead.", field: "provider");
        if (string.IsNullOrWhiteSpace(account)) return Problems.BadRequest("'account' is required.", field: "account");
        if (string.IsNullOrWhiteSpace(connection) || connection.Length > 200 || connection.Any(char.IsControl))
            return Problems.BadRequest("'connection' (the new connection's external id, at most 200 characters) is required.", field: "connection");
        if (RedirectProblem(redirectUri, options.Value) is { } bad) return Problems.BadRequest(bad, field: "redirect_uri");
        if (ParseValues(values) is not { } parsed) return Problems.BadRequest("'values' must be a JSON object of strings.", field: "values");

        await using (var db = await dbFactory.CreateDbContextAsync(context.RequestAborted))
        {
            var accountId = await db.Accounts.Where(a => a.TenantId == tenant && a.ExternalId == account).Select(a => (int?)a.Id).FirstOrDefaultAsync(context.RequestAborted);
            if (accountId is null) return Problems.NotFound($"No account '{account}'.");
            var existing = await db.Connections.Where(c => c.TenantId == tenant && c.ExternalId == connection)
                .Select(c => (int?)c.AccountId).FirstOrDefaultAsync(context.RequestAborted);
            if (existing is not null && existing != accountId)
                return Problems.Conflict($"Connection '{connection}' belongs to another account.");
        }
        var app = await flow.AppAsync(tenant, provider, context.RequestAborted);
        if (app is null) return Problems.Conflict($"No OAuth app is configured for '{provider}': PUT /v1/engine/oauth-apps/{provider} first.");

        var callback = options.Value.CallbackUrl is { } configured ? new Uri(configured)
            : new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/v1/connect/callback");
        var target = await flow.StartAsync(new ConnectRequest(tenant, provider, account, connection, parsed, new Uri(redirectUri!), callback),
            loaded, app, context.RequestAborted);
        return TypedResults.Redirect(target.AbsoluteUri);
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> ConnectCallback(HttpContext context, string? code, string? state,
        string? error, ConnectFlow flow)
    {
        try
        {
            var back = await flow.CompleteAsync(state, code, error, context.RequestAborted);
            return TypedResults.Redirect(back.AbsoluteUri);
        }
        catch (ConnectException e) when (e.ToProduct)
        {
            return TypedResults.Redirect(ConnectFlow.WithQuery(e.RedirectUri!, ("status", "error"), ("error", e.Error ?? "error")).AbsoluteUri);
        }
        catch (ConnectException e)
        {
            return Problems.BadRequest(e.Message, "The authorization cannot be completed.", "state");
        }
    }

    public static async Task<Results<Ok<OAuthAppView>, ProblemHttpResult>> PutOAuthApp(HttpContext context, string provider, OAuthAppInput input,
        ProviderRegistry registry, CredentialProtector protector, IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time)
    {
        var tenant = context.User.GetTenantId();
        if (!registry.TryGet(provider, out var loaded)) return Problems.NotFound($"No provider definition '{provider}'.");
        if (!AuthKinds.UsesTokenEndpoint(loaded.Definition.Auth.Kind))
            return Problems.BadRequest($"Provider '{provider}' does not use OAuth 2.0.", field: "provider");
        if (string.IsNullOrWhiteSpace(input.ClientId) || input.ClientId.Length > 2000) return Problems.BadRequest("'clientId' is required (at most 2000 characters).", field: "clientId");
        if (input.ClientSecret is { Length: 0 or > 4000 }) return Problems.BadRequest("'clientSecret' must be 1 to 4000 characters.", field: "clientSecret");
        if (input.Scopes is { Length: > 2000 }) return Problems.BadRequest("'scopes' is at most 2000 characters.", field: "scopes");

        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.OAuthApps.FirstOrDefaultAsync(a => a.TenantId == tenant && a.ProviderKey == provider, context.RequestAborted);
        if (row is null)
        {
            row = new OAuthApp { TenantId = tenant, ProviderKey = provider, ClientId = input.ClientId, CreatedAt = now };
            db.OAuthApps.Add(row);
        }
        row.ClientId = input.ClientId;
        if (input.ClientSecret is not null) row.ProtectedClientSecret = protector.ProtectSecret(ConnectFlow.AppOwner(tenant, provider), input.ClientSecret);
        row.Scopes = string.IsNullOrWhiteSpace(input.Scopes) ? null : input.Scopes.Trim();
        row.UpdatedAt = now;
        await db.SaveChangesAsync(context.RequestAborted);
        return TypedResults.Ok(View(row));
    }

    public static async Task<Ok<IReadOnlyList<OAuthAppView>>> ListOAuthApps(HttpContext context, IDbContextFactory<IntegrationHealthDbContext> dbFactory)
    {
        var tenant = context.User.GetTenantId();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var rows = await db.OAuthApps.AsNoTracking().Where(a => a.TenantId == tenant).OrderBy(a => a.ProviderKey).ToListAsync(context.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<OAuthAppView>>([.. rows.Select(View)]);
    }

    public static Task<Results<Ok<ImportResult>, ProblemHttpResult>> ImportConnections(HttpContext context, ConnectionImport import) =>
        import.ImportAsync(context);

    public static async Task<Results<Ok<ExportResult>, ProblemHttpResult>> ExportConnections(HttpContext context,
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ExportRequest? request, ConnectionImport import)
    {
        if (request?.Connections is { } ids && (ids.Count > 100_000 || ids.Any(string.IsNullOrEmpty)))
            return Problems.BadRequest("'connections' must be a list of at most 100000 non-empty external ids.", field: "connections");
        var (result, missing) = await import.ExportAsync(context, request?.Connections);
        if (result is null)
            return Problems.NotFound($"No connection with credentials: {string.Join(", ", missing.Take(20).Select(m => $"'{m}'"))}{(missing.Count > 20 ? ", …" : "")}.");
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(result);
    }

    private static OAuthAppView View(OAuthApp a) =>
        new(a.ProviderKey, a.ClientId, a.ProtectedClientSecret is not null, a.Scopes, new DateTimeOffset(DateTime.SpecifyKind(a.UpdatedAt, DateTimeKind.Utc)));

    /// <summary>Why a product redirect URI is refused, or null: absolute, https (http on loopback only), no fragment,
    /// and on an allowed host when the allow-list is set.</summary>
    internal static string? RedirectProblem(string? value, EngineCredentialOptions options)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 2000 || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
            return "'redirect_uri' must be an absolute URL (at most 2000 characters).";
        if (!(uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback))) return "'redirect_uri' must be https (http only on loopback).";
        if (uri.Fragment.Length > 0 || uri.UserInfo.Length > 0) return "'redirect_uri' must have no fragment and no user info.";
        if (options.AllowedRedirectHosts.Count > 0 && !options.AllowedRedirectHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
            return $"'redirect_uri' host '{uri.Host}' is not in Engine:Credentials:AllowedRedirectHosts.";
        return null;
    }

    internal static Dictionary<string, string>? ParseValues(string? values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(values)) return result;
        if (values.Length > 4000) return null;
        try
        {
            using var document = JsonDocument.Parse(values);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var p in document.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String || p.Name.Length is 0 or > 100) return null;
                result[p.Name] = p.Value.GetString()!;
            }
            return result;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
