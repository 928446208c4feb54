namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// Faults at a small, steady rate, as healthy production APIs still show them: a share of API calls answered with the
/// double's own rate-limit answer (<see cref="ProviderDouble.RateLimitedFault"/>, headers included) and a smaller
/// share with a server error. Token endpoints are spared: a failed refresh is a different story (cool-downs,
/// re-auth), told by revoking a grant instead. Seeded, so a run's faults can be replayed.
/// </summary>
public sealed class RandomFaults(ProviderDouble target, double rateLimitedShare, double serverErrorShare, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();

    /// <summary>A <see cref="ProviderDouble.FaultPicker"/> drawing from this distribution.</summary>
    public Fault? Pick(HttpRequest request)
    {
        if (ProviderDouble.IsTokenRequest(request)) return null;
        double draw;
        lock (_lock) draw = _random.NextDouble();
        if (draw < rateLimitedShare) return target.RateLimitedFault();
        return draw < rateLimitedShare + serverErrorShare ? target.ServerErrorFault() : null;
    }

    /// <summary>Sets <paramref name="target"/>'s fault picker to a new distribution.</summary>
    public static void Apply(ProviderDouble target, double rateLimitedShare, double serverErrorShare, int seed) =>
        target.FaultPicker = new RandomFaults(target, rateLimitedShare, serverErrorShare, seed).Pick;
}
