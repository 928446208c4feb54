using System.CommandLine;
using IntegrationHealth.Api.DemoEngine;
using IntegrationHealth.Engine;
using IntegrationHealth.Engine.Proxy;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Api.Hosting;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Demo;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Cli;

/// <summary>
/// <c>demo [--accounts N] [--seed S] [--days D] [--no-engine]</c>: migrates, seeds a demo world unless present (progress
/// on stderr), prints an admin key for tenant <c>demo</c> the first time, then serves. Unless <c>--no-engine</c> (or
/// <c>Demo:Engine=false</c>), it also runs the engine against provider doubles on 127.0.0.1 (see
/// <see cref="DemoProviderDoubles"/>): live demo connections the unified API, the proxy and syncs can call at once,
/// whose telemetry joins the seeded history in the same store.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The name of the admin key <c>demo</c> creates, so later runs know it exists.</summary>
    public const string DemoAdminKeyName = "demo admin (created by 'demo')";

    /// <summary>The <c>demo</c> command; host settings may follow its options.</summary>
    public static Command Create()
    {
        var accounts = OptionValues.Integer("--accounts", "Accounts in the demo world.", 500, 1, 1_000_000);
        var seed = OptionValues.Integer("--seed", "Random seed of the demo world.", 42);
        var days = OptionValues.Integer("--days", "Days of history to simulate.", 60, 1, 365);
        var noEngine = new Option<bool>("--no-engine")
        {
            Description = "Do not run the engine against local provider doubles (no live demo connections); also Demo:Engine=false.",
        };
        var command = new Command("demo",
            "Migrate, seed a demo world if empty (progress on stderr), print an admin key for tenant 'demo' the first time, then serve.")
        {
            accounts,
            seed,
            days,
            noEngine,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, _) => RunAsync(
            new DemoWorldOptions { Accounts = result.GetValue(accounts), Seed = result.GetValue(seed), Days = result.GetValue(days) },
            !result.GetValue(noEngine), HostSettings.Of(result), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static async Task<int> RunAsync(DemoWorldOptions world, bool engine, string[] hostArgs, TextWriter stdout, TextWriter stderr)
    {
        await using var doubles = new DemoProviderDoubles();
        var faultRate = 0.0;
        (string, TimeSpan, TimeSpan)? outage = null;
        var defaults = ApiHost.DemoDefaults(world.TenantKey);
        await using var app = ApiHost.BuildWeb(hostArgs, builder =>
        {
            defaults(builder);
            engine &= builder.Configuration.GetValue(DemoEngineSettings.Engine, true);
            faultRate = builder.Configuration.GetValue(DemoEngineSettings.FaultRate, DemoEngineSettings.DefaultFaultRate);
            var down = builder.Configuration.GetValue(DemoEngineSettings.OutageProvider, DemoEngineSettings.DefaultOutageProvider);
            if (!string.IsNullOrEmpty(down))
                outage = (down, builder.Configuration.GetValue(DemoEngineSettings.OutageAfter, DemoEngineSettings.DefaultOutageAfter),
                    builder.Configuration.GetValue(DemoEngineSettings.OutageDuration, DemoEngineSettings.DefaultOutageDuration));
            if (engine) PointEngineAtDoubles(builder.Services, doubles);
        });
        if (engine)
        {
            if (faultRate is < 0 or > 1) throw new InvalidOperationException($"{DemoEngineSettings.FaultRate} must be between 0 and 1.");
            await doubles.StartAsync(faultRate, world.Seed, outage);
        }
        // Migrated here, before seeding, so the log says so in that order (the start-up migration then finds nothing to do).
        await DatabaseMigrationService.MigrateAndLogAsync(app.Services, app.Services.GetRequiredService<ILogger<DatabaseMigrationService>>(),
            app.Lifetime.ApplicationStopping);

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
            await stdout.WriteLineAsync("The demo admin key was printed on the first run; create another with:");
            await stdout.WriteLineAsync("  " + HostSettings.SelfInvocation(
                ["keys", "create", "--tenant", world.TenantKey, "--scope", "admin", .. HostSettings.StoreSettings(hostArgs)]));
        }
        if (engine)
        {
            var tenant = await app.Services.GetRequiredService<ApiKeyIssuer>().EnsureTenantAsync(world.TenantKey);
            var connections = await DemoConnections.EnsureAsync(app.Services, tenant.Id, doubles, app.Lifetime.ApplicationStopping);
            // Printed once the server listens, with the address it really has (--urls may ask for port 0).
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                    ?? "http://localhost:5000";
                stdout.WriteLine(DemoEngineGuide.Render(address, doubles.Origins, doubles.PeopleApi.Origin, connections,
                    $"/pages/{world.TenantKey}", doubles.Outage));
                stdout.Flush();
            });
        }
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// Sends every shipped provider's calls (base and token URLs) to its double, and lets the engine connect to
    /// 127.0.0.1, which it refuses by default (server-side request forgery). Demo only: applied after every other
    /// source, so the doubles' ephemeral ports win; read when the options are first used, after the doubles started.
    /// </summary>
    private static void PointEngineAtDoubles(IServiceCollection services, DemoProviderDoubles doubles)
    {
        services.PostConfigure<EngineOptions>(o =>
        {
            foreach (var (key, origin) in doubles.Origins) o.OriginOverrides[key] = origin;
        });
        services.PostConfigure<ProxyOptions>(o =>
        {
            if (!o.AllowedNetworks.Contains(DemoEngineSettings.LoopbackNetwork)) o.AllowedNetworks.Add(DemoEngineSettings.LoopbackNetwork);
        });
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
}
