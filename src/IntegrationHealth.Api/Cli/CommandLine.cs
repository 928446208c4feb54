using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using IntegrationHealth.Ingestion;
using IntegrationHealth.Data;
using IntegrationHealth.Api.Hosting;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Cli;

/// <summary>
/// The program's verbs. <c>serve</c> (default) and <c>jobs</c> run the service; <c>demo</c> seeds a demo world and
/// serves it; <c>simulate</c> sends live traffic to a running instance; <c>keys create</c> issues an API key.
/// Exit codes: 0 success, 1 failure, 2 bad arguments.
/// </summary>
public static class CommandLine
{
    public const string DemoAdminKeyName = "demo admin (created by 'demo')";

    private static readonly Dictionary<string, IReadOnlySet<string>> VerbOptions = new()
    {
        ["serve"] = new HashSet<string>(),
        ["jobs"] = new HashSet<string>(),
        ["help"] = new HashSet<string>(),
        ["keys create"] = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "tenant", "scope", "name" },
        ["demo"] = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "accounts", "seed", "days" },
        ["simulate"] = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "target", "key", "rate", "duration", "batch", "accounts", "workers", "seed" },
    };

    public const string Usage = """
        Usage: IntegrationHealth.Api [command] [command options] [host settings]

        Commands:
          serve                     Run the service (default). Roles from configuration 'Roles' (Web,Jobs).
          jobs                      Run only the Hangfire job server (no HTTP); pair with 'serve --Roles Web'.
          demo [--accounts N] [--seed S] [--days D]
                                    Migrate, seed a demo world if empty (progress on stderr), print an admin key
                                    for tenant 'demo' the first time, then serve.
          simulate --target URL --key KEY [--rate N/s] [--duration S] [--batch N] [--accounts N] [--workers N] [--seed S]
                                    Send live demo traffic to a running instance and print a report.
          keys create --tenant SLUG --scope ingest|read|admin[,...] [--name NAME]
                                    Create an API key (and the tenant if missing); the key is printed once.

        Host settings follow the command options, e.g. --urls http://127.0.0.1:5080 --Database:Provider postgres
          --Database:ConnectionString "Host=...;Database=...". See CONFIGURATION.md for every setting.
        """;

    /// <summary>Runs the command line; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        CommandLineArguments parsed;
        try
        {
            parsed = CommandLineArguments.Parse(args, verb => VerbOptions.GetValueOrDefault(verb));
            if (parsed.Verb == "help")
            {
                await stdout.WriteLineAsync(Usage);
                return 0;
            }
            return parsed.Verb switch
            {
                "serve" => await ServeAsync(parsed),
                "jobs" => await JobsAsync(parsed),
                "keys create" => await CreateKeyAsync(parsed, stdout, stderr),
                "demo" => await DemoAsync(parsed, stdout, stderr),
                "simulate" => await SimulateAsync(parsed, stdout, stderr),
                _ => throw new UsageException($"Unknown command '{parsed.Verb}'."),
            };
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            await stderr.WriteLineAsync();
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            // Configuration mistakes (unknown provider, missing connection string, bad Roles): a message, not a stack trace.
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> ServeAsync(CommandLineArguments args)
    {
        // The same sources, in the same order, as the host will read: so Roles set in any of them decides here too.
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args.HostArgs)
            .Build();
        var roles = HostRolesParser.From(configuration);
        if (!roles.HasFlag(HostRoles.Web)) return await JobsAsync(args);
        await using var app = ApiHost.BuildWeb(args.HostArgs);
        HostLog.Starting(app.Logger, roles.ToString());
        await app.RunAsync();
        return 0;
    }

    private static async Task<int> JobsAsync(CommandLineArguments args)
    {
        using var host = ApiHost.BuildJobs(args.HostArgs);
        await host.RunAsync();
        return 0;
    }

    private static async Task<int> CreateKeyAsync(CommandLineArguments args, TextWriter stdout, TextWriter stderr)
    {
        var tenant = args.Require("tenant").Trim();
        if (!IsSlug(tenant)) throw new UsageException("--tenant must be a slug: lower-case letters, digits and '-', up to 100 characters.");
        var scopes = WireNames.ParseScopeList(args.Require("scope"))
            ?? throw new UsageException("--scope must list ingest, read and/or admin, comma-separated.");
        var name = args.Get("name");

        using var host = BuildToolHost(args.HostArgs);
        await StoreMigrator.MigrateAsync(host.Services);
        var issuer = host.Services.GetRequiredService<ApiKeyIssuer>();
        var tenantRow = await issuer.EnsureTenantAsync(tenant);
        var issued = await issuer.CreateAsync(tenantRow.Id, scopes, name);
        await stderr.WriteLineAsync($"Created API key {issued.Entity.Id} for tenant '{tenant}' with scopes {string.Join(",", WireNames.Of(scopes))}. " +
            "It is shown once; store it now:");
        await stdout.WriteLineAsync(issued.Key);
        return 0;
    }

    private static async Task<int> DemoAsync(CommandLineArguments args, TextWriter stdout, TextWriter stderr)
    {
        var world = new DemoWorldOptions
        {
            Accounts = args.GetInt("accounts", 500, 1, 1_000_000),
            Seed = args.GetInt("seed", 42, int.MinValue, int.MaxValue),
            Days = args.GetInt("days", 60, 1, 365),
        };
        await using var app = ApiHost.BuildWeb(args.HostArgs);
        await StoreMigrator.MigrateAsync(app.Services, app.Lifetime.ApplicationStopping);

        await stderr.WriteLineAsync($"Seeding the demo world ({world.Accounts} accounts, seed {world.Seed}, {world.Days} days) unless it exists…");
        using (var bar = ConsoleProgressBar.ForStandardError())
        {
            var seeded = await DemoSeeder.SeedIfEmptyAsync(app.Services, world, bar, app.Lifetime.ApplicationStopping);
            bar.Dispose(); // finish the bar's line before the next message (disposing twice is harmless)
            await stderr.WriteLineAsync(seeded ? "Demo world seeded." : "Demo world already present; not seeded again.");
        }

        var key = await EnsureDemoAdminKeyAsync(app.Services, world.TenantKey);
        if (key is not null)
        {
            await stdout.WriteLineAsync($"Admin API key for tenant '{world.TenantKey}' (shown once, store it now): {key}");
        }
        else
        {
            await stdout.WriteLineAsync($"The demo admin key was printed on the first run; create another with: keys create --tenant {world.TenantKey} --scope admin");
        }
        await app.RunAsync();
        return 0;
    }

    /// <summary>Creates the demo tenant's admin key unless one was created before; returns the secret or null.</summary>
    internal static async Task<string?> EnsureDemoAdminKeyAsync(IServiceProvider services, string tenantKey)
    {
        var issuer = services.GetRequiredService<ApiKeyIssuer>();
        var tenant = await issuer.EnsureTenantAsync(tenantKey);
        var dbFactory = services.GetRequiredService<IDbContextFactory<IntegrationHealthDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            if (await db.ApiKeys.AnyAsync(k => k.TenantId == tenant.Id && k.Name == DemoAdminKeyName)) return null;
        }
        return (await issuer.CreateAsync(tenant.Id, ApiKeyScopes.Admin, DemoAdminKeyName)).Key;
    }

    private static async Task<int> SimulateAsync(CommandLineArguments args, TextWriter stdout, TextWriter stderr)
    {
        var targetText = args.Require("target");
        if (!Uri.TryCreate(targetText, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
            throw new UsageException($"--target must be an absolute http(s) URL (was '{targetText}').");
        if (args.HostArgs.Length > 0) throw new UsageException($"Unknown option '{args.HostArgs[0]}' for simulate.");
        var options = new SimulationOptions
        {
            Target = target,
            ApiKey = args.Require("key"),
            Rate = args.GetRate("rate", 1000),
            Duration = args.GetDuration("duration", TimeSpan.FromSeconds(30)),
            BatchSize = args.GetInt("batch", 1000, 1, 10_000),
            Accounts = args.GetInt("accounts", 50, 1, 100_000),
            Workers = args.GetInt("workers", 4, 1, 64),
            Seed = args.GetInt("seed", 42, int.MinValue, int.MaxValue),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        SimulationReport report;
        using (var bar = ConsoleProgressBar.ForStandardError())
        {
            report = await TrafficSimulator.RunAsync(options, bar, stop.Token);
        }
        await stdout.WriteLineAsync(
            $"Sent {report.EventsSent:N0} events in {report.Elapsed.TotalSeconds:N1} s: {report.Accepted:N0} accepted " +
            $"({report.AcceptedPerSecond:N0}/s), {report.Duplicates:N0} duplicates, {report.FailedRequests:N0} failed requests.");
        if (report.FirstError is { } error) await stdout.WriteLineAsync($"First error: {error}");
        return report.FailedRequests == 0 ? 0 : 1;
    }

    /// <summary>A host with the store and key issuing only, logging warnings to stderr (stdout carries the result).</summary>
    private static IHost BuildToolHost(string[] hostArgs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = hostArgs, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddIntegrationHealthStore(builder.Configuration);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        builder.Services.AddSingleton<ApiKeyAuthenticator>();
        builder.Services.AddSingleton<ApiKeyIssuer>();
        return builder.Build();
    }

    internal static bool IsSlug(string text) =>
        text.Length is > 0 and <= 100 && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
