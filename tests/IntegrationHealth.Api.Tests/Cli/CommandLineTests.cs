using System.CommandLine;
using IntegrationHealth.Api.Cli;
using IntegrationHealth.Api.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace IntegrationHealth.Api.Tests.Cli;

/// <summary>
/// The verbs' arguments, parsed by System.CommandLine: help on every verb, bad arguments exit 2 with a message and the
/// verb's help on stderr, host settings pass through to configuration, <c>keys create</c> prints a key alone on stdout.
/// </summary>
public sealed class CommandLineTests
{
    private const string Target = "http://127.0.0.1:1";

    [Theory]
    [InlineData("bogus")]
    [InlineData("keys")]
    [InlineData("keys", "delete")]
    [InlineData("keys", "create", "--scope", "read")]
    [InlineData("keys", "create", "--tenant", "acme")]
    [InlineData("keys", "create", "--tenant", "acme", "--scope", "root")]
    [InlineData("keys", "create", "--tenant", "Not A Slug", "--scope", "read")]
    [InlineData("keys", "create", "--tenant")]
    [InlineData("keys", "create", "--tenant", "acme", "--scope", "read", "--nmae", "x")]
    [InlineData("demo", "--accounts", "many")]
    [InlineData("demo", "--accounts", "0")]
    [InlineData("demo", "--acounts", "5")]
    [InlineData("demo", "--accounts", "5", "--accounts", "6")]
    [InlineData("demo", "stray")]
    [InlineData("simulate", "--key", "k")]
    [InlineData("simulate", "--target", "ftp://x", "--key", "k")]
    [InlineData("simulate", "--target", Target, "--key", "k", "--rate", "fast")]
    [InlineData("simulate", "--target", Target, "--key", "k", "--duration", "-5")]
    [InlineData("simulate", "--target", Target, "--key", "k", "--urls", "http://127.0.0.1:5000")]
    [InlineData("simulate", "--target", Target, "--key", "k", "--Database:Provider", "sqlite")]
    [InlineData("serve", "--prot", "80")]
    [InlineData("serve", "stray")]
    [InlineData("jobs", "--Rolse", "Jobs")]
    [InlineData("--prot", "80")]
    public async Task RunAsync_BadArguments_PrintsErrorAndHelpOnStderrAndExits2(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(CommandLine.BadArguments, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("Usage:", stderr);
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData("--target", "simulate", "--key", "k")]
    [InlineData("--key", "simulate", "--target", Target)]
    [InlineData("--tenant", "keys", "create", "--scope", "read")]
    [InlineData("--scope", "keys", "create", "--tenant", "acme")]
    public async Task RunAsync_MissingRequiredOption_NamesItAndExits2(string option, params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);

        Assert.Equal(CommandLine.BadArguments, code);
        Assert.Contains($"error: Option '{option}' is required.", stderr);
    }

    [Theory]
    [InlineData("--accounts", "demo", "--accounts", "1000001")]
    [InlineData("--days", "demo", "--days", "0")]
    [InlineData("--days", "demo", "--days", "366")]
    [InlineData("--seed", "demo", "--seed", "4294967296")]
    [InlineData("--batch", "simulate", "--target", Target, "--key", "k", "--batch", "10001")]
    [InlineData("--accounts", "simulate", "--target", Target, "--key", "k", "--accounts", "100001")]
    [InlineData("--workers", "simulate", "--target", Target, "--key", "k", "--workers", "65")]
    [InlineData("--workers", "simulate", "--target", Target, "--key", "k", "--workers", "0")]
    [InlineData("--rate", "simulate", "--target", Target, "--key", "k", "--rate", "0/s")]
    [InlineData("--rate", "simulate", "--target", Target, "--key", "k", "--rate", "20000000")]
    [InlineData("--rate", "simulate", "--target", Target, "--key", "k", "--rate", "5/h")]
    [InlineData("--duration", "simulate", "--target", Target, "--key", "k", "--duration", "8d")]
    [InlineData("--duration", "simulate", "--target", Target, "--key", "k", "--duration", "7.00:00:01")]
    [InlineData("--duration", "simulate", "--target", Target, "--key", "k", "--duration", "0s")]
    [InlineData("--key", "simulate", "--target", Target, "--key", " ")]
    public async Task RunAsync_OutOfRangeValue_NamesTheOptionAndExits2(string option, params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);

