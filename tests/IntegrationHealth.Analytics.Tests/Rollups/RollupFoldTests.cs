using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Tests.Rollups;

public sealed class RollupFoldTests
{
    private static readonly DateTime T0 = new(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc);

    private static TelemetryEvent Event(TelemetryKind kind, bool ok = true, ErrorClass error = ErrorClass.None, int? latency = null,
        short? status = null, int? records = null, int minute = 0, int? remaining = null, int? limit = null) => new()
    {
        Id = Guid.NewGuid(), TenantId = 1, AccountId = 1, ProviderId = 1, ConnectionId = 1, Kind = kind,
        Outcome = ok ? TelemetryOutcome.Success : TelemetryOutcome.Failure, ErrorClass = error, LatencyMs = latency, HttpStatus = status,
        Records = records, OccurredAt = T0.AddMinutes(minute), RateLimitRemaining = remaining, RateLimitLimit = limit, Resource = "contacts",
    };

    private static List<TelemetryEvent> Mix() =>
    [
        Event(TelemetryKind.Request, latency: 100, minute: 1),
        Event(TelemetryKind.Request, latency: 200, minute: 2, remaining: 50, limit: 100),
        Event(TelemetryKind.Request, ok: false, error: ErrorClass.Timeout, latency: 30_000, minute: 3),
        Event(TelemetryKind.Request, ok: false, error: ErrorClass.RateLimited, status: 429, minute: 4, remaining: 0, limit: 100),
        Event(TelemetryKind.Request, ok: false, error: ErrorClass.Client4xx, status: 403, minute: 5),
        Event(TelemetryKind.TokenRefresh, ok: false, error: ErrorClass.InvalidGrant, status: 400, minute: 6),
        Event(TelemetryKind.TokenRefresh, minute: 7),
        Event(TelemetryKind.SyncRun, records: 40, minute: 8),
        Event(TelemetryKind.SyncRun, records: 0, minute: 9),
        Event(TelemetryKind.SyncRun, ok: false, error: ErrorClass.Server5xx, minute: 10),
        Event(TelemetryKind.WebhookDelivery, minute: 11),
        Event(TelemetryKind.WebhookDelivery, ok: false, error: ErrorClass.Network, minute: 12),
        Event(TelemetryKind.MappingFailure, ok: false, error: ErrorClass.Mapping, minute: 13),
        Event(TelemetryKind.Usage, minute: 14),
    ];

    [Fact]
    public void Fold_OneOfEachKind_CountsEachMeasure()
    {
        var rows = RollupFold.Fold(Mix(), e => e.Resource!, _ => new ConnectionRollup());
        var m = Assert.Single(rows).Value;

        Assert.Equal((5, 3, 1, 1, 1), (m.Requests, m.Errors, m.Timeouts, m.RateLimited, m.ClientErrors));
        Assert.Equal((1, 1), (m.Forbidden, m.CredentialFailures));
        Assert.Equal((3, 30_300L), (m.LatencyCount, m.LatencySumMs));
        Assert.Equal((1, 1), (m.RefreshSuccesses, m.RefreshFailures));
        Assert.Equal((3, 1, 40L, 1), (m.SyncRuns, m.SyncFailures, m.SyncRecords, m.EmptySyncs));
        Assert.Equal(T0.AddMinutes(8), m.LastSyncWithRecordsAt);
        Assert.Equal((1, 1, 1, 1), (m.WebhookSuccesses, m.WebhookFailures, m.MappingFailures, m.UsageEvents));
        Assert.Equal(0.0, m.MinRateLimitHeadroom);
        Assert.Equal(T0.AddMinutes(11), m.LastSuccessAt);
        Assert.Equal(T0.AddMinutes(12), m.LastFailureAt);
        Assert.Equal(0.6, RollupRates.ErrorRate(m), 9);
        Assert.Equal(0.5, RollupRates.ErrorRateExcludingRateLimits(m), 9); // 2 of the 4 non-429 requests
        Assert.InRange(RollupRates.LatencyPercentile(m, 0.5)!.Value, 181, 216); // the 200 ms bucket
    }

    [Fact]
    public void MergeAll_OfPartsFoldedSeparately_EqualsFoldOfTheWhole()
    {
        var events = Mix();
        var whole = RollupFold.Fold(events, _ => 0, _ => new ConnectionRollup())[0];
        var parts = events.Chunk(4).Select(c => RollupFold.Fold(c, _ => 0, _ => new ConnectionRollup())[0]).ToList();

        var merged = RollupFold.MergeAll(parts, _ => 0, _ => new ConnectionRollup())[0];

        Assert.Equivalent(whole, merged, strict: true);
    }

    [Fact]
    public void Floor_CutsToTheBucketStartInUtc()
    {
        var t = new DateTime(2026, 11, 1, 10, 59, 59, 999, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc), RollupFold.Floor(t, TimeSpan.FromHours(1)));
        Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), RollupFold.Floor(t, TimeSpan.FromDays(1)));
        Assert.Equal(DateTimeKind.Utc, RollupFold.Floor(t, TimeSpan.FromMinutes(1)).Kind);
    }
}
