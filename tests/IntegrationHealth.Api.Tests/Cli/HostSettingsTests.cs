using System.Diagnostics;
using IntegrationHealth.Api.Cli;

namespace IntegrationHealth.Api.Tests.Cli;

/// <summary>The follow-up command <c>demo</c> prints (regression: its key-creation hint was not a runnable command).</summary>
public sealed class HostSettingsTests
{
    [Fact]
    public void StoreSettings_BothForms_KeepsOnlyTheDatabaseSettingsWithTheirValues()
    {
        string[] hostArgs = ["--urls", "http://127.0.0.1:5080", "--Database:Provider", "postgres",
            "--Database:ConnectionString=Host=db;Database=ih", "--Roles", "Web"];

        Assert.Equal(["--Database:Provider", "postgres", "--Database:ConnectionString=Host=db;Database=ih"], HostSettings.StoreSettings(hostArgs));
    }

    [Fact]
    public async Task SelfInvocation_ArgumentsWithSpacesAndQuotes_SurviveTheShell()
    {
        string[] arguments = ["keys", "create", "--tenant", "demo", "--Database:ConnectionString", "Data Source=/tmp/it's here/x.db;Mode=Rw"];
        var command = HostSettings.SelfInvocation(arguments);

        // Replace the program with printf so the shell shows exactly the words it would pass.
        var program = Environment.ProcessPath!;
        Assert.StartsWith(program.Contains(' ') ? "'" + program : program, command);
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("printf '%s\\n' " + command[(command.IndexOf(" keys ", StringComparison.Ordinal) + 1)..]);
        using var shell = Process.Start(start)!;
        var output = await shell.StandardOutput.ReadToEndAsync();
        await shell.WaitForExitAsync();

        Assert.Equal(arguments, output.TrimEnd('\n').Split('\n'));
    }
}
