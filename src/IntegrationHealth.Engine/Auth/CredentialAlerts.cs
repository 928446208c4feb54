using System.Collections.Concurrent;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Web.Http;
using IntegrationHealth.Web.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Auth;

/// <summary>
/// Raises the alert a revoked connection deserves the moment the engine learns of it (the token endpoint's
/// <c>invalid_grant</c>, or the provider's own "revoked" answer), instead of waiting for analytics to find the failures
/// in the next rollups, and resolves it when the account reconnects. The engine writes the store's <see cref="Alert"/>
/// rows directly (<see cref="AlertKind.CredentialsRevoked"/>, one unresolved alert per connection): analytics sits
/// above the engine, so the engine cannot call it, and the alert table is the contract both share. Analytics'
/// evaluation leaves this kind alone (it resolves only the kinds it evaluates).
/// </summary>
public interface ICredentialAlerts
{
    /// <summary>Opens the connection's credentials-revoked alert, or counts one more occurrence of the open one.
    /// Never throws: a failed alert must not hide the call's own failure.</summary>
    Task RevokedAsync(EngineConnection connection, string provider, string reason, CancellationToken cancellationToken = default);

    /// <summary>Resolves the connections' open credentials-revoked alerts (they were authorized again).</summary>
    Task ReconnectedAsync(int tenantId, IReadOnlyCollection<int> connectionIds, CancellationToken cancellationToken = default);
}

/// <summary>Names of the credentials-revoked alert.</summary>
public static class CredentialAlertKeys
{
    public static string Of(int connectionId) => $"credentials-revoked:connection:{connectionId}";
}

/// <summary>The store's <see cref="ICredentialAlerts"/>: an <c>alerts</c> row, announced through the webhook outbox as
/// <c>alert.opened</c> / <c>alert.resolved</c> (idempotent per alert and transition, as analytics announces its own).</summary>
public sealed class StoreCredentialAlerts(IDbContextFactory<IntegrationHealthDbContext> dbFactory, IServiceProvider services, TimeProvider time,
    ILogger<StoreCredentialAlerts> logger) : ICredentialAlerts
{
    public async Task RevokedAsync(EngineConnection connection, string provider, string reason, CancellationToken cancellationToken = default)
    {
        if (connection.ConnectionId is not { } connectionId) return; // a connection not in the store (a test document) has no alert
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            var key = CredentialAlertKeys.Of(connectionId);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var open = await db.Alerts.FirstOrDefaultAsync(a => a.TenantId == connection.TenantId && a.DedupKey == key && a.State != AlertState.Resolved,
                cancellationToken);
            if (open is not null)
            {
                open.LastSeenAt = now;
                open.Occurrences++;
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            var alert = new Alert
            {
                TenantId = connection.TenantId, DedupKey = key, Kind = AlertKind.CredentialsRevoked, Severity = AlertSeverity.Ticket,
                State = AlertState.Open, ProviderId = connection.ProviderId, AccountId = connection.AccountId, ConnectionId = connectionId,
                Title = "Connection credentials revoked",
                Detail = Truncate($"{provider} refused the connection's credentials ({reason}); the account must connect again."),
                Value = 1, Threshold = 1, OpenedAt = now, LastSeenAt = now, Occurrences = 1,
            };
            db.Alerts.Add(alert);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                return; // another process opened it first (the unique index on unresolved keys): one alert, as intended
            }
            EngineLog.CredentialAlertOpened(logger, connection.TenantId, connectionId, alert.Id);
            if (services.GetService<IWebhookOutbox>() is { } outbox)
                await outbox.EnqueueAsync(connection.TenantId, "alert.opened", Payload(alert), $"alert:{alert.Id}:opened", cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            EngineLog.CredentialAlertFailed(logger, connection.ConnectionId, e);
        }
    }

    public async Task ReconnectedAsync(int tenantId, IReadOnlyCollection<int> connectionIds, CancellationToken cancellationToken = default)
    {
        if (connectionIds.Count == 0) return;
        var keys = connectionIds.Select(CredentialAlertKeys.Of).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var open = await db.Alerts.Where(a => a.TenantId == tenantId && keys.Contains(a.DedupKey) && a.State != AlertState.Resolved).ToListAsync(cancellationToken);
        foreach (var alert in open)
        {
            alert.State = AlertState.Resolved;
            alert.ResolvedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        if (services.GetService<IWebhookOutbox>() is not { } outbox) return;
        foreach (var alert in open)
            await outbox.EnqueueAsync(tenantId, "alert.resolved", Payload(alert), $"alert:{alert.Id}:resolved", cancellationToken);
    }

    /// <summary>The alert as analytics' webhook payloads show alerts (same members), kind <c>credentials_revoked</c>.</summary>
    private static object Payload(Alert a) => new
    {
        a.Id, Kind = "credentials_revoked", Severity = "ticket", State = a.State == AlertState.Resolved ? "resolved" : "open", a.DedupKey, a.Title,
        a.Detail, a.Value, a.Threshold, a.ProviderId, a.AccountId, a.ConnectionId, OpenedAt = StoredInstant.Utc(a.OpenedAt),
        LastSeenAt = StoredInstant.Utc(a.LastSeenAt), a.Occurrences, AcknowledgedAt = StoredInstant.Utc(a.AcknowledgedAt), a.AcknowledgedBy,
        ResolvedAt = StoredInstant.Utc(a.ResolvedAt),
    };

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];
}

/// <summary>An in-process <see cref="ICredentialAlerts"/> for engines without a store (tests, tools): the alerts are
/// kept in memory by connection id, so a host can show and assert them.</summary>
public sealed class InMemoryCredentialAlerts : ICredentialAlerts
{
    /// <summary>Open alerts: connection id → (provider, reason, occurrences).</summary>
    public ConcurrentDictionary<int, (string Provider, string Reason, int Occurrences)> Open { get; } = new();

    public Task RevokedAsync(EngineConnection connection, string provider, string reason, CancellationToken cancellationToken = default)
    {
        if (connection.ConnectionId is { } id)
            Open.AddOrUpdate(id, _ => (provider, reason, 1), (_, o) => o with { Occurrences = o.Occurrences + 1 });
        return Task.CompletedTask;
    }

    public Task ReconnectedAsync(int tenantId, IReadOnlyCollection<int> connectionIds, CancellationToken cancellationToken = default)
    {
        foreach (var id in connectionIds) Open.TryRemove(id, out _);
        return Task.CompletedTask;
    }
}
