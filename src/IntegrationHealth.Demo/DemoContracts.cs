namespace IntegrationHealth.Demo;

// CONTRACT STUB written by the lead: the demo simulator's author replaces this file with real types of the
// same names and signatures (splitting it into files as they see fit). The API's CLI verbs call these.

/// <summary>Shape of the simulated customer base. The same seed always yields the same world.</summary>
public sealed record DemoWorldOptions
{
    public int Seed { get; init; } = 42;
    public int Accounts { get; init; } = 500;
    /// <summary>Last simulated instant (UTC); the window ends here. Defaults to the start of the current UTC hour.</summary>
    public DateTime? EndUtc { get; init; }
    /// <summary>Tenant slug the world is created under.</summary>
    public string TenantKey { get; init; } = "demo";
}

/// <summary>Progress of a long job: a stage name and how far it is.</summary>
public readonly record struct DemoProgress(string Stage, long Done, long Total);

/// <summary>Options of <c>simulate</c>: live traffic sent to a running instance over HTTP.</summary>
public sealed record SimulationOptions
{
    public required Uri Target { get; init; }
    public required string ApiKey { get; init; }
    /// <summary>Events per second.</summary>
    public double Rate { get; init; } = 1000;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    public int BatchSize { get; init; } = 1000;
    public int Seed { get; init; } = 42;
}

/// <summary>What a simulation run did.</summary>
public sealed record SimulationReport(long EventsSent, long Accepted, long Duplicates, long FailedRequests, TimeSpan Elapsed);

/// <summary>Creates the demo world in the store.</summary>
public static class DemoSeeder
{
    /// <summary>Seeds the world (tenant, accounts, connections, telemetry, tickets, NPS, churn, ground truth) unless the
    /// tenant already has accounts. Resolves <c>IDbContextFactory&lt;IntegrationHealthDbContext&gt;</c> and
    /// <c>ITelemetryWriter</c> from <paramref name="services"/>. Returns true when it seeded.</summary>
    public static Task<bool> SeedIfEmptyAsync(IServiceProvider services, DemoWorldOptions options,
        IProgress<DemoProgress>? progress = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}

/// <summary>Sends demo-like live traffic to a running instance over HTTP (load tests).</summary>
public static class TrafficSimulator
{
    /// <summary>Upserts its accounts and connections through the API, then posts event batches at the given rate.</summary>
    public static Task<SimulationReport> RunAsync(SimulationOptions options, IProgress<DemoProgress>? progress = null,
        CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
