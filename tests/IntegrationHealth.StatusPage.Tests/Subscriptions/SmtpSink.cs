using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IntegrationHealth.Testing;
using MimeKit;

namespace IntegrationHealth.StatusPage.Tests.Subscriptions;

/// <summary>
/// A real SMTP server on 127.0.0.1: <c>tests/smtp/sink.py</c> under Debian's python3-aiosmtpd (<c>/usr/bin/python3</c>),
/// writing every received mail to a folder, parsed here with MimeKit. tests/run.sh installs python3-aiosmtpd; without
/// it the tests are skipped outside CI and fail on CI.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process _process;
    private readonly HashSet<string> _taken = [];

    private SmtpSink(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }
    public string Folder { get; }

    /// <summary>Why the sink cannot run here, or null.</summary>
    public static string? Problem()
    {
        if (!File.Exists(Python)) return $"{Python} is missing";
        var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import aiosmtpd"]) { RedirectStandardError = true, UseShellExecute = false })!;
        check.WaitForExit(30_000);
        return check.ExitCode == 0 ? null : "python3-aiosmtpd is not installed (tests/run.sh installs it: apt-get install python3-aiosmtpd)";
    }

    public static async Task<SmtpSink> StartAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var folder = Directory.CreateTempSubdirectory("ih-smtp-").FullName;
        var script = Path.Combine(NodeScripts.FolderOf("smtp"), "sink.py");
        var process = Process.Start(new ProcessStartInfo(Python, [script, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), folder])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start the SMTP sink");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (ready != "ready")
            throw new InvalidOperationException("The SMTP sink did not start: " + await process.StandardError.ReadToEndAsync());
        return new SmtpSink(process, port, folder);
    }

    /// <summary>Every mail received so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> All() =>
        [.. Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))];

    /// <summary>The mails received since the last call.</summary>
    public IReadOnlyList<MimeMessage> TakeNew()
    {
        var files = Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Where(_taken.Add).ToList();
        return [.. files.Select(f => MimeMessage.Load(f))];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(Folder, recursive: true);
        }
        await Task.CompletedTask;
    }
}

/// <summary>A fact that needs the SMTP sink (python3-aiosmtpd), with <c>node</c> the official webhook verifier
/// (tests/webhooks), with <c>postgres</c> the PostgreSQL test server, with <c>feedparser</c> Debian's python3-feedparser: skipped outside CI when one is missing, failing on CI.</summary>
public sealed class SmtpFactAttribute : FactAttribute
{
    public SmtpFactAttribute(bool node = false, bool postgres = false, bool feedparser = false)
    {
        if (TestServers.IsCi) return;
        if (postgres && TestServers.PostgresSkipReason is { } pgReason) Skip = pgReason;
        else if (SmtpSink.Problem() is { } reason) Skip = reason;
        else if (node && NodeScripts.Problem("webhooks") is { } nodeReason) Skip = nodeReason;
        else if (feedparser && !FeedTests.FeedparserFactAttribute.Available) Skip = "/usr/bin/python3 cannot import feedparser: apt-get install python3-feedparser (tests/run.sh does).";
    }
}
