using IntegrationHealth.Analytics;
using IntegrationHealth.Engine;
using IntegrationHealth.Ingestion;
using IntegrationHealth.StatusPage;
using IntegrationHealth.StatusPage.Public;
using IntegrationHealth.Web;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Web.Store;
using Microsoft.Extensions.Configuration.Memory;

namespace IntegrationHealth.Api.Hosting;

/// <summary>
/// Builds the two kinds of process: the web application (optionally with a job server) and a jobs-only host. This is
/// the one place features are composed: each adds itself with its own <c>AddX</c> (in every role, so the job server can
/// run its jobs) and maps its endpoints with its own <c>MapXApi</c> (web role only). A new feature adds one line to
/// <see cref="AddFeatures"/> and, if it serves HTTP, one to <see cref="MapFeatures"/>.
/// </summary>
public static class ApiHost
{
    /// <summary>
    /// The web application: API, probes, metrics, OpenAPI and the Hangfire dashboard; plus the Hangfire server when the
    /// configured <see cref="HostRoles"/> include Jobs. <paramref name="configure"/> runs before services are added
    /// (tests use it to set configuration, URLs and logging).
    /// </summary>
    public static WebApplication BuildWeb(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Content root = where the binaries (and appsettings.json) are, so settings apply whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var roles = HostRolesParser.From(builder.Configuration);
        AddFeatures(builder.Services, builder.Configuration);
        builder.Services.AddWebDefaults();
        if (roles.HasFlag(HostRoles.Jobs)) builder.Services.AddJobServer();
        DeferStoreWarmUps(builder.Services);

        var app = builder.Build();
        // Public status documents already rendered are answered before routing and the shared middleware (the
        // status page's hot path); everything else goes the whole way. Routing explicitly after it, else it runs first.
        app.UseCachedStatusDocuments();
        app.UseRouting();
        app.UseWebDefaults();
        app.MapDefaultEndpoints();
        MapFeatures(app);
        return app;
    }

    private const string Derivation = $"{StatusPageOptions.Section}:{nameof(StatusPageOptions.Derivation)}";

    /// <summary>
    /// What <c>demo</c> adds to <see cref="BuildWeb"/>: the demo tenant is the operators' tenant
    /// (<c>Hangfire:DashboardTenant</c>), so the admin key <c>demo</c> prints also opens <c>/hangfire</c>, and its
    /// status page (seeded with the world, slug = tenant key) is the one at the site root (<c>StatusPage:DefaultPage</c>),
    /// its components judged by rules fit for the demo's small live traffic (<c>StatusPage:Derivation:*</c>). Added as
    /// the lowest-precedence source, so appsettings, environment and command line still override it; <c>serve</c>
    /// never has it, so there the dashboard stays closed to tenants' admin keys.
    /// </summary>
    public static Action<WebApplicationBuilder> DemoDefaults(string tenantKey) => builder =>
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                [$"{JobsOptions.Section}:{nameof(JobsOptions.DashboardTenant)}"] = tenantKey,
                [$"{StatusPageOptions.Section}:{nameof(StatusPageOptions.DefaultPage)}"] = tenantKey,
                // The demo's live traffic is small (about 9 engine calls per provider and sync round, every 5-6
                // minutes, in a burst; some providers fewer): judge raw events, not the 5-minute rollups, over two
                // rounds, with evidence from 10 calls (20, the default, kept a recovered Zendesk in major outage: two
                // healthy rounds are 18 calls), and enter degraded at 30% errors, so the random faults
                // (Demo:FaultRate) do not flap a component but an outage (Demo:Outage) shows within minutes.
                [$"{Derivation}:{nameof(ComponentStatusRules.Source)}"] = nameof(TelemetryWindowSource.Events),
                [$"{Derivation}:{nameof(ComponentStatusRules.WindowMinutes)}"] = "10",
                [$"{Derivation}:{nameof(ComponentStatusRules.MinRequests)}"] = "10",
                [$"{Derivation}:{nameof(ComponentStatusRules.DegradedEnterErrorRate)}"] = "0.3",
                [$"{Derivation}:{nameof(ComponentStatusRules.DegradedExitErrorRate)}"] = "0.1",
                [$"{Derivation}:{nameof(ComponentStatusRules.PartialEnterErrorRate)}"] = "0.45",
                [$"{Derivation}:{nameof(ComponentStatusRules.PartialExitErrorRate)}"] = "0.2",
            },
        });

    /// <summary>A process that only runs Hangfire jobs (no HTTP); pair with web processes on the same PostgreSQL.</summary>
    public static IHost BuildJobs(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        AddFeatures(builder.Services, builder.Configuration);
        builder.Services.AddJobServer();
        DeferStoreWarmUps(builder.Services);
        return builder.Build();
    }

    /// <summary>
    /// Data Protection's hosted service reads the key ring (in the store) synchronously while the host starts: with the
    /// database unreachable it would hold the start, and so Kestrel, for a connect timeout, and with it not migrated yet
    /// it would fail. It waits for the store like the job server. Done last, after every registration: framework calls
    /// (AddAuthentication among them) re-add it when they find it missing.
    /// </summary>
    private static void DeferStoreWarmUps(IServiceCollection services) =>
        services.DeferUntilStoreReady("Data Protection's key ring warm-up",
            type => type.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");

    /// <summary>The shared plumbing and every feature, in every role.</summary>
    private static void AddFeatures(IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<DatabaseMigrationService>(); // first: hosted services start in registration order
        services.AddServiceDefaults(configuration);
        services.AddIngestion();
        services.AddEngine();
        services.AddAnalytics();
        services.AddStatusPage();
    }

    /// <summary>Every feature's endpoints.</summary>
    private static void MapFeatures(IEndpointRouteBuilder app)
    {
        app.MapIngestionApi();
        app.MapEngineApi();
        app.MapAnalyticsApi();
        app.MapStatusPageApi();
    }
}
