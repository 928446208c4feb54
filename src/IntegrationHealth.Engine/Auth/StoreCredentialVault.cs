using System.Collections.Concurrent;
using System.Globalization;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Medallion.Threading.Postgres;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IntegrationHealth.Engine.Auth;

/// <summary>
/// The store's credential vault (table <c>connection_credentials</c>): every secret field encrypted with Data
/// Protection in one payload, lifetimes and refresh state in the clear. Keys are
/// <c>connection/{tenant}/{connection}</c> (<see cref="Connections.StoreEngineConnections.CredentialKeyOf"/>).
/// Single flight: on PostgreSQL a session advisory lock per connection (DistributedLock.Postgres), which every process
/// on the database honours; on SQLite an in-process semaphore per connection (callers of one process queue without
/// touching the database) plus a lease on the row taken by one conditional <c>UPDATE</c> (SQLite serializes writers),
/// so a second process cannot refresh at the same time either.
/// </summary>
public sealed class StoreCredentialVault(IDbContextFactory<IntegrationHealthDbContext> dbFactory, CredentialProtector protector,
    IServiceProvider services, TimeProvider time) : ICredentialVault
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _local = new(StringComparer.Ordinal);
    /// <summary>Recent reads by key (<see cref="ReadRecentAsync"/>), forgotten by this vault's writes.</summary>
    private readonly RecentReads<string, VaultEntry?> _recent = new(time, StringComparer.Ordinal);
    private readonly string _owner = $"{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>The tenant and connection ids of a vault key.</summary>
    /// <exception cref="ArgumentException">Not a key of this vault.</exception>
    public static (int TenantId, int ConnectionId) ParseKey(string credentialKey)
    {
        var parts = credentialKey.Split('/');
        if (parts.Length == 3 && parts[0] == "connection"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var tenant)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var connection))
            return (tenant, connection);
        throw new ArgumentException("Credential keys of the store vault are 'connection/{tenant}/{connection}'.", nameof(credentialKey));
    }

    public async ValueTask<ConnectionCredentials?> GetAsync(string credentialKey, CancellationToken cancellationToken = default) =>
        (await ReadAsync(credentialKey, cancellationToken))?.Credentials;

    /// <summary>A read remembered for <paramref name="maxAge"/> (a two-table read and a decryption saved per call),
    /// forgotten when this vault writes the key: the write leaves a tombstone before and after it, and a read is
    /// remembered only if it began after whatever the key holds.</summary>
    public async ValueTask<VaultEntry?> ReadRecentAsync(string credentialKey, TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        if (_recent.TryGet(credentialKey, maxAge, out var recent)) return recent;
        var began = _recent.Begin();
        var entry = await ReadAsync(credentialKey, cancellationToken);
        _recent.Remember(credentialKey, entry, began, maxAge);
        return entry;
    }

    /// <summary>Leaves a tombstone for <paramref name="credentialKey"/> (see <see cref="ReadRecentAsync"/>).</summary>
    private void Forget(string credentialKey) => _recent.Forget(credentialKey);

    public async ValueTask<VaultEntry?> ReadAsync(string credentialKey, CancellationToken cancellationToken = default)
    {
        var (tenant, connection) = ParseKey(credentialKey);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await (from c in db.ConnectionCredentials.AsNoTracking()
                           join k in db.Connections.AsNoTracking() on c.ConnectionId equals k.Id
                           where c.TenantId == tenant && c.ConnectionId == connection && k.TenantId == tenant
                           select new { Row = c, k.Status }).FirstOrDefaultAsync(cancellationToken);
        if (found is null) return null;
        var row = found.Row;
        var credentials = new ConnectionCredentials
        {
            Fields = protector.Unprotect(credentialKey, row.Protected),
            IssuedAt = Utc(row.IssuedAt),
            ExpiresAt = Utc(row.ExpiresAt),
            Version = row.Version,
        };
        return new VaultEntry(credentials, found.Status == ConnectionStatus.NeedsReauth, Utc(row.CoolDownUntil), row.FailedRefreshes);
    }

    public async ValueTask SaveAsync(string credentialKey, ConnectionCredentials credentials, CancellationToken cancellationToken = default)
    {
        Forget(credentialKey);
        try
        {
            await SaveCoreAsync(credentialKey, credentials, cancellationToken);
        }
        finally
        {
            Forget(credentialKey);
        }
    }

    private async ValueTask SaveCoreAsync(string credentialKey, ConnectionCredentials credentials, CancellationToken cancellationToken)
    {
        var (tenant, connection) = ParseKey(credentialKey);
        var payload = protector.Protect(credentialKey, credentials.Fields);
        var now = time.GetUtcNow().UtcDateTime;
        DateTime? issued = credentials.IssuedAt?.UtcDateTime, expires = credentials.ExpiresAt?.UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (credentials.Version > 0)
        {
            var version = credentials.Version;
            var updated = await db.ConnectionCredentials
                .Where(c => c.TenantId == tenant && c.ConnectionId == connection && c.Version == version)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Protected, payload).SetProperty(c => c.IssuedAt, issued).SetProperty(c => c.ExpiresAt, expires)
                    .SetProperty(c => c.Version, version + 1).SetProperty(c => c.FailedRefreshes, 0)
                    .SetProperty(c => c.CoolDownUntil, (DateTime?)null).SetProperty(c => c.LastRefreshAt, now)
                    .SetProperty(c => c.UpdatedAt, now), cancellationToken);
            if (updated != 1) throw new CredentialConflictException(credentialKey);
            return;
        }

        if (!await db.Connections.AnyAsync(c => c.Id == connection && c.TenantId == tenant, cancellationToken))
            throw new ArgumentException($"No connection {connection} in tenant {tenant}.", nameof(credentialKey));
        var row = await db.ConnectionCredentials.FirstOrDefaultAsync(c => c.TenantId == tenant && c.ConnectionId == connection, cancellationToken);
        if (row is null)
        {
            row = new ConnectionCredential { TenantId = tenant, ConnectionId = connection, Protected = payload };
            db.ConnectionCredentials.Add(row);
        }
        row.Protected = payload;
        row.IssuedAt = issued;
        row.ExpiresAt = expires;
        row.Version++;
        row.FailedRefreshes = 0;
        row.CoolDownUntil = null;
        row.LastRefreshAt = now;
        row.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async ValueTask RecordFailureAsync(string credentialKey, int failedRefreshes, DateTimeOffset coolDownUntil, bool needsReauth,
        CancellationToken cancellationToken = default)
    {
        Forget(credentialKey);
        try
        {
            await RecordFailureCoreAsync(credentialKey, failedRefreshes, coolDownUntil, needsReauth, cancellationToken);
        }
        finally
        {
            Forget(credentialKey);
        }
    }

    private async ValueTask RecordFailureCoreAsync(string credentialKey, int failedRefreshes, DateTimeOffset coolDownUntil, bool needsReauth,
        CancellationToken cancellationToken)
    {
        var (tenant, connection) = ParseKey(credentialKey);
        var now = time.GetUtcNow().UtcDateTime;
        var until = coolDownUntil.UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.ConnectionCredentials.Where(c => c.TenantId == tenant && c.ConnectionId == connection)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailedRefreshes, failedRefreshes).SetProperty(c => c.CoolDownUntil, until)
                .SetProperty(c => c.LastRefreshAt, now), cancellationToken);
        if (needsReauth)
            await db.Connections.Where(c => c.TenantId == tenant && c.Id == connection)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConnectionStatus.NeedsReauth).SetProperty(c => c.UpdatedAt, now), cancellationToken);
    }

    public async ValueTask<IAsyncDisposable> AcquireRefreshAsync(string credentialKey, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var (tenant, connection) = ParseKey(credentialKey);
        var local = _local.GetOrAdd(credentialKey, _ => new SemaphoreSlim(1, 1));
        if (!await local.WaitAsync(timeout, cancellationToken)) throw Timeout(credentialKey, timeout);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (db.StoreProvider == StoreProvider.Postgres)
            {
                var distributed = new PostgresDistributedLock(new PostgresAdvisoryLockKey("ih-refresh:" + credentialKey, allowHashing: true),
                    services.GetRequiredService<NpgsqlDataSource>());
                var handle = await distributed.TryAcquireAsync(timeout, cancellationToken) ?? throw Timeout(credentialKey, timeout);
                return new Held(local, handle.DisposeAsync);
            }
            await AcquireLeaseAsync(tenant, connection, credentialKey, timeout, cancellationToken);
            return new Held(local, () => ReleaseLeaseAsync(tenant, connection));
        }
        catch
        {
            local.Release();
            throw;
        }
    }

    private async Task AcquireLeaseAsync(int tenant, int connection, string credentialKey, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var leaseFor = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EngineCredentialOptions>>().Value.LeaseDuration;
        var deadline = time.GetUtcNow() + timeout;
        for (var delay = TimeSpan.FromMilliseconds(20); ; delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250)))
        {
            var now = time.GetUtcNow().UtcDateTime;
            var until = now + leaseFor;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                // One statement: SQLite runs it under its write lock, so of two processes exactly one takes a free lease.
                var taken = await db.ConnectionCredentials
                    .Where(c => c.TenantId == tenant && c.ConnectionId == connection && (c.RefreshLeaseUntil == null || c.RefreshLeaseUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.RefreshLeaseUntil, until).SetProperty(c => c.RefreshLeaseOwner, _owner), cancellationToken);
                if (taken == 1) return;
                // No row: nothing to refresh, so nothing to guard (the caller finds no credentials).
                if (!await db.ConnectionCredentials.AnyAsync(c => c.TenantId == tenant && c.ConnectionId == connection, cancellationToken)) return;
            }
            if (time.GetUtcNow() >= deadline) throw Timeout(credentialKey, timeout);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private async ValueTask ReleaseLeaseAsync(int tenant, int connection)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.ConnectionCredentials.Where(c => c.TenantId == tenant && c.ConnectionId == connection && c.RefreshLeaseOwner == _owner)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RefreshLeaseUntil, (DateTime?)null).SetProperty(c => c.RefreshLeaseOwner, (string?)null));
    }

    private static TimeoutException Timeout(string credentialKey, TimeSpan timeout) =>
        new($"Waited {timeout} for another refresh of {credentialKey}.");

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    /// <summary>The held lock: the store's part released first, then this process's semaphore.</summary>
    private sealed class Held(SemaphoreSlim local, Func<ValueTask> release) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            try { await release(); }
            finally { local.Release(); }
        }
    }
}
