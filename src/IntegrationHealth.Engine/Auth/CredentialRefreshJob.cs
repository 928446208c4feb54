using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Auth;

/// <summary>
/// Proactive refresh (recurring job <c>engine-credential-refresh</c>): active connections whose token is past its
/// definition's refresh margin within <see cref="EngineCredentialOptions.RefreshLookahead"/> are refreshed before a
/// caller meets an expired token, and connections whose refresh token has not been exchanged for the idle interval
/// (the definition's <c>idle_refresh_days</c>, else <see cref="EngineCredentialOptions.IdleRefreshInterval"/>) are
/// refreshed so providers that expire unused refresh tokens do not lapse them. Every exchange goes through
/// <see cref="SingleFlightTokenSource"/>, so a job in one process and callers in another never both refresh.
/// </summary>
public sealed class CredentialRefreshJob(IDbContextFactory<IntegrationHealthDbContext> dbFactory, ProviderRegistry registry,
    IEngineConnections connections, SingleFlightTokenSource tokens, IOptions<EngineCredentialOptions> options, TimeProvider time,
    ILogger<CredentialRefreshJob> logger) : IRecurringJob
{
    public const string RecurringJobId = "engine-credential-refresh";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var nowUtc = now.UtcDateTime;
        var shortestIdle = nowUtc - TimeSpan.FromDays(1);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var candidates = await (from c in db.ConnectionCredentials.AsNoTracking()
                                join k in db.Connections.AsNoTracking() on c.ConnectionId equals k.Id
                                join p in db.Providers.AsNoTracking() on k.ProviderId equals p.Id
                                where k.Status == ConnectionStatus.Active && (c.CoolDownUntil == null || c.CoolDownUntil < nowUtc)
                                      && (c.ExpiresAt != null || c.LastRefreshAt == null || c.LastRefreshAt < shortestIdle)
                                orderby c.ExpiresAt
                                select new { c.TenantId, k.ExternalId, p.Key, c.IssuedAt, c.ExpiresAt, c.LastRefreshAt })
            .ToListAsync(cancellationToken);

        int refreshed = 0, failed = 0, skipped = 0;
        foreach (var c in candidates)
        {
            if (refreshed + failed >= o.RefreshBatchSize) break;
            if (!registry.TryGet(c.Key, out var provider) || !AuthKinds.UsesTokenEndpoint(provider.Definition.Auth.Kind)) { skipped++; continue; }
            var policy = provider.Definition.Auth.Refresh;
            RefreshReason? reason = null;
            if (c.ExpiresAt is { } expires && c.IssuedAt is { } issued && expires > issued
                && now + o.RefreshLookahead >= Utc(issued) + (expires - issued) * policy.AheadFraction)
                reason = RefreshReason.Proactive;
            else if (c.ExpiresAt is { } e2 && c.IssuedAt is null && now + o.RefreshLookahead >= Utc(e2))
                reason = RefreshReason.Proactive;
            else if (provider.Definition.Auth.Kind == AuthKinds.AuthorizationCode
                     && (c.LastRefreshAt ?? c.IssuedAt) is { } last
                     && now - Utc(last) >= (policy.IdleRefreshDays is { } days ? TimeSpan.FromDays(days) : o.IdleRefreshInterval))
                reason = RefreshReason.Idle;
            if (reason is null) { skipped++; continue; }

            var (resolution, connection) = await connections.FindAsync(c.TenantId, c.ExternalId, cancellationToken);
            if (resolution != ConnectionResolution.Found) { skipped++; continue; }
            try
            {
                await tokens.GetAsync(connection!.Provider, connection.Engine, "token", reason, cancellationToken);
                refreshed++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed++;
                EngineLog.ProactiveRefreshFailed(logger, connection!.Row.Id, e);
            }
        }
        EngineLog.ProactiveRefreshRan(logger, refreshed, failed, skipped);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
