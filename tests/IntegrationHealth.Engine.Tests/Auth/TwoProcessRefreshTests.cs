using System.Diagnostics;
using System.Text.Json;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Tests.Auth;

/// <summary>
/// Single flight across OS processes (issue 14, item 11): two engine processes (this test assembly started twice with
/// <c>dotnet exec</c>, see <see cref="RefreshWorkerProgram"/>) share nothing but the database; 20 concurrent callers in
/// each meet an expired token; exactly one refresh reaches the OpenIddict token endpoint (rotating refresh tokens, a
/// replay would revoke the grant) and all 40 calls succeed with the one new access token. On PostgreSQL (advisory
/// lock) and on a SQLite file (the row lease).
/// </summary>
public sealed class TwoProcessRefreshTests : IAsyncLifetime
{
    private readonly OAuthServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [PostgresFact]
    public Task ExpiredToken_20CallersInEachOfTwoProcessesOnPostgres_OneRefresh_All40Succeed() =>
        RunAsync(async () => await TestDatabase.MigratedPostgresAsync("ih_twoprocess"));

    [Fact]
    public Task ExpiredToken_20CallersInEachOfTwoProcessesOnSqlite_OneRefresh_All40Succeed() =>
        RunAsync(async () => await TestDatabase.MigratedSqliteAsync("ih-twoprocess"));

    private async Task RunAsync(Func<Task<TestDatabase>> create)
    {
        await using var database = await create();
        var connectionId = await StoreEngineHost.SeedConnectionAsync(database);
        int tenant;
        await using (var db = database.CreateContext()) tenant = await db.Tenants.Where(t => t.Key == "acme").Select(t => t.Id).SingleAsync();
        var (access, refresh) = await _server.AuthorizeAsync();
        var issued = DateTimeOffset.UtcNow.AddHours(-2);
        var key = StoreEngineConnections.CredentialKeyOf(tenant, connectionId);
        await using (var seeding = StoreEngineHost.Create(database, _server.Origin))
        {
            await seeding.Vault.SaveAsync(key, ConnectionCredentials.Of(("client_id", OAuthServer.ClientId), ("client_secret", OAuthServer.ClientSecret),
                ("refresh_token", refresh)).WithToken(access, null, issued, issued.AddHours(1)));
        }
        _server.TokenDelay = TimeSpan.FromMilliseconds(300); // the first refresh is still in flight when the others arrive
        var before = _server.RefreshRequests;

        using var first = Worker(database, tenant);
        using var second = Worker(database, tenant);
        Assert.Equal("ready", await ReadLineAsync(first));
        Assert.Equal("ready", await ReadLineAsync(second));
        await Task.WhenAll(first.StandardInput.WriteLineAsync("go"), second.StandardInput.WriteLineAsync("go"));
        await first.StandardInput.FlushAsync();
        await second.StandardInput.FlushAsync();
        var results = await Task.WhenAll(ReadLineAsync(first), ReadLineAsync(second));
        await Task.WhenAll(ExitAsync(first), ExitAsync(second));

        var counts = results.SelectMany(line => JsonSerializer.Deserialize<JsonElement[]>(line!)!).ToList();
        Assert.Equal(40, counts.Count);
        Assert.All(counts, c => Assert.True(c.ValueKind == JsonValueKind.Number && c.GetInt32() == 2, $"a caller failed: {c}"));
        Assert.Equal(1, _server.RefreshRequests - before);
        await using var reader = StoreEngineHost.Create(database, _server.Origin);
        var saved = (await reader.Vault.GetAsync(key))!;
        Assert.NotEqual(refresh, saved["refresh_token"]);
        Assert.Equal(40, _server.ApiTokens.Count);
        Assert.All(_server.ApiTokens, t => Assert.Equal(saved["access_token"], t));
    }

    /// <summary>This assembly as a second OS process running <see cref="RefreshWorkerProgram"/> over the test's store.</summary>
    private Process Worker(TestDatabase database, int tenant)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", typeof(RefreshWorkerProgram).Assembly.Location, RefreshWorkerProgram.Verb, database.Provider,
                     database.ConnectionString, _server.Origin.ToString(), tenant.ToString(System.Globalization.CultureInfo.InvariantCulture), "20" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync(); // drained, so a chatty child never blocks
        return process;
    }

    private static async Task<string?> ReadLineAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await process.StandardOutput.ReadLineAsync(timeout.Token);
    }

    private static async Task ExitAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        Assert.Equal(0, process.ExitCode);
    }
}
