using IntegrationHealth.Api.Cli;

namespace IntegrationHealth.Api.Tests.Faults;

/// <summary>The service waits for a database that is not there yet, but a setting it cannot use still ends the start.</summary>
public sealed class StartupErrorTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Port=not-a-port")]
    [InlineData("Host=127.0.0.1;Bogus Keyword=1")]
    public async Task Serve_MalformedPostgresConnectionString_ExitsWith1NamingTheSetting(string connectionString)
    {
        var stderr = new StringWriter();
        var run = CommandLine.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--Database:Provider", "postgres",
            "--Database:ConnectionString", connectionString], new StringWriter(), stderr);

        // A deadline: a start that waited for the database instead would serve forever.
        var code = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
        Assert.Contains("error:", stderr.ToString());
        Assert.Contains("Database:ConnectionString", stderr.ToString());
    }
}
