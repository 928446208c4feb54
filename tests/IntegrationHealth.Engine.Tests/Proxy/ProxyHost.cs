using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Proxy;
using IntegrationHealth.Engine.Telemetry;
using IntegrationHealth.Engine.Tests.Definitions;
using IntegrationHealth.Engine.Tests.Execution;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IntegrationHealth.Engine.Tests.Proxy;

/// <summary>
/// The engine's <see cref="ConnectionProxy"/> served by a real Kestrel host on 127.0.0.1: <c>/p/{**path}</c> proxies
/// for <see cref="Connection"/> (set by each test), over a recording telemetry writer. The API's routing, tenancy and
/// scopes are the Api.Tests' concern; this is the forwarding itself.
/// </summary>
public sealed class ProxyHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProxyHost(WebApplication app, Uri origin)
    {
        _app = app;
        Origin = origin;
    }

    public Uri Origin { get; }

    /// <summary>Everything the host logged (the forwarder's errors among it).</summary>
    public static Microsoft.Extensions.Logging.Testing.FakeLogCollector Logs { get; } = new();
    public IServiceProvider Services => _app.Services;
    public ResolvedConnection? Connection { get; set; }
    public RecordingTelemetryWriter Writer => (RecordingTelemetryWriter)Services.GetRequiredService<ITelemetryWriter>();

    public static async Task<ProxyHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(Logs));
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton<ITelemetryWriter, RecordingTelemetryWriter>();
        builder.Services.AddSingleton<IEndpointTemplateIds, RecordingEndpointTemplateIds>();
        builder.Services.AddSingleton<ICredentialVault, InMemoryCredentialStore>(); // no store here: in-process vault
        builder.Services.AddSingleton<ICredentialAlerts, InMemoryCredentialAlerts>();
        builder.Services.AddEngine();
        var app = builder.Build();
        ProxyHost? host = null;
        app.Map("/p/{**path}", async (HttpContext c) =>
        {
            await c.RequestServices.GetRequiredService<ConnectionProxy>().ForwardAsync(c, host!.Connection!, EngineProxyApi.RawPathAfter(c, 1));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        host = new ProxyHost(app, new Uri(address));
        return host;
    }

    /// <summary>A connection to a provider defined by <paramref name="definitionJson"/>, its credentials saved.</summary>
    public async Task<ResolvedConnection> ConnectAsync(string definitionJson, ConnectionCredentials credentials)
    {
        var provider = TestDefinitions.Loader.Load(definitionJson);
        var key = "conn-" + Guid.NewGuid().ToString("N");
        await Services.GetRequiredService<ICredentialStore>().SaveAsync(key, credentials);
        var engine = new EngineConnection { TenantId = 1, AccountId = 2, ProviderId = 3, ConnectionId = 4, CredentialKey = key };
        Connection = new ResolvedConnection(new Connection { Id = 4, TenantId = 1, AccountId = 2, ProviderId = 3, ExternalId = "c-1" },
            provider.Key, provider, engine);
        return Connection;
    }

    public HttpClient Client() => new() { BaseAddress = Origin, Timeout = TimeSpan.FromSeconds(120) };

    public async Task<IReadOnlyList<TelemetryEvent>> TelemetryAsync()
    {
        await Services.GetRequiredService<BatchingTelemetryWriter>().FlushAsync();
        return Writer.Events;
    }

    public string EndpointOf(TelemetryEvent e) => ((RecordingEndpointTemplateIds)Services.GetRequiredService<IEndpointTemplateIds>()).TemplateOf(e.EndpointId);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Definition documents for the proxy tests, over any base URL.</summary>
public static class ProxyDefinitions
{
    public static string Bearer(string baseUrl) => $$"""
        {
          "key": "echo", "name": "Echo", "base_url": "{{baseUrl}}",
          "auth": { "kind": "bearer" },
          "rate_limit": {
            "limit": { "header": "X-RateLimit-Limit" },
            "remaining": { "header": "X-RateLimit-Remaining" },
            "reset": { "header": "X-RateLimit-Reset", "unit": "delta_seconds" }
          },
          "resources": { "items": { "model": "crm.contact", "operations": {
            "list": { "method": "GET", "path": "/items", "records": "items", "response_mapping": "{ 'id': $string(id) }" },
            "get": { "method": "GET", "path": "/items/{id}", "response_mapping": "{ 'id': $string(id) }" } } } }
        }
        """;

    public static string ApiKeyInHeader(string baseUrl) => $$"""
        {
          "key": "echo-key", "name": "Echo key", "base_url": "{{baseUrl}}",
          "auth": { "kind": "api_key", "inject": { "header": "X-Api-Key", "value": "{api_key}" } },
          "resources": { "items": { "operations": { "list": { "method": "GET", "path": "/items", "records": "items" } } } }
        }
        """;

    public static string ApiKeyInQuery(string baseUrl) => $$"""
        {
          "key": "echo-query", "name": "Echo query", "base_url": "{{baseUrl}}",
          "auth": { "kind": "api_key", "inject": { "query": "api_token", "value": "{api_key}" } },
          "resources": { "items": { "operations": { "list": { "method": "GET", "path": "/items", "records": "items" } } } }
        }
        """;
}
