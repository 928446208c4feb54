using IntegrationHealth.Analytics.Alerts;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Tests.Signals;

public sealed class AlertBookTests
{
    private static readonly DateTime T0 = new(2026, 11, 10, 12, 0, 0, DateTimeKind.Utc);
    private static readonly HashSet<AlertKind> All = [AlertKind.Anomaly, AlertKind.BurnRate, AlertKind.RollbackTrigger];
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(15);

    private static AlertSignal Signal(string key = "burn-rate:page:provider:1", double value = 20) =>
        new(key, AlertKind.BurnRate, AlertSeverity.Page, "Burning", $"burn {value}", value, 14.4, ProviderId: 1);

    [Fact]
    public void Apply_NewProblem_OpensOneAlert()
    {
        var changes = AlertBook.Apply(7, [], [Signal(), Signal(value: 25)], All, T0, Quiet);
        var opened = Assert.Single(changes);
        Assert.Equal(AlertChangeKind.Opened, opened.Kind);
        Assert.Equal(25, opened.Alert.Value); // the worst of the duplicates
        Assert.Equal(AlertState.Open, opened.Alert.State);
        Assert.Equal(7, opened.Alert.TenantId);
    }

    [Fact]
    public void Apply_SameProblemAgain_UpdatesInsteadOfDuplicating()
    {
        var alert = AlertBook.Apply(7, [], [Signal()], All, T0, Quiet)[0].Alert;
        var changes = AlertBook.Apply(7, [alert], [Signal(value: 30)], All, T0.AddMinutes(5), Quiet);
        Assert.Equal(AlertChangeKind.Updated, Assert.Single(changes).Kind);
        Assert.Equal(2, alert.Occurrences);
        Assert.Equal(T0.AddMinutes(5), alert.LastSeenAt);
        Assert.Equal(T0, alert.OpenedAt);
        Assert.Equal(30, alert.Value);
    }

    [Fact]
    public void Apply_AcknowledgedAlertFiringAgain_StaysAcknowledged()
    {
        var alert = AlertBook.Apply(7, [], [Signal()], All, T0, Quiet)[0].Alert;
        Assert.Equal(AlertBook.AcknowledgeOutcome.Acknowledged, AlertBook.Acknowledge(alert, T0.AddMinutes(2), "oncall"));
        AlertBook.Apply(7, [alert], [Signal()], All, T0.AddMinutes(5), Quiet);
        Assert.Equal(AlertState.Acknowledged, alert.State);
        Assert.Equal(T0.AddMinutes(2), alert.AcknowledgedAt);
    }

    [Fact]
    public void Apply_QuietForTheQuietPeriod_Resolves_NotBefore()
    {
        var alert = AlertBook.Apply(7, [], [Signal()], All, T0, Quiet)[0].Alert;
        Assert.Empty(AlertBook.Apply(7, [alert], [], All, T0.AddMinutes(14), Quiet));
        var resolved = Assert.Single(AlertBook.Apply(7, [alert], [], All, T0.AddMinutes(15), Quiet));
        Assert.Equal(AlertChangeKind.Resolved, resolved.Kind);
        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Equal(T0.AddMinutes(15), alert.ResolvedAt);
    }

    [Fact]
    public void Apply_KindNotEvaluated_IsNotResolved()
    {
        var alert = AlertBook.Apply(7, [], [Signal()], All, T0, Quiet)[0].Alert;
        Assert.Empty(AlertBook.Apply(7, [alert], [], new HashSet<AlertKind> { AlertKind.Anomaly }, T0.AddHours(1), Quiet));
        Assert.Equal(AlertState.Open, alert.State);
    }

    [Fact]
    public void Apply_FiresAfterResolving_OpensANewAlert()
    {
        var first = AlertBook.Apply(7, [], [Signal()], All, T0, Quiet)[0].Alert;
        AlertBook.Apply(7, [first], [], All, T0.AddHours(1), Quiet);
        var again = Assert.Single(AlertBook.Apply(7, [first], [Signal()], All, T0.AddHours(2), Quiet));
        Assert.Equal(AlertChangeKind.Opened, again.Kind);
        Assert.NotSame(first, again.Alert);
    }

    [Fact]
    public void Acknowledge_Twice_KeepsTheFirst_AndResolvedCannotBeAcknowledged()
    {
        var alert = AlertBook.Apply(7, [], [Signal()], All, T0, Quiet)[0].Alert;
        AlertBook.Acknowledge(alert, T0.AddMinutes(1), "first");
        Assert.Equal(AlertBook.AcknowledgeOutcome.AlreadyAcknowledged, AlertBook.Acknowledge(alert, T0.AddMinutes(2), "second"));
        Assert.Equal("first", alert.AcknowledgedBy);
        alert.State = AlertState.Resolved;
        Assert.Equal(AlertBook.AcknowledgeOutcome.AlreadyResolved, AlertBook.Acknowledge(alert, T0.AddMinutes(3), "third"));
    }
}
