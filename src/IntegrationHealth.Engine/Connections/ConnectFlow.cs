using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Engine.Telemetry;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Connections;

/// <summary>What <c>GET /v1/connect/{provider}</c> asks for, validated.</summary>
public sealed record ConnectRequest(int TenantId, string ProviderKey, string Account, string Connection,
    IReadOnlyDictionary<string, string> Values, Uri RedirectUri, Uri CallbackUri);

/// <summary>What the protected <c>state</c> carries from the authorize redirect to the callback (never a secret but
/// the PKCE verifier, which only the server ever sees).</summary>
internal sealed record ConnectStatePayload(string Nonce, int TenantId, string Provider, string Account, string Connection,
    Dictionary<string, string> Values, string RedirectUri, string CallbackUri, string? CodeVerifier);

/// <summary>Why a callback did not connect: shown as a problem (a bad or replayed state) or sent back to the product.</summary>
public sealed class ConnectException(string message, bool toProduct = false, string? redirectUri = null, string? error = null) : Exception(message)
{
    /// <summary>The failure is the provider's or the user's (denied consent, code refused): reported to the product's redirect URI.</summary>
    public bool ToProduct { get; } = toProduct;
    public string? RedirectUri { get; } = redirectUri;
    public string? Error { get; } = error;
}

