using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Data.Telemetry;

/// <summary>Checks and orders shared by the bulk writers.</summary>
internal static class TelemetryBatch
{
    /// <summary>Rejects a null batch or null events with a clear message, before any database work.</summary>
    public static void Validate(IReadOnlyList<TelemetryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is null)
            {
                throw new ArgumentException($"Telemetry batch item {i} is null.", nameof(events));
            }
        }
    }

    /// <summary>UTC form of an instant: local times are converted, unspecified kinds are taken as UTC.</summary>
    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
