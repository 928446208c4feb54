using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace IntegrationHealth.Testing.Faults;

/// <summary>
/// A throwaway PostgreSQL cluster of a test's own, on a free loopback port, that the test may stop, start and restart
/// (with <c>pg_ctl</c>) without disturbing the shared test server other test classes use. Built from the PostgreSQL
/// binaries <c>tests/postgres.sh</c> installs (the newest <c>/usr/lib/postgresql/*/bin</c>); as root, its tools run as
/// the <c>postgres</c> user, which PostgreSQL requires. Trust authentication and fsync off: for tests only. Disposing
/// stops it (immediately) and deletes its directory.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string PostgresUser = "postgres";
    private static readonly Lazy<string?> BinDirectory = new(FindBinDirectory);

    private readonly string _bin;

    private PostgresCluster(string bin, string root, int port)
    {
        _bin = bin;
        Root = root;
        Port = port;
    }

    /// <summary>Why a cluster cannot be made here, or null when it can. Always null on CI (<c>CI=true</c>), where a
    /// missing PostgreSQL fails the tests instead of skipping them.</summary>
    public static string? SkipReason
    {
        get
        {
            if (TestServers.IsCi) return null;
            if (BinDirectory.Value is null)
                return "PostgreSQL fault tests skipped: no /usr/lib/postgresql/*/bin/initdb; run `bash tests/postgres.sh start` once to install it.";
            if (Commands.IsRoot && !File.ReadLines("/etc/passwd").Any(l => l.StartsWith(PostgresUser + ":", StringComparison.Ordinal)))
                return "PostgreSQL fault tests skipped: running as root without a 'postgres' user; `bash tests/postgres.sh start` creates it.";
            return null;
        }
    }

    /// <summary>The loopback port it listens on (also while stopped: a start listens there again).</summary>
    public int Port { get; }

    /// <summary>The cluster's own directory: its data directory, log and socket live under it.</summary>
    public string Root { get; }

    /// <summary>The superuser connection string (trust authentication, no password).</summary>
    public string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = PostgresUser,
        Database = "postgres",
        // Short, so a test that talks to a stopped cluster fails fast instead of waiting for the default 15 s.
        Timeout = 5,
    }.ConnectionString;

    private string DataDirectory => Path.Combine(Root, "data");

    private string LogFile => Path.Combine(Root, "postgres.log");

    /// <summary>Creates (initdb) and starts a cluster.</summary>
    public static async Task<PostgresCluster> CreateAsync()
    {
        var bin = BinDirectory.Value ?? throw new InvalidOperationException(
            "No PostgreSQL binaries under /usr/lib/postgresql/*/bin: run `bash tests/postgres.sh start` once to install them.");
        var directory = Path.Combine(Path.GetTempPath(), "ih-pg-cluster-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var cluster = new PostgresCluster(bin, directory, FreePort());
        try
        {
            if (Commands.IsRoot) await Commands.RunCheckedAsync("chown", [PostgresUser + ":", directory]);
            await Commands.RunCheckedAsync(Path.Combine(bin, "initdb"),
                ["-D", cluster.DataDirectory, "-U", PostgresUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"],
                PostgresUser, TimeSpan.FromMinutes(2));
            await cluster.StartAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the (stopped) cluster and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        await PgCtlAsync("start", "-l", LogFile, "-w", "-t", "60", "-o",
            $"-c listen_addresses=127.0.0.1 -p {Port} -k {Root} -c fsync=off -c synchronous_commit=off " +
            "-c full_page_writes=off -c max_connections=100 -c shared_buffers=32MB");
    }

    /// <summary>Stops the cluster as an operator would (fast: open sessions are terminated, the server shuts down cleanly).</summary>
    public Task StopAsync() => PgCtlAsync("stop", "-m", "fast", "-w", "-t", "60");

    /// <summary>Restarts it (fast stop, then start): every open connection of every client is broken.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Runs SQL as the superuser on <paramref name="database"/>.</summary>
    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The last lines of the server log (for failure messages).</summary>
    public string LogTail(int lines = 20) => File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(lines)) : "";

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await Commands.RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "stop", "-m", "immediate", "-w"], PostgresUser);
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover in the temporary folder is harmless.
        }
    }

    private async Task PgCtlAsync(params string[] args)
    {
        var (code, output) = await Commands.RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, .. args], PostgresUser,
            TimeSpan.FromMinutes(2));
        if (code != 0)
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', args)} exited with {code}:\n{output}\n{LogTail()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")) && File.Exists(Path.Combine(d.Dir, "pg_ctl")))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Dir)
            .FirstOrDefault();
    }
}
