using System.Net;
using IntegrationHealth.Api.Cli;
using IntegrationHealth.Api.Tests.Infrastructure;

namespace IntegrationHealth.Api.Tests.Cli;

/// <summary>The platform scope (the operators' job dashboard) is granted by the command line, and the key it prints opens /hangfire.</summary>
public sealed class PlatformKeyTests
{
    [Fact]
    public async Task KeysCreate_PlatformScope_PrintsAKeyThatOpensTheDashboardOnly()
    {
        await using var database = TestDatabase.Sqlite();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(
            ["keys", "create", "--tenant", "ops", "--scope", "platform", "--name", "operator",
             "--Database:Provider", "sqlite", "--Database:ConnectionString", database.ConnectionString], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        var key = stdout.ToString().Trim();

        await using var host = await ApiTestHost.StartAsync(database, ownsDatabase: false);
        using var dashboard = await host.Client(key).GetAsync("/hangfire");
        using var accounts = await host.Client(key).GetAsync("/v1/accounts");

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        await TestHttp.AssertProblemAsync(accounts, HttpStatusCode.Forbidden);
        Assert.Contains("platform", stderr.ToString());
    }
}
