using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Rollups;

/// <summary>
/// The pure fold of telemetry into rollup measures, and the merge of measures into wider windows. Every measure is a
/// sum, a min, a max or a histogram, so <c>Fold(a ∪ b) = Merge(Fold(a), Fold(b))</c>: that is what makes hourly buckets
/// combine into days, and recomputing a bucket from its events give the same row however often it runs.
/// </summary>
public static class RollupFold
{
    /// <summary>Adds one event to <paramref name="m"/>; <paramref name="latency"/> is the bucket's working histogram.</summary>
    public static void Add(RollupMeasures m, LatencyHistogram latency, TelemetryEvent e)
    {
        var failed = e.Outcome == TelemetryOutcome.Failure;
        switch (e.Kind)
        {
            case TelemetryKind.Request:
                m.Requests++;
                if (e.LatencyMs is { } ms)
                {
                    m.LatencyCount++;
                    m.LatencySumMs += ms;
                    latency.Add(ms);
                }

                if (failed)
                {
                    m.Errors++;
                    switch (e.ErrorClass)
                    {
                        case ErrorClass.Timeout: m.Timeouts++; break;
                        case ErrorClass.Client4xx: m.ClientErrors++; break;
                        case ErrorClass.Server5xx: m.ServerErrors++; break;
                        case ErrorClass.RateLimited: m.RateLimited++; break;
                        case ErrorClass.Network: m.NetworkErrors++; break;
                        case ErrorClass.InvalidGrant: m.AuthErrors++; break;
                        default: m.OtherErrors++; break;
                    }
                }

                break;
            case TelemetryKind.TokenRefresh:
                if (failed) m.RefreshFailures++;
                else m.RefreshSuccesses++;
                break;
            case TelemetryKind.SyncRun:
                m.SyncRuns++;
                if (failed)
                {
                    m.SyncFailures++;
                }
                else
                {
                    var records = e.Records ?? 0;
                    m.SyncRecords += records;
                    if (records == 0) m.EmptySyncs++;
                    else m.LastSyncWithRecordsAt = Later(m.LastSyncWithRecordsAt, e.OccurredAt);
                }

                break;
            case TelemetryKind.WebhookDelivery:
                if (failed) m.WebhookFailures++;
                else m.WebhookSuccesses++;
                break;
            case TelemetryKind.MappingFailure:
                m.MappingFailures++;
                break;
            case TelemetryKind.Usage:
                m.UsageEvents++;
                break;
        }

        if (failed)
        {
            if (e.ErrorClass == ErrorClass.InvalidGrant || e.HttpStatus == 401) m.CredentialFailures++;
            if (e.HttpStatus == 403) m.Forbidden++;
        }

        if (e.RateLimitRemaining is { } remaining && e.RateLimitLimit is > 0 and var limit)
        {
            var headroom = Math.Clamp((double)remaining / limit, 0, 1);
            m.MinRateLimitHeadroom = m.MinRateLimitHeadroom is { } h ? Math.Min(h, headroom) : headroom;
        }

        // Usage and mapping failures say nothing about whether the connection works.
        if (e.Kind is TelemetryKind.Request or TelemetryKind.TokenRefresh or TelemetryKind.SyncRun or TelemetryKind.WebhookDelivery)
        {
            if (failed) m.LastFailureAt = Later(m.LastFailureAt, e.OccurredAt);
            else m.LastSuccessAt = Later(m.LastSuccessAt, e.OccurredAt);
        }
    }

