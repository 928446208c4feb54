namespace IntegrationHealth.Demo;

/// <summary>Options of <c>simulate</c>: live traffic sent to a running instance over HTTP.</summary>
public sealed record SimulationOptions
{
    public required Uri Target { get; init; }
    public required string ApiKey { get; init; }
    /// <summary>Events per second.</summary>
    public double Rate { get; init; } = 1000;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Events per request; at rates below it, batches hold about one second of events instead.</summary>
    public int BatchSize { get; init; } = 1000;
    public int Seed { get; init; } = 42;
    /// <summary>Simulated accounts upserted (external ids <c>sim-0001</c>…), each with 1–6 connections.</summary>
    public int Accounts { get; init; } = 50;
    /// <summary>Concurrent HTTP workers posting batches.</summary>
    public int Workers { get; init; } = 4;
    /// <summary>How often progress is reported.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ArgumentException"/> with a clear message when an option is out of range.</summary>
    public void Validate()
    {
        if (!Target.IsAbsoluteUri || (Target.Scheme != Uri.UriSchemeHttp && Target.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Target must be an absolute http(s) URL (was '{Target}').");
        }
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ArgumentException("ApiKey must not be empty.");
        }
        if (!double.IsFinite(Rate) || Rate <= 0 || Rate > 10_000_000)
        {
            throw new ArgumentException($"Rate must be a positive number of events per second (was {Rate}).");
        }
        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromDays(7))
        {
            throw new ArgumentException($"Duration must be positive and at most 7 days (was {Duration}).");
        }
        if (BatchSize is < 1 or > 10_000)
        {
            throw new ArgumentException($"BatchSize must be between 1 and 10,000 (was {BatchSize}).");
        }
        if (Accounts is < 1 or > 100_000)
        {
            throw new ArgumentException($"Accounts must be between 1 and 100,000 (was {Accounts}).");
        }
        if (Workers is < 1 or > 64)
        {
            throw new ArgumentException($"Workers must be between 1 and 64 (was {Workers}).");
        }
    }
}

/// <summary>What a simulation run did.</summary>
public sealed record SimulationReport(long EventsSent, long Accepted, long Duplicates, long FailedRequests, TimeSpan Elapsed)
{
    /// <summary>The first failed request's status and problem text, when any failed (for diagnosis).</summary>
    public string? FirstError { get; init; }

    /// <summary>Accepted events per second over the run.</summary>
    public double AcceptedPerSecond => Elapsed > TimeSpan.Zero ? Accepted / Elapsed.TotalSeconds : 0;
}
