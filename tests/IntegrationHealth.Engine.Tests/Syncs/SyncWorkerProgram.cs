using IntegrationHealth.Data;
using IntegrationHealth.Engine.Syncs;
using IntegrationHealth.Engine.Tests.Auth;

namespace IntegrationHealth.Engine.Tests.Syncs;

/// <summary>
/// The killed-sync test's child process (<c>dotnet exec IntegrationHealth.Engine.Tests.dll sync-worker …</c>, through
/// this assembly's entry point, <see cref="RefreshWorkerProgram"/>): an engine over the given store, with the provider
/// pointed at the test's double, runs the queued sync run given and prints its outcome. The test kills it while the
/// double holds a page back, so in that test it never prints.
/// </summary>
public static class SyncWorkerProgram
{
    public const string Verb = "sync-worker";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [Verb, var provider, var connectionString, var providerKey, var origin, var runId]) return 2;
        var settings = new Dictionary<string, string?>
        {
            [$"Engine:OriginOverrides:{providerKey}"] = origin,
            ["Engine:BackgroundRetries"] = "0",
        };
        await using var host = StoreEngineHost.Create(new DatabaseOptions { Provider = provider, ConnectionString = connectionString },
            new Uri(origin), settings);
        Console.WriteLine("started");
        var run = await host.Services.GetRequiredService<SyncRunner>().RunAsync(int.Parse(runId, System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine(run.Status);
        return 0;
    }
}