    /// <summary>Adds the measures of <paramref name="source"/> to <paramref name="target"/> (histograms bucket by bucket).</summary>
    public static void Merge(RollupMeasures target, LatencyHistogram targetLatency, RollupMeasures source)
    {
        target.Requests += source.Requests;
        target.Errors += source.Errors;
        target.Timeouts += source.Timeouts;
        target.ClientErrors += source.ClientErrors;
        target.ServerErrors += source.ServerErrors;
        target.RateLimited += source.RateLimited;
        target.NetworkErrors += source.NetworkErrors;
        target.AuthErrors += source.AuthErrors;
        target.OtherErrors += source.OtherErrors;
        target.CredentialFailures += source.CredentialFailures;
        target.Forbidden += source.Forbidden;
        target.LatencyCount += source.LatencyCount;
        target.LatencySumMs += source.LatencySumMs;
        targetLatency.Merge(source.LatencyHistogram);
        target.RefreshSuccesses += source.RefreshSuccesses;
        target.RefreshFailures += source.RefreshFailures;
        target.SyncRuns += source.SyncRuns;
        target.SyncFailures += source.SyncFailures;
        target.SyncRecords += source.SyncRecords;
        target.EmptySyncs += source.EmptySyncs;
        target.LastSyncWithRecordsAt = Later(target.LastSyncWithRecordsAt, source.LastSyncWithRecordsAt);
        target.WebhookSuccesses += source.WebhookSuccesses;
        target.WebhookFailures += source.WebhookFailures;
        target.MappingFailures += source.MappingFailures;
        target.UsageEvents += source.UsageEvents;
        target.MinRateLimitHeadroom = (target.MinRateLimitHeadroom, source.MinRateLimitHeadroom) switch
        {
            ({ } a, { } b) => Math.Min(a, b),
            (var a, var b) => a ?? b,
        };
        target.LastSuccessAt = Later(target.LastSuccessAt, source.LastSuccessAt);
        target.LastFailureAt = Later(target.LastFailureAt, source.LastFailureAt);
    }

    /// <summary>Folds <paramref name="events"/> into one measures object per key (the histogram encoded in place).</summary>
    public static Dictionary<TKey, TRow> Fold<TKey, TRow>(IEnumerable<TelemetryEvent> events, Func<TelemetryEvent, TKey> keyOf,
        Func<TKey, TRow> create) where TKey : notnull where TRow : RollupMeasures
    {
        var rows = new Dictionary<TKey, (TRow Row, LatencyHistogram Latency)>();
        foreach (var e in events)
        {
            var key = keyOf(e);
            if (!rows.TryGetValue(key, out var entry))
            {
                entry = (create(key), new LatencyHistogram());
                rows[key] = entry;
            }

            Add(entry.Row, entry.Latency, e);
        }

        return rows.ToDictionary(p => p.Key, p => Finish(p.Value.Row, p.Value.Latency));
    }

    /// <summary>Merges <paramref name="rows"/> into one row per key.</summary>
    public static Dictionary<TKey, TRow> MergeAll<TKey, TSource, TRow>(IEnumerable<TSource> rows, Func<TSource, TKey> keyOf,
        Func<TKey, TRow> create) where TKey : notnull where TSource : RollupMeasures where TRow : RollupMeasures
    {
        var merged = new Dictionary<TKey, (TRow Row, LatencyHistogram Latency)>();
        foreach (var source in rows)
        {
            var key = keyOf(source);
            if (!merged.TryGetValue(key, out var entry))
            {
                entry = (create(key), new LatencyHistogram());
                merged[key] = entry;
            }

            Merge(entry.Row, entry.Latency, source);
        }

        return merged.ToDictionary(p => p.Key, p => Finish(p.Value.Row, p.Value.Latency));
    }

    private static TRow Finish<TRow>(TRow row, LatencyHistogram latency) where TRow : RollupMeasures
    {
        row.LatencyHistogram = latency.Encode();
        return row;
    }

    private static DateTime? Later(DateTime? a, DateTime? b) => (a, b) switch
    {
        ({ } x, { } y) => x >= y ? x : y,
        _ => a ?? b,
    };

    /// <summary>The UTC start of <paramref name="t"/>'s bucket of width <paramref name="width"/>.</summary>
    public static DateTime Floor(DateTime t, TimeSpan width) =>
        new(t.Ticks - t.Ticks % width.Ticks, DateTimeKind.Utc);
}

/// <summary>Rates and percentiles read from merged measures.</summary>
public static class RollupRates
{
    /// <summary>Failed requests per request (0 when none).</summary>
    public static double ErrorRate(RollupMeasures m) => m.Requests == 0 ? 0 : (double)m.Errors / m.Requests;

    /// <summary>Failed requests per request, not counting rate-limit answers (a burst that recovers is noise).</summary>
    public static double ErrorRateExcludingRateLimits(RollupMeasures m) =>
        m.Requests - m.RateLimited <= 0 ? 0 : (double)(m.Errors - m.RateLimited) / (m.Requests - m.RateLimited);

    public static double? LatencyPercentile(RollupMeasures m, double q) => LatencyHistogram.Decode(m.LatencyHistogram).Quantile(q);
}
