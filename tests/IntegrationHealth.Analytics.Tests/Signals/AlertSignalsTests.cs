using IntegrationHealth.Analytics.Alerts;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Tests.Signals;

/// <summary>The evaluation's pure step: alert data in buckets to alert signals.</summary>
public sealed class AlertSignalsTests
{
    private static readonly DateTime Now = new(2026, 11, 30, 12, 0, 30, DateTimeKind.Utc);
    private static readonly AlertOptions Options = new();

    private static AlertData Data(Dictionary<int, List<CountBucket>>? providers = null, List<ConnectionSeries>? connections = null,
        Dictionary<int, List<RefreshOutcome>>? refreshes = null, List<AccountProviderHour>? anomalies = null,
        Dictionary<int, List<CountBucket>>? webhooks = null) =>
        new(providers ?? [], webhooks ?? [], connections ?? [], refreshes ?? [], anomalies ?? [], Now.AddDays(-60));

    private static List<CountBucket> Minutes(int count, long total, long bad) =>
        [.. Enumerable.Range(1, count).Select(i => new CountBucket(AlertInputs.FloorMinute(Now).AddMinutes(-i), total, bad))];

    [Fact]
    public void Signals_HealthyProvider_GivesNone() =>
        Assert.Empty(AlertEvaluator.Signals(Data(providers: new() { [1] = Minutes(600, 1000, 0) }), Now, Options));

    [Fact]
    public void Signals_ConnectionBurning_IsAConnectionBurnRateAlertWithItsAccount()
    {
        var series = new ConnectionSeries(77, 5, 2, Minutes(60, 10, 1)); // 10% errors: 100x
        var signal = Assert.Single(AlertEvaluator.Signals(Data(connections: [series]), Now, Options));
        Assert.Equal(("burn-rate:page:connection:77", AlertKind.BurnRate, 5, 2, 77), (signal.DedupKey, signal.Kind, signal.AccountId, signal.ProviderId, signal.ConnectionId));
    }

    [Fact]
    public void Signals_SixAccountsFailingRefresh_IsARollbackTrigger()
    {
        var refreshes = Enumerable.Range(1, 6).Select(a => new RefreshOutcome(a, Now.AddMinutes(-2), false)).ToList();
        var signal = Assert.Single(AlertEvaluator.Signals(Data(refreshes: new() { [3] = refreshes }), Now, Options));
        Assert.Equal("rollback:refresh-failures:provider:3", signal.DedupKey);
    }

    [Fact]
    public void Signals_AnomalousHour_IsAnAnomalyForThatAccountAndProvider()
    {
        var hour = AlertInputs.FloorHour(Now).AddHours(-1);
        var history = Enumerable.Range(1, 4).ToDictionary(w => hour.AddDays(-7 * w), w => 0.01);
        var candidate = new AccountProviderHour(9, 4, new CountBucket(hour, 200, 60), history); // 30% against 1%
        var signal = Assert.Single(AlertEvaluator.Signals(Data(anomalies: [candidate]), Now, Options));
        Assert.Equal(("anomaly:account:9:provider:4", AlertKind.Anomaly), (signal.DedupKey, signal.Kind));
    }
}
