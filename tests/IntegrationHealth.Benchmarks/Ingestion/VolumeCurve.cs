using System.Diagnostics;
using System.Globalization;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>
/// The per-million figures of one <c>ingest-volume</c> run, printed as each million distinct events is reached (and
/// for the last, partial million): events/s, p50 and p95 batch latency, and, when an API process is measured, its CPU
/// per event and its resident memory (VmRSS sampled every <see cref="SampleInterval"/>: the value at the mark and the
/// peak within the million) and where that memory is (<see cref="ApiMemory"/>, from its <c>/metrics</c>: the GC heap
/// and what the GC committed, SQLite's heap, malloc's used and freed-but-kept bytes), then the database size per
/// million events. Between marks a progress line every <see cref="ProgressInterval"/> shows a long run is moving.
/// </summary>
internal sealed class VolumeCurve : IAsyncDisposable
{
    /// <summary>Distinct events per printed row.</summary>
    public const int Million = 1_000_000;

    /// <summary>How often the API's resident memory is read.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How often a progress line is printed between rows.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(30);

    private readonly string _title;
    private readonly long _expected;
    private readonly Func<Task<long>> _databaseBytes;
    private readonly ApiMeter? _api;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _print = new(1, 1);
    private readonly List<double> _latencies = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private TimeSpan _markTime;
    private TimeSpan _markCpu;
    private long _accepted;
    private long _markAccepted;
    private long _nextMark = Million;
    private long _peakRssKib;
    private long _segmentPeakRssKib;

    /// <summary>The resident memory (KiB), CPU time and memory breakdown (null when it cannot be read) of the API
    /// process under test.</summary>
    public sealed record ApiMeter(Func<long> RssKib, Func<TimeSpan> Cpu, Func<Task<ApiMemory?>> Memory);

    public VolumeCurve(string title, long expected, Func<Task<long>> databaseBytes, ApiMeter? api)
    {
        _title = title;
        _expected = expected;
        _databaseBytes = databaseBytes;
        _api = api;
        _sampler = Task.Run(SampleAsync);
    }

    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>The highest resident memory sampled over the whole run, in KiB (0 without an API process).</summary>
    public long PeakRssKib => Interlocked.Read(ref _peakRssKib);

    public void Header()
    {
        Console.WriteLine(_title);
        Console.WriteLine(_api is null
            ? "| million | events/s | p50 batch | p95 batch | DB MB per M events |"
            : $"| million | events/s | p50 batch | p95 batch | API CPU µs/event | API RSS MB (peak in million) | {ApiMemory.Legend} | DB MB per M events |");
        Console.WriteLine(_api is null ? "|---:|---:|---:|---:|---:|" : "|---:|---:|---:|---:|---:|---:|---:|---:|");
        _markCpu = _api?.Cpu() ?? TimeSpan.Zero;
    }

    /// <summary>Adds one batch; prints a row when the accepted total crosses the next million.</summary>
    public async Task RecordAsync(int accepted, TimeSpan latency)
    {
        Segment? segment;
        lock (_gate)
        {
            _latencies.Add(latency.TotalMilliseconds);
            _accepted += accepted;
            segment = _accepted >= _nextMark ? Cut() : null;
        }

        if (segment is { } s)
        {
            await PrintAsync(s);
        }
    }

    /// <summary>Prints the last, partial segment (small runs have only this one).</summary>
    public async Task FinishAsync()
    {
        Segment? segment;
        lock (_gate)
        {
            segment = _accepted > _markAccepted ? Cut() : null;
        }

        if (segment is { } s)
        {
            await PrintAsync(s);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
        _print.Dispose();
    }

    private readonly record struct Segment(long Total, long Events, TimeSpan Elapsed, List<double> Latencies, long PeakRssKib);

    private Segment Cut()
    {
        var now = _clock.Elapsed;
        var segment = new Segment(_accepted, _accepted - _markAccepted, now - _markTime, [.. _latencies],
            Interlocked.Exchange(ref _segmentPeakRssKib, 0));
        _latencies.Clear();
        _markTime = now;
        _markAccepted = _accepted;
        _nextMark = (_accepted / Million + 1) * Million;
        return segment;
    }

    private async Task PrintAsync(Segment s)
    {
        // Rows are printed in order even when two clients cross marks at once.
        await _print.WaitAsync();
        try
        {
            s.Latencies.Sort();
            var size = await _databaseBytes() / 1024.0 / 1024.0 / (s.Total / (double)Million);
            var row = string.Create(CultureInfo.InvariantCulture, $"| {s.Total / (double)Million:N2} | {s.Events / s.Elapsed.TotalSeconds:N0} | " +
                                                                  $"{Percentile(s.Latencies, 0.5):N0} ms | {Percentile(s.Latencies, 0.95):N0} ms |");
            if (_api is not null)
            {
                var cpu = _api.Cpu();
                var rss = Sample();
                var memory = await _api.Memory();
                row += string.Create(CultureInfo.InvariantCulture,
                    $" {(cpu - _markCpu).TotalMicroseconds / s.Events:N1} | {rss / 1024.0:N0} ({Math.Max(rss, s.PeakRssKib) / 1024.0:N0}) | {memory?.Column() ?? "–"} |");
                _markCpu = cpu;
            }

            Console.WriteLine(row + string.Create(CultureInfo.InvariantCulture, $" {size:N0} |"));
        }
        finally
        {
            _print.Release();
        }
    }

    /// <summary>Reads the API's resident memory and keeps the peaks.</summary>
    private long Sample()
    {
        if (_api is null)
        {
            return 0;
        }

        var rss = _api.RssKib();
        InterlockedMax(ref _peakRssKib, rss);
        InterlockedMax(ref _segmentPeakRssKib, rss);
        return rss;
    }

    private async Task SampleAsync()
    {
        var lastProgress = TimeSpan.Zero;
        using var timer = new PeriodicTimer(SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
                var now = _clock.Elapsed;
                if (now - lastProgress >= ProgressInterval)
                {
                    lastProgress = now;
                    var accepted = Accepted;
                    var memory = _api is null ? null : await _api.Memory();
                    var rss = _api is null ? "" : string.Create(CultureInfo.InvariantCulture,
                        $", API RSS {Interlocked.Read(ref _segmentPeakRssKib) / 1024.0:N0} MB ({memory?.Column() ?? "–"})");
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  … {accepted:N0} of {_expected:N0} distinct events after {now:hh\\:mm\\:ss}{rss}"));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: the run is over.
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    /// <summary>VmRSS of a process in KiB, from <c>/proc/&lt;pid&gt;/status</c> (0 where there is no /proc or the
    /// process is gone).</summary>
    public static long RssKib(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
