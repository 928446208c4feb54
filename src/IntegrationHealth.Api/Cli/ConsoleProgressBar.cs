using System.Diagnostics;
using System.Globalization;
using IntegrationHealth.Demo;

namespace IntegrationHealth.Api.Cli;

/// <summary>
/// Progress on standard error. On a terminal: one bar redrawn in place (<c>\r</c>), a new line per stage. Redirected
/// (CI logs, files): a plain line per stage change and at most one every <see cref="LineInterval"/>, never a flood.
/// Reports arrive on worker threads; drawing is serialised.
/// </summary>
public sealed class ConsoleProgressBar(TextWriter output, bool interactive) : IProgress<DemoProgress>, IDisposable
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);
    private const int Width = 30;

    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string? _stage;
    private TimeSpan _lastDraw = TimeSpan.MinValue;
    private DemoProgress _last;
    private bool _lineOpen;

    /// <summary>A bar on the process's standard error, interactive when stderr is a terminal.</summary>
    public static ConsoleProgressBar ForStandardError() => new(Console.Error, !Console.IsErrorRedirected);

    public void Report(DemoProgress value)
    {
        lock (_lock)
        {
            var now = _clock.Elapsed;
            var stageChanged = value.Stage != _stage;
            if (stageChanged && _stage is not null) Finish(_last);
            var complete = value.Total > 0 && value.Done >= value.Total;
            if (!stageChanged && !complete && now - _lastDraw < (interactive ? RedrawInterval : LineInterval))
            {
                _last = value;
                return;
            }
            _stage = value.Stage;
            _last = value;
            _lastDraw = now;
            if (interactive)
            {
                output.Write("\r" + Render(value));
                _lineOpen = true;
            }
            else
            {
                output.WriteLine(Render(value));
            }
            output.Flush();
        }
    }

    private void Finish(DemoProgress last)
    {
        if (interactive)
        {
            output.WriteLine("\r" + Render(last));
            _lineOpen = false;
        }
    }

    /// <summary>e.g. <c>events    [##########....................]  33%  1,234/3,700</c>.</summary>
    public static string Render(DemoProgress p)
    {
        var stage = p.Stage.Length > 24 ? p.Stage[..24] : p.Stage.PadRight(24);
        if (p.Total <= 0) return $"{stage} {p.Done.ToString("N0", CultureInfo.InvariantCulture)}";
        var fraction = Math.Clamp((double)p.Done / p.Total, 0, 1);
        var filled = (int)Math.Round(fraction * Width);
        return string.Create(CultureInfo.InvariantCulture,
            $"{stage} [{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,3:0}%  {p.Done:N0}/{p.Total:N0}");
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_lineOpen)
            {
                output.WriteLine("\r" + Render(_last));
                _lineOpen = false;
            }
            output.Flush();
        }
    }
}