/// <summary>
/// The OAuth 2.0 authorization code flow that creates connections. The authorize redirect carries a <c>state</c> that
/// is a Data Protection payload (authenticated, encrypted, expiring) holding a single-use nonce recorded in
/// <c>connect_states</c> and the PKCE S256 verifier; the callback consumes the nonce with one conditional delete (a
/// replayed or expired state is refused), exchanges the code with the tenant's own OAuth app, stores the tokens in the
/// vault and the connection as active, and sends the browser back to the product.
/// </summary>
public sealed class ConnectFlow(IDbContextFactory<IntegrationHealthDbContext> dbFactory, ProviderRegistry registry,
    IDataProtectionProvider protection, CredentialProtector secrets, ICredentialVault vault, IHttpClientFactory httpClients,
    IEngineTelemetry telemetry, IOptions<EngineOptions> engineOptions, IOptions<EngineCredentialOptions> options, TimeProvider time,
    ICredentialAlerts alerts, ILogger<ConnectFlow> logger)
{
    private const string StatePurpose = "IntegrationHealth.Engine.ConnectState.v1";
    private readonly EngineEvents _events = new(time);

    /// <summary>The provider's authorize URL for this request, after recording the state's nonce.</summary>
    public async Task<Uri> StartAsync(ConnectRequest request, LoadedProvider provider, OAuthApp app, CancellationToken cancellationToken)
    {
        var auth = provider.Definition.Auth;
        var nonce = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var verifier = auth.Pkce ? WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(48)) : null;
        var lifetime = options.Value.ConnectStateLifetime;
        var payload = new ConnectStatePayload(nonce, request.TenantId, request.ProviderKey, request.Account, request.Connection,
            new Dictionary<string, string>(request.Values, StringComparer.Ordinal), request.RedirectUri.AbsoluteUri,
            request.CallbackUri.AbsoluteUri, verifier);
        var state = StateProtector().Protect(JsonSerializer.Serialize(payload), time.GetUtcNow() + lifetime);

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var now = time.GetUtcNow().UtcDateTime;
            await db.ConnectStates.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken); // housekeeping
            db.ConnectStates.Add(new ConnectState { Nonce = nonce, TenantId = request.TenantId, ExpiresAt = now + lifetime });
            await db.SaveChangesAsync(cancellationToken);
        }

        var connection = EngineConnectionOf(request.TenantId, request.Values);
        var authorize = Render(provider, auth.AuthorizeUrl!, connection);
        var query = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["response_type"] = "code",
            ["client_id"] = app.ClientId,
            ["redirect_uri"] = request.CallbackUri.AbsoluteUri,
            ["state"] = state,
        };
        var scopes = app.Scopes is { Length: > 0 } own ? own.Split(' ', StringSplitOptions.RemoveEmptyEntries) : auth.Scopes;
        if (scopes.Count > 0) query["scope"] = string.Join(auth.ScopeSeparator, scopes);
        if (verifier is not null)
        {
            query["code_challenge"] = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            query["code_challenge_method"] = "S256";
        }
        foreach (var (name, value) in auth.AuthorizeParams) query.TryAdd(name, value);
        return new Uri(QueryHelpers.AddQueryString(authorize.AbsoluteUri, query));
    }

    /// <summary>Completes an authorization: the product's redirect URI with <c>connection</c> and <c>status</c>.</summary>
    /// <exception cref="ConnectException">The state is invalid, expired or used; or the provider refused.</exception>
    public async Task<Uri> CompleteAsync(string? state, string? code, string? error, CancellationToken cancellationToken)
    {
        var payload = ReadState(state);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var at = time.GetUtcNow().UtcDateTime;
            // Single use: of two callbacks with one state, exactly one deletes the row.
            var consumed = await db.ConnectStates.Where(s => s.Nonce == payload.Nonce && s.TenantId == payload.TenantId && s.ExpiresAt >= at)
                .ExecuteDeleteAsync(cancellationToken);
            if (consumed != 1) throw Refused(payload.TenantId, "the state was already used or has expired");
        }
        if (error is not null || string.IsNullOrEmpty(code))
            throw new ConnectException("The provider did not authorize.", true, payload.RedirectUri, error is { Length: > 0 } ? Truncate(error) : "no_code");
        if (!registry.TryGet(payload.Provider, out var provider)) throw Refused(payload.TenantId, "the provider has no definition any more");
        var app = await AppAsync(payload.TenantId, payload.Provider, cancellationToken)
            ?? throw new ConnectException("The tenant's OAuth app was removed.", true, payload.RedirectUri, "oauth_app_missing");

        var auth = provider.Definition.Auth;
        var clientSecret = app.ProtectedClientSecret is { } p ? secrets.UnprotectSecret(AppOwner(app.TenantId, app.ProviderKey), p) : null;
        var engineConnection = EngineConnectionOf(payload.TenantId, payload.Values);
        var tokenUrl = Render(provider, auth.TokenUrl!, engineConnection).AbsoluteUri;
        var started = Stopwatch.GetTimestamp();
        var http = httpClients.CreateClient(EngineHttpClients.Tokens);
        var response = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = tokenUrl, ClientId = app.ClientId, ClientSecret = clientSecret, Code = code,
            RedirectUri = payload.CallbackUri, CodeVerifier = payload.CodeVerifier,
            ClientCredentialStyle = auth.ClientAuthentication == "form_body" ? ClientCredentialStyle.PostBody : ClientCredentialStyle.AuthorizationHeader,
            Parameters = new Parameters(auth.TokenParams),
        }, cancellationToken);
        var latency = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var status = (int)response.HttpStatusCode == 0 ? (int?)null : (int)response.HttpStatusCode;
        string? Read(string expression) => response.Json is { } json && provider.Expression(expression).Evaluate(json) is { IsUndefined: false, Value: { } v }
            ? v.ToString() : null;
        var accessToken = response.IsError ? null : Read(auth.TokenResponse.AccessToken);

        var (connectionId, providerId, accountId) = await SaveConnectionAsync(payload, provider, app, cancellationToken);
        var forTelemetry = engineConnection with { AccountId = accountId, ProviderId = providerId, ConnectionId = connectionId };
        if (accessToken is null)
        {
            var errorCode = response.Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("error", out var e) ? e.ToString() : "token_error";
            telemetry.Record(_events.TokenRefresh(forTelemetry, status, latency,
                errorCode == "invalid_grant" ? ErrorClass.InvalidGrant : status >= 500 ? ErrorClass.Server5xx : status is null ? ErrorClass.Network : ErrorClass.Client4xx,
                Truncate(errorCode)));
            throw new ConnectException("The provider did not issue a token for the code.", true, payload.RedirectUri, Truncate(errorCode));
        }
        await alerts.ReconnectedAsync(payload.TenantId, [connectionId], cancellationToken); // authorized again: the revoked alert is over
        telemetry.Record(_events.TokenRefresh(forTelemetry, status, latency, ErrorClass.None));

        var now = time.GetUtcNow();
        var expiresIn = Read(auth.TokenResponse.ExpiresIn) is { } text && double.TryParse(text, System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (double?)null;
        DateTimeOffset? expiresAt = expiresIn is { } x ? now + (auth.TokenResponse.ExpiresInUnit == "milliseconds" ? TimeSpan.FromMilliseconds(x) : TimeSpan.FromSeconds(x)) : null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { [ConnectionCredentials.ClientId] = app.ClientId };
        if (clientSecret is not null) fields[ConnectionCredentials.ClientSecret] = clientSecret;
        var credentials = new ConnectionCredentials { Fields = fields }.WithToken(accessToken, Read(auth.TokenResponse.RefreshToken), now, expiresAt);
        await vault.SaveAsync(StoreEngineConnections.CredentialKeyOf(payload.TenantId, connectionId), credentials, cancellationToken);
        EngineLog.Connected(logger, payload.TenantId, connectionId, provider.Key);
        return WithQuery(payload.RedirectUri, ("connection", payload.Connection), ("status", "connected"));
    }

    /// <summary>The tenant's OAuth app for a provider, or null.</summary>
    public async Task<OAuthApp?> AppAsync(int tenantId, string providerKey, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.OAuthApps.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId && a.ProviderKey == providerKey, cancellationToken);
    }

    /// <summary>Who a client secret belongs to, for its Data Protection purpose.</summary>
    public static string AppOwner(int tenantId, string providerKey) => $"oauth-app/{tenantId}/{providerKey}";

    public static Uri WithQuery(string uri, params (string Name, string Value)[] values) =>
        new(QueryHelpers.AddQueryString(uri, values.Select(v => KeyValuePair.Create(v.Name, (string?)v.Value))));

    private ConnectStatePayload ReadState(string? state)
    {
        if (string.IsNullOrEmpty(state) || state.Length > 8192) throw Refused(null, "no state");
        try
        {
            return JsonSerializer.Deserialize<ConnectStatePayload>(StateProtector().Unprotect(state)) ?? throw Refused(null, "empty state");
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            throw Refused(null, "the state is not one this service issued, or it has expired");
        }
    }

    private ConnectException Refused(int? tenantId, string reason)
    {
        EngineLog.ConnectCallbackRefused(logger, tenantId, reason);
        return new ConnectException($"The authorization cannot be completed: {reason}. Start again from /v1/connect.");
    }

    private ITimeLimitedDataProtector StateProtector() => protection.CreateProtector(StatePurpose).ToTimeLimitedDataProtector();

    /// <summary>Creates or updates the connection (status active) and its account's link; the store ids.</summary>
    private async Task<(int ConnectionId, int ProviderId, int AccountId)> SaveConnectionAsync(ConnectStatePayload payload,
        LoadedProvider provider, OAuthApp app, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.TenantId == payload.TenantId && a.ExternalId == payload.Account, cancellationToken)
            ?? throw new ConnectException("The account was removed during the authorization.", true, payload.RedirectUri, "account_missing");
        var providerId = await ProviderRows.IdOfAsync(db, payload.TenantId, provider, now, cancellationToken);
        var connection = await db.Connections.FirstOrDefaultAsync(c => c.TenantId == payload.TenantId && c.ExternalId == payload.Connection, cancellationToken);
        if (connection is null)
        {
            connection = new Connection { TenantId = payload.TenantId, ExternalId = payload.Connection, CreatedAt = now };
            db.Connections.Add(connection);
        }
        connection.AccountId = account.Id;
        connection.ProviderId = providerId;
        connection.Status = ConnectionStatus.Active;
        connection.AuthKind = AuthKind.OAuth2;
        connection.Scopes = app.Scopes ?? (provider.Definition.Auth.Scopes.Count > 0 ? string.Join(' ', provider.Definition.Auth.Scopes) : null);
        connection.Values = payload.Values.Count > 0 ? JsonSerializer.Serialize(payload.Values) : connection.Values;
        connection.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return (connection.Id, providerId, account.Id);
    }

    private Uri Render(LoadedProvider provider, string template, EngineConnection connection) =>
        engineOptions.Value.ApplyOriginOverride(provider.Key,
            new Uri(PlaceholderTemplate.Parse(template).Render(name => UpstreamRequestBuilder.ConnectionValue(provider, connection, "connect", name))));

    private static EngineConnection EngineConnectionOf(int tenantId, IReadOnlyDictionary<string, string> values) => new()
    {
        TenantId = tenantId, AccountId = 0, ProviderId = 0, CredentialKey = "", Values = values,
    };

    private static string Truncate(string value) => value.Length <= 100 ? value : value[..100];
}

/// <summary>The store's provider row for an engine definition: the platform catalogue's, else the tenant's own
/// (created from the definition's name when neither exists). Public for hosts that create connections themselves (the demo).</summary>
public static class ProviderRows
{
    public static async Task<int> IdOfAsync(IntegrationHealthDbContext db, int tenantId, LoadedProvider provider, DateTime now,
        CancellationToken cancellationToken)
    {
        var rows = await db.Providers.Where(p => p.Key == provider.Key && (p.TenantId == null || p.TenantId == tenantId))
            .Select(p => new { p.Id, p.TenantId }).ToListAsync(cancellationToken);
        if (rows.FirstOrDefault(r => r.TenantId == null) is { } platform) return platform.Id;
        if (rows.FirstOrDefault() is { } own) return own.Id;
        var row = new Provider { TenantId = tenantId, Key = provider.Key, Name = provider.Definition.Name, Category = provider.Definition.Category };
        db.Providers.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row.Id;
    }
}
