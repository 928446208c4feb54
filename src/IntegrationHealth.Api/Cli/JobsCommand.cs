using System.CommandLine;
using IntegrationHealth.Api.Hosting;
using IntegrationHealth.Web.Store;

namespace IntegrationHealth.Api.Cli;

/// <summary><c>jobs</c>: only the Hangfire job server, no HTTP (pair with <c>serve --Roles Web</c>).</summary>
internal static class JobsCommand
{
    /// <summary>The <c>jobs</c> command; it takes host settings only.</summary>
    public static Command Create()
    {
        var command = new Command("jobs", "Run only the Hangfire job server (no HTTP); pair with 'serve --Roles Web'.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((result, _) => RunAsync(HostSettings.Of(result)));
        return command;
    }

    /// <summary>Runs the job server until it stops.</summary>
    public static async Task<int> RunAsync(string[] hostArgs)
    {
        using var host = ApiHost.BuildJobs(hostArgs);
        var startup = host.Services.GetRequiredService<StoreStartup>(); // before RunAsync, which disposes the services
        await host.RunAsync();
        ServeCommand.ThrowIfStartFailed(startup);
        return 0;
    }
}
