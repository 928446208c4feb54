using System.Net;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage;
using IntegrationHealth.Api.Hosting;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Web.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Api.Tests.Hosting;

/// <summary>
/// The composition contracts the features build on: every options class is validated when the host starts, recurring
/// jobs come from registrations (no central list), and readiness runs every check a feature tags "ready".
/// </summary>
public sealed class CompositionTests
{
    [Theory]
    [InlineData("Database:Provider", "oracle", "'oracle'")]
    [InlineData("Database:PostgresWriteMode", "bulk", "Database:PostgresWriteMode")]
    [InlineData("Hangfire:WorkerCount", "0", "Hangfire:WorkerCount")]
    [InlineData("Hangfire:Schema", "drop table;", "Hangfire:Schema")]
    [InlineData("Hangfire:DashboardSignInLifetime", "00:00:01", "Hangfire:DashboardSignInLifetime")]
    [InlineData("Auth:KeyCacheDuration", "01:00:00", "Auth:KeyCacheDuration")]
    [InlineData("Ingestion:MaxBatchEvents", "0", "Ingestion")]
    [InlineData("Ingestion:MaxFutureSkew", "-00:01:00", "Ingestion:MaxFutureSkew")]
    [InlineData("Engine:MaxPages", "0", "Engine:MaxPages")]
    [InlineData("Engine:OriginOverrides:hubspot", "not a url", "Engine:OriginOverrides")]
    public async Task BuildWeb_InvalidSetting_FailsAtStartNamingTheSetting(string key, string value, string named)
    {
        await using var database = TestDatabase.Sqlite();

        // ValidateOnStart (OptionsValidationException), or the binder for a value of the wrong type
        // (InvalidOperationException): either way building or starting the host fails, not a request, and the CLI prints
        // the message. (Mapping the Hangfire dashboard resolves the job storage, so some settings fail while building.)
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = ApiHost.BuildWeb([], builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Logging.ClearProviders();
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Database:Provider"] = "sqlite",
                    ["Database:ConnectionString"] = database.ConnectionString,
                    ["Roles"] = "Web",
                    [key] = value,
                });
            });
            await app.StartAsync();
        });
        Assert.True(error is OptionsValidationException or InvalidOperationException, error.GetType().Name);

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task Readyz_FeatureCheckTaggedReadyFails_Answers503NamingIt()
    {
        await using var database = TestDatabase.Sqlite();
        await using var app = ApiHost.BuildWeb([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "sqlite", ["Database:ConnectionString"] = database.ConnectionString, ["Roles"] = "Web",
            });
            builder.Services.AddHealthChecks()
                .AddCheck("provider-doubles", () => HealthCheckResult.Unhealthy("the doubles are down"), tags: [Web.Health.HealthApi.ReadyTag])
                .AddCheck("not-for-readiness", () => HealthCheckResult.Unhealthy("ignored"));
        });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await client.GetAsync("/readyz");

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("provider-doubles (the doubles are down)", detail);
        Assert.DoesNotContain("store", detail); // the migrated store is ready
        Assert.DoesNotContain("not-for-readiness", detail);
        Assert.Equal("{\"status\":\"ok\"}", await client.GetStringAsync("/healthz"));
        await app.StopAsync();
    }

    /// <summary>Hangfire logs through a process-wide provider that an earlier test host may have disposed.</summary>
    private static InMemoryStorage NewStorage()
    {
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new SilentLogProvider());
        return new InMemoryStorage();
    }

    [Fact]
    public async Task MigrateAndLog_SecondRun_LogsUpToDateInsteadOfMigrated()
    {
        // Regression: demo migrated, seeded, then the start-up migration logged "Database migrated" after the seeding.
        await using var database = TestDatabase.Sqlite();
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger<DatabaseMigrationService>();

        await DatabaseMigrationService.MigrateAndLogAsync(database.Services, logger, CancellationToken.None);
        await DatabaseMigrationService.MigrateAndLogAsync(database.Services, logger, CancellationToken.None);

        var records = logger.Collector.GetSnapshot();
        Assert.Equal([3001, 3003], records.Select(r => r.Id.Id));
        Assert.Contains("migrations applied", records[0].Message);
    }

    [Fact]
    public async Task RecurringJobsRegistrar_AddsRegisteredJobsAndRemovesOnesNoFeatureRegisters()
    {
        var storage = NewStorage();
        var manager = new RecurringJobManager(storage);
        manager.AddOrUpdate<ProbeJob>("job-deleted-from-the-code", j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        var services = new ServiceCollection()
            .AddRecurringJob<ProbeJob>("probe-hourly", "0 * * * *")
            .AddRecurringJob<OtherProbeJob>("probe-daily", "0 4 * * *")
            .BuildServiceProvider();
        var registrar = new RecurringJobsRegistrar(
            services.GetServices<RecurringJobRegistration>(), manager, storage, NullLogger<RecurringJobsRegistrar>.Instance);

        await registrar.StartAsync(CancellationToken.None);
        await registrar.StartAsync(CancellationToken.None); // a second job process starting: nothing changes

        using var connection = storage.GetConnection();
        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id);
        Assert.Equal(["probe-daily", "probe-hourly"], jobs.Keys.Order());
        Assert.Equal("0 4 * * *", jobs["probe-daily"].Cron);
        Assert.Equal(typeof(OtherProbeJob), jobs["probe-daily"].Job.Type);
        Assert.NotNull(services.GetRequiredService<ProbeJob>()); // resolvable wherever jobs run
    }

    [Fact]
    public async Task RecurringJobsRegistrar_SameIdTwice_FailsNamingIt()
    {
        var storage = NewStorage();
        var services = new ServiceCollection()
            .AddRecurringJob<ProbeJob>("probe", "0 * * * *")
            .AddRecurringJob<OtherProbeJob>("probe", "0 4 * * *")
            .BuildServiceProvider();
        var registrar = new RecurringJobsRegistrar(
            services.GetServices<RecurringJobRegistration>(), new RecurringJobManager(storage), storage, NullLogger<RecurringJobsRegistrar>.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => registrar.StartAsync(CancellationToken.None));

        Assert.Contains("'probe'", error.Message);
    }

    [Theory]
    [InlineData("Probe")]
    [InlineData("probe job")]
    [InlineData("")]
    public void AddRecurringJob_IdNotKebabCase_Throws(string id) =>
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddRecurringJob<ProbeJob>(id, "0 * * * *"));

    private sealed class SilentLogProvider : Hangfire.Logging.ILogProvider
    {
        public Hangfire.Logging.ILog GetLogger(string name) => new SilentLog();

        private sealed class SilentLog : Hangfire.Logging.ILog
        {
            public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
        }
    }

    public sealed class ProbeJob : IRecurringJob
    {
        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public sealed class OtherProbeJob : IRecurringJob
    {
        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
