using System.Text.Json;
using IntegrationHealth.Data;

namespace IntegrationHealth.Engine.Tests.Auth;

/// <summary>
/// This test assembly's entry point, for one use: the two-process single-flight test starts it as an OS process
/// (<c>dotnet exec IntegrationHealth.Engine.Tests.dll refresh-worker …</c>) so that two engines that share nothing but
/// the database meet the same expired token. The worker builds a <see cref="StoreEngineHost"/> over the given store,
/// resolves the connection, prints <c>ready</c>, waits for <c>go</c> on standard input, then lists the connection's
/// items from <c>callers</c> concurrent tasks and prints one JSON line: the record count each caller read, or its error.
/// Without arguments it does nothing (the test runner has its own host). The killed-sync test's worker has its own verb
/// (<see cref="Syncs.SyncWorkerProgram"/>).
/// </summary>
public static class RefreshWorkerProgram
{
    public const string Verb = "refresh-worker";

    public static async Task<int> Main(string[] args)
    {
        if (args is [Syncs.SyncWorkerProgram.Verb, ..]) return await Syncs.SyncWorkerProgram.RunAsync(args);
        if (args is not [Verb, var provider, var connectionString, var oauthOrigin, var tenant, var callers]) return args.Length == 0 ? 0 : 2;
        await using var host = StoreEngineHost.Create(new DatabaseOptions { Provider = provider, ConnectionString = connectionString }, new Uri(oauthOrigin));
        var connection = await host.ResolveAsync(int.Parse(tenant, System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine("ready");
        if (Console.ReadLine() != "go") return 3;

        var calls = Enumerable.Range(0, int.Parse(callers, System.Globalization.CultureInfo.InvariantCulture)).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (object)await host.ListItemsAsync(connection);
            }
            catch (Exception e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        }));
        var results = await Task.WhenAll(calls);
        await host.FlushTelemetryAsync();
        Console.WriteLine(JsonSerializer.Serialize(results));
        return 0;
    }
}
