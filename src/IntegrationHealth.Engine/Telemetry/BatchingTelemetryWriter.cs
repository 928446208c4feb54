using System.Threading.Channels;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Telemetry;

/// <summary>
/// Queues the engine's events in memory and writes them through <see cref="ITelemetryWriter"/> in batches (up to
/// <see cref="EngineOptions.TelemetryBatchSize"/>, at least every <see cref="EngineOptions.TelemetryFlushInterval"/>),
/// never one write per call; endpoint templates are interned per batch (<see cref="IEndpointTemplateIds"/>). A full queue drops new events and counts them rather than slowing calls; stopping the
/// host writes what is queued.
/// </summary>
public sealed class BatchingTelemetryWriter : BackgroundService, IEngineTelemetry
{
    private readonly Channel<(TelemetryEvent Event, string? Endpoint)> _queue;
    private readonly ITelemetryWriter _writer;
    private readonly IEndpointTemplateIds _endpoints;
    private readonly EngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BatchingTelemetryWriter> _logger;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private long _dropped;

    public BatchingTelemetryWriter(ITelemetryWriter writer, IEndpointTemplateIds endpoints, IOptions<EngineOptions> options, TimeProvider time,
        ILogger<BatchingTelemetryWriter> logger)
    {
        _writer = writer;
        _endpoints = endpoints;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<(TelemetryEvent, string?)>(new BoundedChannelOptions(_options.TelemetryQueueCapacity)
        {
            // Wait, not DropWrite: TryWrite then fails when full (DropWrite reports success), and TryWrite never waits.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Events dropped because the queue was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(TelemetryEvent telemetryEvent, string? endpointTemplate = null)
    {
        if (!_queue.Writer.TryWrite((telemetryEvent, endpointTemplate))) Interlocked.Increment(ref _dropped);
    }

    /// <summary>Writes everything queued now (tests, and the host stopping).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (_queue.Reader.TryPeek(out _)) await WriteBatchAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reported = 0L;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // Let a batch fill for up to the flush interval unless it is already full.
                if (_queue.Reader.Count < _options.TelemetryBatchSize)
                    await Task.Delay(_options.TelemetryFlushInterval, _time, stoppingToken);
                await WriteBatchAsync(stoppingToken);
                var dropped = Dropped;
                if (dropped != reported) { EngineLog.TelemetryDropped(_logger, dropped - reported); reported = dropped; }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes the rest.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task WriteBatchAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var batch = new List<(TelemetryEvent Event, string? Endpoint)>(Math.Min(_queue.Reader.Count, _options.TelemetryBatchSize));
            while (batch.Count < _options.TelemetryBatchSize && _queue.Reader.TryRead(out var item)) batch.Add(item);
            if (batch.Count == 0) return;
            try
            {
                await SetEndpointIdsAsync(batch);
                await _writer.WriteAsync([.. batch.Select(b => b.Event)], CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                EngineLog.TelemetryWriteFailed(_logger, batch.Count, e);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Sets each event's interned endpoint id; when interning fails the events are written without one
    /// rather than lost.</summary>
    private async Task SetEndpointIdsAsync(List<(TelemetryEvent Event, string? Endpoint)> batch)
    {
        var templates = batch.Where(b => b.Endpoint is not null)
            .Select(b => (b.Event.TenantId, b.Event.ProviderId, Template(b.Endpoint!))).Distinct().ToList();
        if (templates.Count == 0) return;
        IReadOnlyDictionary<(int, int, string), int> ids;
        try
        {
            ids = await _endpoints.ResolveAsync(templates, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            EngineLog.EndpointInterningFailed(_logger, templates.Count, e);
            return;
        }
        foreach (var (telemetryEvent, endpoint) in batch)
        {
            if (endpoint is not null && ids.TryGetValue((telemetryEvent.TenantId, telemetryEvent.ProviderId, Template(endpoint)), out var id))
                telemetryEvent.EndpointId = id;
        }
    }

    private static string Template(string endpoint) =>
        endpoint.Length <= StoreEndpointTemplateIds.MaxTemplate ? endpoint : endpoint[..StoreEndpointTemplateIds.MaxTemplate];

    public override void Dispose()
    {
        _writing.Dispose();
        base.Dispose();
    }
}