        Assert.Equal(CommandLine.BadArguments, code);
        var error = stderr.Split('\n')[0];
        Assert.StartsWith($"error: {option} must ", error);
        Assert.Contains(args[^1].Trim(), error);
    }

    [Theory]
    [InlineData("--acounts", "demo", "--acounts", "5")]
    [InlineData("--urll", "serve", "--urll", "http://127.0.0.1:5000")]
    [InlineData("--Databse", "--Databse", "sqlite")]
    [InlineData("--Rolse", "jobs", "--Rolse=Jobs")]
    [InlineData("--Foo__Bar", "keys", "create", "--tenant", "acme", "--scope", "read", "--Foo__Bar", "1")]
    public async Task RunAsync_UnknownHostSettingWithoutSection_IsAnErrorNotAnIgnoredKey(string setting, params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);

        Assert.Equal(CommandLine.BadArguments, code);
        Assert.Contains($"error: Unknown option '{setting}'.", stderr);
    }

    [Theory]
    [InlineData(new[] { "--help" }, new[] { "serve", "jobs", "demo", "simulate", "keys", "Host settings", "Exit codes" }, new[] { "--accounts" })]
    [InlineData(new[] { "-h" }, new[] { "serve", "jobs", "demo", "simulate", "keys" }, new[] { "--target" })]
    [InlineData(new[] { "help" }, new[] { "serve", "jobs", "demo", "simulate", "keys" }, new[] { "--target" })]
    [InlineData(new[] { "serve", "--help" }, new[] { "serve [options]", "Roles", "Host settings" }, new[] { "--accounts", "simulate" })]
    [InlineData(new[] { "jobs", "-h" }, new[] { "jobs [options]", "Hangfire", "Host settings" }, new[] { "--accounts" })]
    [InlineData(new[] { "demo", "--help" },
        new[] { "demo [options]", "--accounts <N>", "[default: 500]", "--seed <N>", "[default: 42]", "--days <N>", "[default: 60]", "Host settings" },
        new[] { "--target", "--tenant" })]
    [InlineData(new[] { "help", "demo" }, new[] { "demo [options]", "--accounts <N>" }, new[] { "--target" })]
    [InlineData(new[] { "simulate", "--help" },
        new[] { "simulate [options]", "--target <URL> (REQUIRED)", "--key <KEY> (REQUIRED)", "--rate <N/s>", "[default: 1000]", "--duration <S>",
            "[default: 00:00:30]", "--batch <N>", "--accounts <N>", "[default: 50]", "--workers <N>", "[default: 4]", "--seed <N>" },
        new[] { "Host settings", "--tenant", "--days" })]
    [InlineData(new[] { "keys", "--help" }, new[] { "keys [command] [options]", "create" }, new[] { "--tenant", "Host settings" })]
    [InlineData(new[] { "keys", "create", "--help" },
        new[] { "keys create [options]", "--tenant <SLUG> (REQUIRED)", "--scope <ingest|read|admin|platform[,...]> (REQUIRED)", "--name <NAME>", "Host settings" },
        new[] { "--accounts", "--target" })]
    [InlineData(new[] { "keys", "create", "--tenant", "Not A Slug", "-?" }, new[] { "--tenant <SLUG>" }, new[] { "error" })]
    public async Task RunAsync_Help_PrintsThatCommandsOptionsOnStdoutAndExits0(string[] args, string[] expected, string[] unexpected)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(CommandLine.Success, code);
        Assert.Equal("", stderr);
        Assert.Contains("Usage:", stdout);
        Assert.All(expected, text => Assert.Contains(text, stdout));
        Assert.All(unexpected, text => Assert.DoesNotContain(text, stdout));
    }

    [Fact]
    public void Parse_VerbOptionsAndHostSettings_HostSettingsReachConfigurationInOrder()
    {
        var result = CommandLine.Parse(["demo", "--urls", "http://127.0.0.1:5080", "--accounts", "5", "--Database:Provider=postgres",
            "--Database:ConnectionString", "Host=db;Database=ih", "--seed", "-7"]);

        Assert.Empty(result.Errors);
        Assert.Equal("demo", result.CommandResult.Command.Name);
        Assert.Equal(5, result.GetValue<int>("--accounts"));
        Assert.Equal(-7, result.GetValue<int>("--seed"));
        Assert.Equal(60, result.GetValue<int>("--days"));
        var hostArgs = HostSettings.Of(result);
        Assert.Equal(["--urls", "http://127.0.0.1:5080", "--Database:Provider=postgres", "--Database:ConnectionString", "Host=db;Database=ih"], hostArgs);
        Assert.Null(HostSettings.Validate(result));
        var configuration = new ConfigurationBuilder().AddCommandLine(hostArgs).Build();
        Assert.Equal("http://127.0.0.1:5080", configuration["urls"]);
        Assert.Equal("postgres", configuration["Database:Provider"]);
        Assert.Equal("Host=db;Database=ih", configuration["Database:ConnectionString"]);
    }

    [Theory]
    [InlineData("(none)", "--Roles", "Web", "--urls", "http://127.0.0.1:5080")]
    [InlineData("serve", "--Roles", "Web", "--urls", "http://127.0.0.1:5080")]
    [InlineData("jobs", "--Roles", "Web", "--urls", "http://127.0.0.1:5080")]
    [InlineData("create", "--tenant", "acme", "--scope", "read", "--Roles", "Web", "--urls", "http://127.0.0.1:5080")]
    public void Parse_ServeJobsAndKeysCreate_PassHostSettingsOn(string command, params string[] args)
    {
        string[] commandLine = command switch
        {
            "(none)" => args, // no verb: serve
            "create" => ["keys", "create", .. args],
            _ => [command, .. args],
        };
        var result = CommandLine.Parse(commandLine);

        Assert.Empty(result.Errors);
        Assert.Null(HostSettings.Validate(result));
        Assert.True(command == "(none)" ? result.CommandResult.Command is RootCommand : result.CommandResult.Command.Name == command);
        var configuration = new ConfigurationBuilder().AddCommandLine(HostSettings.Of(result)).Build();
        Assert.Equal("Web", configuration["Roles"]);
        Assert.Equal("http://127.0.0.1:5080", configuration["urls"]);
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("00:01:30", 90)]
    [InlineData("7.00:00:00", 604800)]
    public void Parse_DurationForms_ParseToSeconds(string text, int seconds)
    {
        var result = CommandLine.Parse(["simulate", "--target", Target, "--key", "k", "--duration", text]);

        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), result.GetValue<TimeSpan>("--duration"));
    }

    [Theory]
    [InlineData("500", 500)]
    [InlineData("500/s", 500)]
    [InlineData("6000/min", 100)]
    [InlineData("6000/m", 100)]
    [InlineData("2.5", 2.5)]
    public void Parse_RateForms_ParseToEventsPerSecond(string text, double perSecond)
    {
        var result = CommandLine.Parse(["simulate", "--target", Target, "--key", "k", "--rate", text]);

        Assert.Empty(result.Errors);
        Assert.Equal(perSecond, result.GetValue<double>("--rate"));
    }

    [Fact]
    public void Parse_SimulateDefaults_AreTheDocumentedOnes()
    {
        var result = CommandLine.Parse(["simulate", "--target=http://127.0.0.1:5000/", "--key", "ih_k"]);

        Assert.Empty(result.Errors);
        Assert.Empty(result.UnmatchedTokens);
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), result.GetValue<Uri>("--target"));
        Assert.Equal("ih_k", result.GetValue<string>("--key"));
        Assert.Equal(1000, result.GetValue<double>("--rate"));
        Assert.Equal(TimeSpan.FromSeconds(30), result.GetValue<TimeSpan>("--duration"));
        Assert.Equal(1000, result.GetValue<int>("--batch"));
        Assert.Equal(50, result.GetValue<int>("--accounts"));
        Assert.Equal(4, result.GetValue<int>("--workers"));
        Assert.Equal(42, result.GetValue<int>("--seed"));
    }

    [Fact]
    public void Parse_KeysCreate_TrimsTheTenantAndParsesTheScopeList()
    {
        var result = CommandLine.Parse(["keys", "create", "--tenant", " acme-2 ", "--scope", "ingest, Read"]);

        Assert.Empty(result.Errors);
        Assert.Equal("acme-2", result.GetValue<string>("--tenant"));
        Assert.Equal(Data.Entities.ApiKeyScopes.Ingest | Data.Entities.ApiKeyScopes.Read, result.GetValue<Data.Entities.ApiKeyScopes>("--scope"));
        Assert.Null(result.GetValue<string>("--name"));
    }

    [Fact]
    public async Task KeysCreate_UnknownScope_ErrorNamesEveryScopeIncludingPlatform()
    {
        var (code, _, stderr) = await RunAsync(["keys", "create", "--tenant", "acme", "--scope", "root"]);

        Assert.Equal(CommandLine.BadArguments, code);
        Assert.Contains("--scope must list ingest, read, admin, platform (one or more), comma-separated.", stderr);
    }

    [Fact]
    public async Task KeysCreate_NewTenant_PrintsOneWorkingKeyAloneOnStdout()
    {
        await using var database = TestDatabase.Sqlite();

        var (code, stdout, stderr) = await RunAsync(
            ["keys", "create", "--tenant", "cli-tenant", "--scope", "ingest,read", "--name", "from cli",
             "--Database:Provider", "sqlite", "--Database:ConnectionString", database.ConnectionString]);

        Assert.True(code == 0, stderr);
        Assert.Matches("^ih_[A-Za-z0-9_-]{43}\r?\n$", stdout);
        Assert.Contains("for tenant 'cli-tenant' with scopes ingest,read", stderr);
        // The key works against the database named by the host settings, with exactly the scopes asked for.
        await using var host = await ApiTestHost.StartAsync(database, ownsDatabase: false);
        using var client = host.Client(stdout.Trim());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/v1/accounts")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await client.GetAsync("/v1/keys")).StatusCode);
    }

    [Fact]
    public async Task RunAsync_ConfigurationError_PrintsTheMessageWithoutStackTraceAndExits1()
    {
        var (code, stdout, stderr) = await RunAsync(["keys", "create", "--tenant", "acme", "--scope", "read", "--Database:Provider", "nosuch"]);

        Assert.Equal(CommandLine.Failure, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("nosuch", stderr);
        Assert.DoesNotContain(" at ", stderr);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        // A deadline, so that a regression that lets a bad command line through fails the test instead of serving forever.
        var code = await CommandLine.RunAsync(args, stdout, stderr).WaitAsync(TimeSpan.FromMinutes(1));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
