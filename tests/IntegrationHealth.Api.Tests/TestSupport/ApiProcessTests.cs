using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace IntegrationHealth.Api.Tests.TestSupport;

/// <summary>The shared API child-process harness of IntegrationHealth.Testing, on the real built API: it listens where
/// it says, stops gracefully, is killed and cleaned up on dispose, and runs one-shot verbs against a given store.</summary>
public sealed class ApiProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task StartReadyAsync_Serve_ListensOnLoopbackOverItsOwnStoreAndStopsGracefully()
    {
        await using var api = await ApiProcess.StartReadyAsync(new ApiProcessOptions(), Timeout, "serve");

        Assert.Equal("127.0.0.1", api.BaseAddress.Host);
        Assert.True(File.Exists(Path.Combine(api.WorkingDirectory, "api.db")), api.Output);
        Assert.Contains(api.BaseAddress.GetLeftPart(UriPartial.Authority), api.StandardOutput);

        Assert.Equal(0, await api.StopAsync(Timeout));
        Assert.True(api.HasExited);
    }

    [Fact]
    public async Task DisposeAsync_Running_KillsTheProcessAndDeletesItsWorkingDirectory()
    {
        var api = await ApiProcess.StartReadyAsync(new ApiProcessOptions(), Timeout, "serve");
        var directory = api.WorkingDirectory;

        await api.DisposeAsync();

        Assert.False(Directory.Exists(directory));
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, api.BaseAddress.Port));
    }

    [Fact]
    public async Task CreateKeyAsync_ThenServeOverTheSameStore_TheKeyIsAccepted()
    {
        await using var database = TestDatabase.Sqlite();
        var options = new ApiProcessOptions
        {
            Database = database.Options,
            Environment = new Dictionary<string, string?> { ["Roles"] = "Web" },
        };

        var key = await ApiProcess.CreateKeyAsync(options, "harness", "read", "harness test", Timeout);
        await using var api = await ApiProcess.StartReadyAsync(options, Timeout, "serve");

        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.GetAsync("v1/accounts");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}; API output:\n{api.Output}");
    }

    [Fact]
    public async Task RunToExitAsync_UnknownVerb_FailsWithItsErrorOnStandardError()
    {
        var run = await ApiProcess.RunToExitAsync(Timeout, "no-such-verb");

        Assert.NotEqual(0, run.ExitCode);
        Assert.NotEmpty(run.StandardError);
        Assert.Equal(run.Output.Length, run.StandardOutput.Length + run.StandardError.Length);
    }
}
