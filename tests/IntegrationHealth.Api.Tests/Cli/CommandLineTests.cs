using IntegrationHealth.Api.Cli;
using IntegrationHealth.Api.Tests.Infrastructure;

namespace IntegrationHealth.Api.Tests.Cli;

/// <summary>The verbs' argument handling: bad arguments exit 2 with usage; <c>keys create</c> prints a key once.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("bogus")]
    [InlineData("keys")]
    [InlineData("keys", "delete")]
    [InlineData("keys", "create", "--scope", "read")]
    [InlineData("keys", "create", "--tenant", "acme")]
    [InlineData("keys", "create", "--tenant", "acme", "--scope", "root")]
    [InlineData("keys", "create", "--tenant", "Not A Slug", "--scope", "read")]
    [InlineData("keys", "create", "--tenant")]
    [InlineData("demo", "--accounts", "many")]
    [InlineData("demo", "--accounts", "0")]
    [InlineData("demo", "--acounts", "5")]
    [InlineData("simulate", "--key", "k")]
    [InlineData("simulate", "--target", "ftp://x", "--key", "k")]
    [InlineData("simulate", "--target", "http://127.0.0.1:1", "--key", "k", "--rate", "fast")]
    [InlineData("simulate", "--target", "http://127.0.0.1:1", "--key", "k", "--duration", "-5")]
    [InlineData("serve", "--prot", "80")]
    [InlineData("serve", "stray")]
    public async Task RunAsync_BadArguments_PrintsUsageAndExits2(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(args, stdout, stderr);

        Assert.Equal(2, code);
        Assert.Contains("error:", stderr.ToString());
        Assert.Contains("Usage:", stderr.ToString());
    }

    [Fact]
    public async Task RunAsync_Help_PrintsUsageAndExits0()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await CommandLine.RunAsync(["--help"], stdout, new StringWriter()));
        Assert.Contains("keys create", stdout.ToString());
    }

    [Fact]
    public async Task KeysCreate_NewTenant_PrintsOneWorkingKeyOnStdout()
    {
        await using var database = TestDatabase.Sqlite();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(
            ["keys", "create", "--tenant", "cli-tenant", "--scope", "ingest,read", "--name", "from cli",
             "--Database:Provider", "sqlite", "--Database:ConnectionString", database.ConnectionString], stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        var key = stdout.ToString().Trim();
        Assert.Matches("^ih_[A-Za-z0-9_-]{43}$", key);
        await using var host = await ApiTestHost.StartAsync(database, ownsDatabase: false);
        using var client = host.Client(key);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/v1/accounts")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await client.GetAsync("/v1/keys")).StatusCode);
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("00:01:30", 90)]
    public void GetDuration_Forms_ParseToSeconds(string text, int seconds)
    {
        var args = CommandLineArguments.Parse(["simulate", "--duration", text], _ => new HashSet<string> { "duration" });
        Assert.Equal(TimeSpan.FromSeconds(seconds), args.GetDuration("duration", TimeSpan.Zero));
    }

    [Theory]
    [InlineData("500", 500)]
    [InlineData("500/s", 500)]
    [InlineData("6000/min", 100)]
    public void GetRate_Forms_ParseToEventsPerSecond(string text, double perSecond)
    {
        var args = CommandLineArguments.Parse(["simulate", "--rate", text], _ => new HashSet<string> { "rate" });
        Assert.Equal(perSecond, args.GetRate("rate", 0));
    }

    [Fact]
    public void Parse_VerbOptionsThenHostSettings_SplitsThem()
    {
        var args = CommandLineArguments.Parse(["demo", "--accounts", "5", "--urls", "http://127.0.0.1:5000", "--Database:Provider=postgres"],
            _ => new HashSet<string> { "accounts", "seed" });
        Assert.Equal("demo", args.Verb);
        Assert.Equal("5", args.Get("accounts"));
        Assert.Equal(["--urls", "http://127.0.0.1:5000", "--Database:Provider=postgres"], args.HostArgs);
    }
}
