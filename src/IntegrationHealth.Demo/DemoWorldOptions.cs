namespace IntegrationHealth.Demo;

/// <summary>Shape of the simulated customer base. The same options (seed and <see cref="EndUtc"/> included) always yield
/// the same world, down to event ids.</summary>
public sealed record DemoWorldOptions
{
    public int Seed { get; init; } = 42;
    public int Accounts { get; init; } = 500;
    /// <summary>Last simulated instant (UTC); the window ends here. Defaults to the start of the current UTC hour.</summary>
    public DateTime? EndUtc { get; init; }
    /// <summary>Tenant slug the world is created under.</summary>
    public string TenantKey { get; init; } = "demo";
    /// <summary>Length of the simulated telemetry window in days (1–365).</summary>
    public int Days { get; init; } = 60;
    /// <summary>Multiplier on per-connection traffic (requests, syncs, webhooks); 1 is the default demo volume.</summary>
    public double EventDensity { get; init; } = 1.0;
    /// <summary>Events per <c>ITelemetryWriter</c> batch when seeding.</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>The window's end: <see cref="EndUtc"/> as UTC, or the start of the current UTC hour.</summary>
    public DateTime ResolveEnd(TimeProvider? clock = null)
    {
        if (EndUtc is { } end)
        {
            return end.Kind switch
            {
                DateTimeKind.Utc => end,
                DateTimeKind.Local => end.ToUniversalTime(),
                _ => DateTime.SpecifyKind(end, DateTimeKind.Utc),
            };
        }
        var now = (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a clear message when an option is out of range.</summary>
    public void Validate()
    {
        if (Accounts is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"Accounts must be between 1 and 1,000,000 (was {Accounts}).");
        }
        if (Days is < 1 or > 365)
        {
            throw new ArgumentException($"Days must be between 1 and 365 (was {Days}).");
        }
        if (!double.IsFinite(EventDensity) || EventDensity < 0 || EventDensity > 100)
        {
            throw new ArgumentException($"EventDensity must be between 0 and 100 (was {EventDensity}).");
        }
        if (BatchSize is < 1 or > 100_000)
        {
            throw new ArgumentException($"BatchSize must be between 1 and 100,000 (was {BatchSize}).");
        }
        if (string.IsNullOrWhiteSpace(TenantKey))
        {
            throw new ArgumentException("TenantKey must not be empty.");
        }
        if (EndUtc is { } end && (end.Year < 2001 || end.Year > 9000))
        {
            throw new ArgumentException($"EndUtc {end:O} is out of range.");
        }
    }
}

/// <summary>Progress of a long job: a stage name and how far it is.</summary>
public readonly record struct DemoProgress(string Stage, long Done, long Total);
