using System.CommandLine;
using IntegrationHealth.Api.Hosting;
using IntegrationHealth.Web.Store;

namespace IntegrationHealth.Api.Cli;

/// <summary><c>serve</c>, also run when no command is given: the service, with the roles of configuration <c>Roles</c>.</summary>
internal static class ServeCommand
{
    public const string Description = "Run the service (the default command). Roles from configuration 'Roles' (Web,Jobs).";

    /// <summary>The <c>serve</c> command; it takes host settings only.</summary>
    public static Command Create()
    {
        var command = new Command("serve", Description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction((result, _) => RunAsync(HostSettings.Of(result)));
        return command;
    }

    /// <summary>Runs the web host, or only the job server when <c>Roles</c> has no <c>Web</c>, until it stops.</summary>
    public static async Task<int> RunAsync(string[] hostArgs)
    {
        // The same sources, in the same order, as the host will read: so Roles set in any of them decides here too.
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(hostArgs)
            .Build();
        var roles = HostRolesParser.From(configuration);
        if (!roles.HasFlag(HostRoles.Web)) return await JobsCommand.RunAsync(hostArgs);
        await using var app = ApiHost.BuildWeb(hostArgs);
        HostLog.Starting(app.Logger, roles.ToString());
        var startup = app.Services.GetRequiredService<StoreStartup>(); // before RunAsync, which disposes the services
        await app.RunAsync();
        ThrowIfStartFailed(startup);
        return 0;
    }

    /// <summary>A start that failed after the process began listening (the database came, then preparing it failed for
    /// another reason) stopped the host; it is an error exit all the same (the command line prints the message).</summary>
    internal static void ThrowIfStartFailed(StoreStartup startup)
    {
        if (startup.Failure is { } failure)
            throw new InvalidOperationException($"The store could not be prepared: {failure.Message}", failure);
    }
}
