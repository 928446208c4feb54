using System.Collections.Concurrent;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Telemetry;
using IntegrationHealth.ProviderDoubles;
using Microsoft.Extensions.Logging.Testing;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>Records what the engine writes through the store's telemetry writer, batch by batch.</summary>
public sealed class RecordingTelemetryWriter : ITelemetryWriter
{
    public ConcurrentQueue<IReadOnlyList<TelemetryEvent>> Batches { get; } = new();

    public IReadOnlyList<TelemetryEvent> Events => [.. Batches.SelectMany(b => b)];

    public Task<TelemetryWriteResult> WriteAsync(IReadOnlyList<TelemetryEvent> events, CancellationToken cancellationToken = default)
    {
        Batches.Enqueue([.. events]);
        return Task.FromResult(new TelemetryWriteResult(events.Count, 0));
    }
}

/// <summary>Interns endpoint templates in memory (ids from 1, per tenant, provider and template), as the store would.</summary>
public sealed class RecordingEndpointTemplateIds : IEndpointTemplateIds
{
    private readonly ConcurrentDictionary<(int, int, string), int> _ids = new();

    /// <summary>The template of an interned id.</summary>
    public string TemplateOf(int? id) => _ids.Single(p => p.Value == id).Key.Item3;

    public Task<IReadOnlyDictionary<(int TenantId, int ProviderId, string Template), int>> ResolveAsync(
        IReadOnlyCollection<(int TenantId, int ProviderId, string Template)> templates, CancellationToken cancellationToken)
    {
        lock (_ids)
        {
            foreach (var key in templates) _ids.TryAdd(key, _ids.Count + 1);
        }
        return Task.FromResult<IReadOnlyDictionary<(int, int, string), int>>(templates.ToDictionary(t => t, t => _ids[t]));
    }
}

/// <summary>
/// The engine as <c>AddEngine</c> registers it, over a recording telemetry writer and in-memory credentials, with
/// origin overrides pointing shipped providers at their doubles and short retry delays.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private EngineHarness(ServiceProvider services, FakeLogCollector logs)
    {
        _services = services;
        Logs = logs;
    }

    public IServiceProvider Services => _services;
    public OperationExecutor Executor => _services.GetRequiredService<OperationExecutor>();
    public ProviderRegistry Registry => _services.GetRequiredService<ProviderRegistry>();
    public ICredentialStore Credentials => _services.GetRequiredService<ICredentialStore>();
    public RecordingTelemetryWriter Writer => (RecordingTelemetryWriter)_services.GetRequiredService<ITelemetryWriter>();
    public FakeLogCollector Logs { get; }

    /// <summary>The endpoint template an event names (through its interned id).</summary>
    public string EndpointOf(TelemetryEvent e) => ((RecordingEndpointTemplateIds)_services.GetRequiredService<IEndpointTemplateIds>()).TemplateOf(e.EndpointId);

    public static EngineHarness Create(IDictionary<string, ProviderDouble>? doubles = null, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Engine:RetryBaseDelay"] = "00:00:00.010",
            ["Engine:MaxRetryDelay"] = "00:00:00.050",
            ["Engine:MaxRateLimitWait"] = "00:00:05",
        };
        foreach (var (key, provider) in doubles ?? new Dictionary<string, ProviderDouble>())
            values[$"Engine:OriginOverrides:{key}"] = provider.Origin.GetLeftPart(UriPartial.Authority);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;

        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton<ITelemetryWriter, RecordingTelemetryWriter>();
        services.AddSingleton<IEndpointTemplateIds, RecordingEndpointTemplateIds>();
        services.AddSingleton<ICredentialVault, InMemoryCredentialStore>(); // no store here: in-process vault
        services.AddSingleton<ICredentialAlerts, InMemoryCredentialAlerts>();
        services.AddEngine();
        return new EngineHarness(services.BuildServiceProvider(validateScopes: true), logs);
    }

    /// <summary>A connection with ids 1/2/3/4, credentials saved under a fresh key.</summary>
    public async Task<EngineConnection> ConnectAsync(ConnectionCredentials credentials, params (string Name, string Value)[] values)
    {
        var key = "conn-" + Guid.NewGuid().ToString("N");
        await Credentials.SaveAsync(key, credentials);
        return new EngineConnection
        {
            TenantId = 1, AccountId = 2, ProviderId = 3, ConnectionId = 4, CredentialKey = key,
            Values = values.ToDictionary(v => v.Name, v => v.Value),
        };
    }

    /// <summary>Writes the queued telemetry and returns everything written so far.</summary>
    public async Task<IReadOnlyList<TelemetryEvent>> TelemetryAsync()
    {
        await _services.GetRequiredService<BatchingTelemetryWriter>().FlushAsync();
        return Writer.Events;
    }

    /// <summary>Every log line at any level, formatted with its structured values.</summary>
    public string LogText => string.Join('\n', Logs.GetSnapshot().Select(r => $"{r.Level} {r.Id.Id} {r.Message} {r.Exception}"));

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
