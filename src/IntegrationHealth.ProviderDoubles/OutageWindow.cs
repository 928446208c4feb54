namespace IntegrationHealth.ProviderDoubles;

/// <summary>
/// An outage of the provider for a while, as a status page should show it: every API call from <c>from</c> until
/// <c>until</c> (by <see cref="TimeProvider"/>) is answered with the double's own server error; before and after, the
/// fault picker the double had (random faults, or none) decides. Token endpoints are spared, as by
/// <see cref="RandomFaults"/>: the outage is of the API, not of the credentials.
/// </summary>
public sealed class OutageWindow(ProviderDouble target, DateTimeOffset from, DateTimeOffset until, TimeProvider time,
    Func<HttpRequest, Fault?>? otherwise)
{
    /// <summary>Whether <paramref name="instant"/> is inside the window.</summary>
    public bool Covers(DateTimeOffset instant) => instant >= from && instant < until;

    /// <summary>A <see cref="ProviderDouble.FaultPicker"/>: the server error inside the window, the previous picker outside.</summary>
    public Fault? Pick(HttpRequest request)
    {
        if (!ProviderDouble.IsTokenRequest(request) && Covers(time.GetUtcNow())) return target.ServerErrorFault();
        return otherwise?.Invoke(request);
    }

    /// <summary>Puts an outage window in front of <paramref name="target"/>'s current fault picker.</summary>
    public static OutageWindow Apply(ProviderDouble target, DateTimeOffset from, DateTimeOffset until, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(time);
        if (until <= from) throw new ArgumentException("An outage window must end after it starts.", nameof(until));
        var window = new OutageWindow(target, from, until, time, target.FaultPicker);
        target.FaultPicker = window.Pick;
        return window;
    }
}
