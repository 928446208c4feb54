using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using IntegrationHealth.Demo.Simulation;
using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Demo;

/// <summary>Sends demo-like live traffic to a running instance over HTTP (load tests).</summary>
/// <remarks>Its accounts and connections are a small demo world of their own under the external-id prefix
/// <c>sim-</c>, so it never overwrites the seeded demo data. Events are the demo world's events re-stamped to "now"
/// with fresh ids (drawn from the seed and the run's start instant, so two runs never collide).</remarks>
public static class TrafficSimulator
{
    /// <summary>External-id prefix of everything the simulator creates.</summary>
    public const string ExternalIdPrefix = "sim-";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    /// <summary>Upserts its accounts and connections through the API, then posts event batches at the given rate.
    /// Cancellation stops the traffic and returns what was done so far (cancellation during the upserts throws).</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The API refused the account or connection upserts.</exception>
    public static async Task<SimulationReport> RunAsync(SimulationOptions options, IProgress<DemoProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var now = DateTime.UtcNow;
        var world = DemoWorld.Generate(new DemoWorldOptions
        {
            Seed = options.Seed,
            Accounts = options.Accounts,
            Days = 7,
            EndUtc = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc),
        });
        var accountIds = world.Accounts.Select(a => ExternalIdPrefix + a.ExternalId["acct-".Length..]).ToArray();
        var connectionIds = world.Connections
            .Select(c => $"{ExternalIdPrefix}conn-{c.AccountIndex + 1:D4}-{c.Provider.Key}").ToArray();

        using var http = CreateClient(options);
        var upserts = world.Accounts.Count + world.Connections.Count;
        progress?.Report(new DemoProgress("upsert", 0, upserts));
        foreach (var chunk in world.Accounts.Chunk(500))
        {
            await UpsertAsync(http, "v1/accounts", buffer => WireFormat.WriteAccounts(buffer, chunk, a => accountIds[a.Index]),
                cancellationToken).ConfigureAwait(false);
        }
        progress?.Report(new DemoProgress("upsert", world.Accounts.Count, upserts));
        foreach (var chunk in world.Connections.Chunk(500))
        {
            await UpsertAsync(http, "v1/connections", buffer => WireFormat.WriteConnections(buffer, chunk, c => connectionIds[c.Index],
                c => accountIds[c.AccountIndex]), cancellationToken).ConfigureAwait(false);
        }
        progress?.Report(new DemoProgress("upsert", upserts, upserts));

        var run = new TrafficRun(options, http, new LiveEventSource(world, options.Seed, now), accountIds, connectionIds, progress);
        return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static HttpClient CreateClient(SimulationOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Workers,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var baseUri = options.Target.AbsoluteUri.EndsWith('/') ? options.Target : new Uri(options.Target.AbsoluteUri + "/");
        var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        return http;
    }

    private static async Task UpsertAsync(HttpClient http, string path, Action<ArrayBufferWriter<byte>> write, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        using var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
        content.Headers.ContentType = JsonMediaType;
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(path, content, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Could not reach {new Uri(http.BaseAddress!, path)}: {ex.Message}", ex);
        }
        using var _ = response;
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw new InvalidOperationException(
                $"POST {new Uri(http.BaseAddress!, path)} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(body, 2000)}");
        }
    }

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>One paced run of event batches over several concurrent workers.</summary>
    private sealed class TrafficRun(SimulationOptions options, HttpClient http, LiveEventSource source, string[] accountIds,
        string[] connectionIds, IProgress<DemoProgress>? progress)
    {
        private readonly long _totalEvents = Math.Max(1, (long)Math.Round(options.Rate * options.Duration.TotalSeconds));

        /// <summary>At low rates batches shrink to about one second of events, so traffic is spread over the run
        /// instead of leaving in one burst at its start.</summary>
        private int BatchSize => (int)Math.Clamp(Math.Ceiling(options.Rate), 1, options.BatchSize);
        private readonly Stopwatch _clock = new();
        private long _nextBatch;
        private long _sent, _accepted, _duplicates, _failed;
        private string? _firstError;

        public async Task<SimulationReport> ExecuteAsync(CancellationToken ct)
        {
            _clock.Start();
            using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var reporter = ReportProgressAsync(stopProgress.Token);
            var workers = Enumerable.Range(0, options.Workers).Select(_ => Task.Run(() => WorkAsync(ct), CancellationToken.None)).ToArray();
            await Task.WhenAll(workers).ConfigureAwait(false);
            await stopProgress.CancelAsync().ConfigureAwait(false);
            await reporter.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _clock.Stop();
            progress?.Report(new DemoProgress("simulate", Interlocked.Read(ref _sent), _totalEvents));
            return new SimulationReport(_sent, _accepted, _duplicates, _failed, _clock.Elapsed) { FirstError = _firstError };
        }

        private async Task WorkAsync(CancellationToken ct)
        {
            var batchSize = BatchSize;
            var buffer = new ArrayBufferWriter<byte>(batchSize * 400);
            var events = new List<DemoEvent>(batchSize);
            while (!ct.IsCancellationRequested)
            {
                var k = Interlocked.Increment(ref _nextBatch) - 1;
                var first = k * batchSize;
                if (first >= _totalEvents)
                {
                    return;
                }
                // Batch k is due when the events before it have been sent at the target rate.
                var due = TimeSpan.FromSeconds(first / options.Rate);
                var wait = due - _clock.Elapsed;
                try
                {
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, ct).ConfigureAwait(false);
                    }
                    if (_clock.Elapsed > options.Duration)
                    {
                        return; // the target could not keep up; the run is over all the same
                    }
                    var count = (int)Math.Min(batchSize, _totalEvents - first);
                    events.Clear();
                    source.Take(count, events);
                    buffer.ResetWrittenCount();
                    WireFormat.WriteEvents(buffer, events, accountIds, connectionIds);
                    await PostAsync(buffer.WrittenMemory, count, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        private async Task PostAsync(ReadOnlyMemory<byte> body, int count, CancellationToken ct)
        {
            Interlocked.Add(ref _sent, count);
            try
            {
                using var content = new ReadOnlyMemoryContent(body);
                content.Headers.ContentType = JsonMediaType;
                using var response = await http.PostAsync("v1/events", content, ct).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    Fail($"POST v1/events answered {(int)response.StatusCode}: {Truncate(text, 1000)}");
                    return;
                }
                using var json = JsonDocument.Parse(text);
                Interlocked.Add(ref _accepted, json.RootElement.GetProperty("accepted").GetInt64());
                Interlocked.Add(ref _duplicates, json.RootElement.GetProperty("duplicates").GetInt64());
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException
                                           || ex is TaskCanceledException && !ct.IsCancellationRequested)
            {
                Fail($"POST v1/events failed: {ex.Message}");
            }
        }

        private void Fail(string message)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstError, message, null);
        }

        private async Task ReportProgressAsync(CancellationToken ct)
        {
            if (progress is null)
            {
                return;
            }
            using var timer = new PeriodicTimer(options.ProgressInterval);
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                progress.Report(new DemoProgress("simulate", Interlocked.Read(ref _sent), _totalEvents));
            }
        }
    }
}
