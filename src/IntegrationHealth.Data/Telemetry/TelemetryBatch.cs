using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Sqlite;

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

    /// <summary>The batch ordered by its key, (tenant, id), ids in RFC 9562 byte order (the order of PostgreSQL's
    /// <c>uuid</c> and of the SQLite key, see <see cref="SqliteGuidBytesConverter"/>); events with equal keys keep their
    /// batch order, so the first occurrence comes first.</summary>
    /// <remarks>Writing in key order walks each key index once, and two writers whose batches share keys take their key
    /// locks in the same order, so they can wait for each other but never deadlock.</remarks>
    public static TelemetryEvent[] SortByKey(IReadOnlyList<TelemetryEvent> events)
    {
        var keys = new (int Tenant, ulong High, ulong Low, int Index)[events.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var (high, low) = SqliteGuidBytesConverter.SortKey(events[i].Id);
            keys[i] = (events[i].TenantId, high, low, i);
        }

        Array.Sort(keys);
        var sorted = new TelemetryEvent[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            sorted[i] = events[keys[i].Index];
        }

        return sorted;
    }

    /// <summary>The first event of each key of a <see cref="SortByKey"/>-sorted batch (the one a writer keeps).</summary>
    public static List<TelemetryEvent> FirstOccurrences(TelemetryEvent[] sorted)
    {
        var first = new List<TelemetryEvent>(sorted.Length);
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || !SameKey(sorted[i], sorted[i - 1]))
            {
                first.Add(sorted[i]);
            }
        }

        return first;
    }

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> have the same key (tenant and id), i.e. the later
    /// of the two is a duplicate.</summary>
    public static bool SameKey(TelemetryEvent a, TelemetryEvent b) => a.Id == b.Id && a.TenantId == b.TenantId;
}
