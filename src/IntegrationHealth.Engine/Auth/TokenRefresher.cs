using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Engine.Telemetry;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Auth;

/// <summary>
/// Gives the executor credentials ready to inject. The seam for the credential manager: proactive refresh jobs and a
/// single-flight decorator (one refresh per connection across processes, under a lock that re-reads the store) wrap or
/// replace <see cref="TokenRefresher"/> by registration.
/// </summary>
public interface IAccessTokenSource
{
    /// <summary>The connection's credentials, with an access token obtained or refreshed first when it is due (or
    /// when <paramref name="forceRefresh"/>: the provider said it expired).</summary>
    Task<ConnectionCredentials> GetAsync(LoadedProvider provider, EngineConnection connection, string resource, bool forceRefresh,
        CancellationToken cancellationToken);
}

/// <summary>
/// One OAuth 2.0 token exchange (client credentials grant, refresh token grant) with Duende.IdentityModel, as the
/// definition describes the token endpoint: every attempt is a telemetry event, <c>invalid_grant</c> (and a refused
/// client) is thrown as needs-reauth. No retries, no locking and no saving here: <see cref="SingleFlightTokenSource"/>
/// decides when to exchange, retries only what cannot have consumed the token, and saves the result.
/// </summary>
public sealed class TokenRefresher(IHttpClientFactory httpClients, IEngineTelemetry telemetry,
    IOptions<EngineOptions> options, TimeProvider time, ILogger<TokenRefresher> logger)
{
    private readonly EngineEvents _events = new(time);

    /// <summary>Exchanges the connection's refresh token (or client credentials) for a new access token.</summary>
    /// <exception cref="UpstreamCallException">The request failed; <see cref="ResponseAction.NeedsReauth"/> when the
    /// grant or client was refused. A network failure carries its <see cref="HttpRequestException"/>.</exception>
    public Task<ConnectionCredentials> ExchangeAsync(LoadedProvider provider, EngineConnection connection, string resource,
        ConnectionCredentials credentials, CancellationToken cancellationToken) =>
        RequestTokenAsync(provider, connection, resource, credentials, cancellationToken);

    internal static UpstreamCallException NeedsReauthError(LoadedProvider provider, string resource, int? status, string why) =>
        NeedsReauth(provider, resource, status, why);

    private async Task<ConnectionCredentials> RequestTokenAsync(LoadedProvider provider, EngineConnection connection, string resource,
        ConnectionCredentials credentials, CancellationToken cancellationToken)
    {
        var auth = provider.Definition.Auth;
        var address = options.Value.ApplyOriginOverride(provider.Key, new Uri(PlaceholderTemplate.Parse(auth.TokenUrl!)
            .Render(name => UpstreamRequestBuilder.ConnectionValue(provider, connection, resource, name)))).AbsoluteUri;
        var clientId = credentials[ConnectionCredentials.ClientId]
            ?? throw new ConnectionConfigurationException(provider.Key, resource, "The connection has no 'client_id' credential.");
        var clientSecret = credentials[ConnectionCredentials.ClientSecret];
        var style = auth.ClientAuthentication == "form_body" ? ClientCredentialStyle.PostBody : ClientCredentialStyle.AuthorizationHeader;
        var scope = auth.Scopes.Count > 0 ? string.Join(auth.ScopeSeparator, auth.Scopes) : null;
        var http = httpClients.CreateClient(EngineHttpClients.Tokens);

        var started = Stopwatch.GetTimestamp();
        (int? Status, JsonElement? Json, string? Error) answer;
        try
        {
            answer = auth.Kind == AuthKinds.ClientCredentials
                ? Answer(await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
                {
                    Address = address, ClientId = clientId, ClientSecret = clientSecret, ClientCredentialStyle = style, Scope = scope,
                    Parameters = new Parameters(auth.TokenParams),
                }, cancellationToken))
                : auth.TokenRequestFormat == "json"
                    ? await JsonRefreshAsync(http, address, clientId, clientSecret, credentials, auth, cancellationToken)
                    : Answer(await http.RequestRefreshTokenAsync(new RefreshTokenRequest
                    {
                        Address = address, ClientId = clientId, ClientSecret = clientSecret, ClientCredentialStyle = style,
                        RefreshToken = credentials[ConnectionCredentials.RefreshToken]!, Parameters = new Parameters(auth.Refresh.Params),
                    }, cancellationToken));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            telemetry.Record(_events.TokenRefresh(connection, null, Elapsed(started), ErrorClass.Timeout));
            throw new UpstreamCallException(provider.Key, resource, null,
                new ResponseClassification(ResponseAction.Fail, ErrorClass.Timeout, null, "token request"), RateLimitSnapshot.None, e);
        }
        catch (HttpRequestException e)
        {
            telemetry.Record(_events.TokenRefresh(connection, null, Elapsed(started), ErrorClass.Network));
            throw new UpstreamCallException(provider.Key, resource, null,
                new ResponseClassification(ResponseAction.Fail, ErrorClass.Network, null, "token request"), RateLimitSnapshot.None, e);
        }

        var latency = Elapsed(started);
        if (answer.Error is not null || answer.Json is not { } json || Read(provider, auth.TokenResponse.AccessToken, json) is not { } accessToken)
        {
            var invalidGrant = answer.Error == "invalid_grant";
            var errorClass = invalidGrant ? ErrorClass.InvalidGrant : answer.Status >= 500 ? ErrorClass.Server5xx : ErrorClass.Client4xx;
            telemetry.Record(_events.TokenRefresh(connection, answer.Status, latency, errorClass, answer.Error));
            EngineLog.TokenRequestFailed(logger, connection.ConnectionId, provider.Key, answer.Status ?? 0, answer.Error);
            // The grant or the client itself refused: a person must act, so this is never retried.
            if (invalidGrant || answer.Error is "invalid_client" or "unauthorized_client" || answer.Status == 401)
                throw NeedsReauth(provider, resource, answer.Status, answer.Error!);
            throw new UpstreamCallException(provider.Key, resource, answer.Status,
                new ResponseClassification(ResponseAction.Fail, errorClass, null, "token request"), RateLimitSnapshot.None);
        }

        telemetry.Record(_events.TokenRefresh(connection, answer.Status, latency, ErrorClass.None));
        var now = time.GetUtcNow();
        var expiresIn = Read(provider, auth.TokenResponse.ExpiresIn, json) is { } text && double.TryParse(text,
            System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (double?)null;
        var lifetime = expiresIn is { } e2 ? (auth.TokenResponse.ExpiresInUnit == "milliseconds" ? TimeSpan.FromMilliseconds(e2) : TimeSpan.FromSeconds(e2)) : (TimeSpan?)null;
        return credentials.WithToken(accessToken, Read(provider, auth.TokenResponse.RefreshToken, json), now, now + lifetime);
    }

    /// <summary>Status, JSON body and OAuth error code (RFC 6749 §5.2 <c>error</c>, else Duende's description).</summary>
    private static (int?, JsonElement?, string?) Answer(TokenResponse response)
    {
        // Duende turns transport failures into an error response; rethrown, so they are classified as what they are.
        if (response.ErrorType == ResponseErrorType.Exception && response.Exception is { } failure)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        var error = !response.IsError ? null
            : response.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                ? e.GetString() : response.Error ?? "error";
        return ((int)response.HttpStatusCode == 0 ? null : (int)response.HttpStatusCode, response.Json, error);
    }

    /// <summary>A refresh for providers whose token endpoint takes JSON rather than a form (client credentials in the body).</summary>
    private static async Task<(int?, JsonElement?, string?)> JsonRefreshAsync(HttpClient http, string address, string clientId,
        string? clientSecret, ConnectionCredentials credentials, AuthDefinition auth, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = credentials[ConnectionCredentials.RefreshToken],
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        };
        foreach (var (name, value) in auth.Refresh.Params) body[name] = value;
        using var response = await http.PostAsJsonAsync(address, body, cancellationToken);
        JsonElement? json = null;
        try { json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken); }
        catch (JsonException) { }
        var error = json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("error", out var e) ? e.ToString()
            : response.IsSuccessStatusCode ? null : "http_error";
        return ((int)response.StatusCode, json, error);
    }

    private static string? Read(LoadedProvider provider, string expression, JsonElement json)
    {
        var result = provider.Expression(expression).Evaluate(json);
        return result.IsUndefined || result.Value is null ? null : result.Value.ToString();
    }

    private static UpstreamCallException NeedsReauth(LoadedProvider provider, string resource, int? status, string why) =>
        new(provider.Key, resource, status, new ResponseClassification(ResponseAction.NeedsReauth, ErrorClass.InvalidGrant, null,
            $"token endpoint: {why}"), RateLimitSnapshot.None);

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}
