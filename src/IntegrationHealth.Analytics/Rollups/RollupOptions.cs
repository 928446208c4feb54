using System.ComponentModel.DataAnnotations;

namespace IntegrationHealth.Analytics.Rollups;

/// <summary>Options of the rollup job (section <c>Analytics:Rollups</c>).</summary>
public sealed class RollupOptions
{
    public const string Section = "Analytics:Rollups";

    /// <summary>How late an event may arrive and still be folded in: one that happened longer ago than this when it
    /// is read is skipped (and counted in the log). Default 48 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Lateness { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How long a read position waits before it is trusted: on PostgreSQL an event's sequence number is taken
    /// before its transaction commits, so a batch can become visible after a higher number was read. Each run re-reads
    /// from the last position older than this (re-reading is harmless: buckets are recomputed, not added to). Default
    /// 10 minutes; longer than any telemetry write transaction.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SettleWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Events read per chunk (their dirty buckets are recomputed after each chunk). Default 50,000.</summary>
    [Range(100, 1_000_000)]
    public int ChunkSize { get; set; } = 50_000;
}
