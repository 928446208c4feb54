using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Models;
using IntegrationHealth.Engine.Overrides;
using IntegrationHealth.Engine.Records;
using IntegrationHealth.Engine.Syncs;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Engine.Proxy;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Engine.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace IntegrationHealth.Engine;

/// <summary>The names of the engine's HTTP clients.</summary>
public static class EngineHttpClients
{
    /// <summary>Request-path calls: no retries, one attempt within <see cref="EngineOptions.RequestTimeout"/>.</summary>
    public const string Interactive = "IntegrationHealth.Engine.Interactive";
    /// <summary>Background calls: transient failures and short rate-limit waits retried with backoff and jitter.</summary>
    public const string Background = "IntegrationHealth.Engine.Background";
    /// <summary>Token endpoint calls: never retried (a refresh token may have been consumed by a lost answer).</summary>
    public const string Tokens = "IntegrationHealth.Engine.Tokens";
}

/// <summary>The engine feature's registration and endpoints (the credential manager's part: <see cref="EngineCredentials"/>).</summary>
public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine: validated options (<c>Engine</c> section), the shipped provider definitions (validated at
    /// start: a bad one stops the host naming its JSON paths), the unified models, the executor with its HTTP clients,
    /// the credential manager (encrypted vault, single-flight refresh, proactive refresh job; see EngineCredentials), and batched telemetry through the store's
    /// <c>ITelemetryWriter</c>. Needs the store's registration (the shared plumbing's <c>AddServiceDefaults</c>).
    /// </summary>
    public static IServiceCollection AddEngine(this IServiceCollection services)
    {
        services.AddOptions<EngineOptions>().BindConfiguration(EngineOptions.Section)
            .Validate(o => o.MaxPages > 0, "Engine:MaxPages must be positive.")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero && o.RequestTimeout <= TimeSpan.FromMinutes(10),
                "Engine:RequestTimeout must be between 0 and 10 minutes.")
            .Validate(o => o.MaxResponseBytes > 0 && o.MaxResponseBytes <= int.MaxValue, $"Engine:MaxResponseBytes must be between 1 and {int.MaxValue}.")
            .Validate(o => o.MaxDefinitionBytes is > 0 and <= 16 * 1024 * 1024, "Engine:MaxDefinitionBytes must be between 1 and 16 MiB.")
            .Validate(o => o.BackgroundRetries is >= 0 and <= 10, "Engine:BackgroundRetries must be between 0 and 10.")
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.RetryBaseDelay,
                "Engine:RetryBaseDelay must be positive and Engine:MaxRetryDelay at least as long.")
            .Validate(o => o.MaxRateLimitWait >= TimeSpan.Zero, "Engine:MaxRateLimitWait must not be negative.")
            .Validate(o => o.TelemetryBatchSize > 0 && o.TelemetryQueueCapacity >= o.TelemetryBatchSize,
                "Engine:TelemetryBatchSize must be positive and Engine:TelemetryQueueCapacity at least as large.")
            .Validate(o => o.TelemetryFlushInterval > TimeSpan.Zero && o.TelemetryFlushInterval <= TimeSpan.FromMinutes(1),
                "Engine:TelemetryFlushInterval must be between 0 and 1 minute.")
            .Validate(o => o.ConnectionLookupCache >= TimeSpan.Zero && o.ConnectionLookupCache <= TimeSpan.FromMinutes(1),
                "Engine:ConnectionLookupCache must be between 0 and 1 minute.")
            .Validate(o => o.DefinitionRefreshInterval >= TimeSpan.Zero && o.DefinitionRefreshInterval <= TimeSpan.FromMinutes(5),
                "Engine:DefinitionRefreshInterval must be between 0 and 5 minutes.")
            .Validate(o => o.MaxOverrideBytes is > 0 and <= 16 * 1024 * 1024, "Engine:MaxOverrideBytes must be between 1 and 16 MiB.")
            .Validate(o => o.Syncs.LeaseDuration >= TimeSpan.FromSeconds(10), "Engine:Syncs:LeaseDuration must be at least 10 seconds.")
            .Validate(o => o.Syncs.QueuedTimeout >= TimeSpan.FromMinutes(1), "Engine:Syncs:QueuedTimeout must be at least 1 minute.")
            .Validate(o => o.AllowedNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                "Engine:AllowedNetworks entries must be CIDR networks such as 10.20.0.0/16.")
            .Validate(o => o.OriginOverrides.Values.All(v => Uri.TryCreate(v, UriKind.Absolute, out var u)
                    && u.Scheme is "http" or "https" && u.AbsolutePath == "/" && u.Query.Length == 0),
                "Engine:OriginOverrides values must be bare http(s) origins such as http://127.0.0.1:5123.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EngineOptions>, ProviderDefinitionsValidation>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UnifiedModelCatalog>();
        services.TryAddSingleton<ProviderDefinitionLoader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderDefinitionSource, ShippedProviderDefinitions>());
        services.TryAddSingleton<ProviderRegistry>();
        services.TryAddSingleton<TenantProviderRegistry>();
        services.TryAddSingleton<TenantDefinitionStore>();
        services.TryAddSingleton<Overrides.EngineOverrideStore>();
        services.TryAddSingleton<Syncs.SyncRunner>();
        services.TryAddTransient<Syncs.SyncJob>();
        services.AddRecurringJob<Syncs.SyncDispatcherJob>("engine-sync-dispatcher", SyncOptions.DispatcherCron);

        services.TryAddSingleton<Connections.IEngineConnections, Connections.StoreEngineConnections>();
        services.AddEngineCredentials();
        services.TryAddSingleton<IEndpointTemplateIds, StoreEndpointTemplateIds>();
        services.TryAddSingleton<BatchingTelemetryWriter>();
        services.TryAddSingleton<IEngineTelemetry>(sp => sp.GetRequiredService<BatchingTelemetryWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<BatchingTelemetryWriter>());
        services.TryAddSingleton<ResponseClassifier>();
        services.TryAddSingleton<OperationExecutor>();
        services.TryAddSingleton<RequestBudget>();
        services.TryAddTransient<UpstreamCallHandler>();
        AddHttpClients(services);
        services.AddEngineEdge(); // the proxy, the unified API, idempotency keys
        return services;
    }

    /// <summary>Maps the provider definitions (<c>/v1/engine/providers</c>), overrides (<c>/v1/engine/overrides</c>), a
    /// connection's effective definition and syncs (<c>/v1/engine/connections/{connection}/…</c>) and the record cache
    /// (<c>/v1/records/{model}</c>).</summary>
    public static IEndpointRouteBuilder MapEngineApi(this IEndpointRouteBuilder app)
    {
        app.MapEngineProvidersApi();
        app.MapEngineOverridesApi();
        app.MapEffectiveDefinitionApi();
        app.MapEngineSyncsApi();
        app.MapRecordsApi();
        app.MapEngineCredentialsApi();
        app.MapEngineEdgeApi(); // the proxy (/v1/proxy/...) and the unified API (/v1/unified/...)
        return app;
    }

    private static void AddHttpClients(IServiceCollection services)
    {
        // Redirects are not followed: a 3xx would carry the credential to wherever the provider points. Every address
        // is checked when the connection is opened, as the proxy's are (server-side request forgery through an
        // uploaded definition's base or token URL, or a connection's instance URL).
        static SocketsHttpHandler Primary(IServiceProvider services) => new()
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = services.GetRequiredService<EngineDestinationGuard>().Guard.ConnectAsync,
        };
        services.TryAddSingleton<EngineDestinationGuard>();

        services.AddHttpClient(EngineHttpClients.Interactive)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<EngineOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => Primary(sp))
            .AddHttpMessageHandler<UpstreamCallHandler>();

        var background = services.AddHttpClient(EngineHttpClients.Background)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // per attempt, by the pipeline below
            .ConfigurePrimaryHttpMessageHandler(sp => Primary(sp));
        background.AddResilienceHandler("engine-background", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<EngineOptions>>().Value;
                if (options.BackgroundRetries > 0) pipeline.AddRetry(BackgroundRetry(options));
                pipeline.AddTimeout(options.RequestTimeout);
            });
        // Added after the resilience handler, so it sits inside it and sees (and reports) every attempt.
        background.AddHttpMessageHandler<UpstreamCallHandler>();

        services.AddHttpClient(EngineHttpClients.Tokens)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<EngineOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => Primary(sp));
    }

    /// <summary>Retries what the definition's rules classified as transient, or as rate-limited with a wait short
    /// enough to sit out (waiting exactly that long); network failures and attempt timeouts too.</summary>
    private static HttpRetryStrategyOptions BackgroundRetry(EngineOptions options) => new()
    {
        MaxRetryAttempts = options.BackgroundRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.RetryBaseDelay,
        MaxDelay = options.MaxRetryDelay,
        ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
        {
            { Exception: HttpRequestException { InnerException: DestinationRefusedException } } => false, // refused by us: the same again
            { Exception: HttpRequestException or Polly.Timeout.TimeoutRejectedException } => true,
            { Result: { } response } => UpstreamCall.Of(response.RequestMessage)?.LastClassification switch
            {
                { Action: ResponseAction.Retry } => true,
                { Action: ResponseAction.RateLimited, Wait: var wait } => wait is null || wait <= options.MaxRateLimitWait,
                _ => false,
            },
            _ => false,
        }),
        DelayGenerator = args => ValueTask.FromResult(
            UpstreamCall.Of(args.Outcome.Result?.RequestMessage)?.LastClassification is { Action: ResponseAction.RateLimited, Wait: { } wait }
                ? wait : (TimeSpan?)null),
    };
}

/// <summary>The address rules of the engine's own HTTP clients (executor, tokens): <see cref="EngineOptions.AllowedNetworks"/>
/// and the proxy's allowed networks, with the operator's origin overrides trusted at their exact host and port.</summary>
internal sealed class EngineDestinationGuard(IOptions<EngineOptions> engine, IOptions<ProxyOptions> proxy)
{
    public DestinationGuard Guard { get; } = new(
        [.. engine.Value.AllowedNetworks.Select(System.Net.IPNetwork.Parse), .. proxy.Value.ParsedAllowedNetworks()],
        [.. engine.Value.OriginOverrides.Values.Select(o => new Uri(o)).Select(u => new System.Net.DnsEndPoint(u.DnsSafeHost, u.Port))]);
}

/// <summary>Loads the provider definitions when the host validates its options, so a bad definition stops the start
/// with its errors instead of failing the first call.</summary>
internal sealed class ProviderDefinitionsValidation(ProviderRegistry registry) : IValidateOptions<EngineOptions>
{
    public ValidateOptionsResult Validate(string? name, EngineOptions options)
    {
        try
        {
            _ = registry.All;
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
