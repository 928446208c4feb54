using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Configuration;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Web.Webhooks;

/// <summary>
/// Records every attempt of the webhook drain as a <c>webhook_delivery</c> telemetry event of the tenant, so the
/// service's own webhooks (the tenant's endpoints and its status page's subscribers) feed rollups, alerts and
/// scorecards like any integration's deliveries. The fields are those analytics reads (<c>RollupFold</c>: kind,
/// outcome; error class, HTTP status, latency, records = 1): the provider is the tenant's own provider
/// <see cref="ProviderKey"/> (registered on first use), the resource is the event type, and the account is 0 (no
/// customer account sent it). The event id is derived from the attempt row, so recording an attempt again is a
/// duplicate the store ignores.
/// </summary>
public sealed class WebhookDeliveryTelemetry(IDbContextFactory<IntegrationHealthDbContext> dbFactory, ITelemetryWriter writer)
{
    /// <summary>Key of the tenant-owned provider the events are recorded under.</summary>
    public const string ProviderKey = "integrationhealth-webhooks";

    private readonly ConcurrentDictionary<int, int> _providers = new();

    public async Task RecordAsync(WebhookAttempt attempt, string eventType, string? error, CancellationToken cancellationToken)
    {
        var providerId = await ProviderAsync(attempt.TenantId, cancellationToken);
        var status = attempt.HttpStatus;
        var telemetry = new TelemetryEvent
        {
            Id = IdOf(attempt.Id),
            OccurredAt = attempt.AttemptedAt,
            TenantId = attempt.TenantId,
            AccountId = 0,
            ProviderId = providerId,
            Kind = TelemetryKind.WebhookDelivery,
            Outcome = attempt.Succeeded ? TelemetryOutcome.Success : TelemetryOutcome.Failure,
            ErrorClass = attempt.Succeeded ? ErrorClass.None : ClassOf(status, error),
            Method = HttpMethodCode.Post,
            HttpStatus = status,
            LatencyMs = attempt.LatencyMs,
            Records = 1,
            Resource = eventType.Length <= StoreLengths.TelemetryText ? eventType : eventType[..StoreLengths.TelemetryText],
        };
        await writer.WriteAsync([telemetry], cancellationToken);
    }

    /// <summary>The event id of an attempt: a stable UUID (version 8 layout) from the attempt row's id.</summary>
    public static Guid IdOf(long attemptId)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes($"webhook-attempt:{attemptId}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>The error class analytics counts: timeouts, network faults and the HTTP status's class.</summary>
    public static ErrorClass ClassOf(short? status, string? error) => status switch
    {
        429 => ErrorClass.RateLimited,
        >= 500 => ErrorClass.Server5xx,
        >= 400 => ErrorClass.Client4xx,
        null when error == "timeout" => ErrorClass.Timeout,
        null => ErrorClass.Network,
        _ => ErrorClass.Other,
    };

    private async Task<int> ProviderAsync(int tenantId, CancellationToken cancellationToken)
    {
        if (_providers.TryGetValue(tenantId, out var cached)) return cached;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var id = await db.Providers.Where(p => p.TenantId == tenantId && p.Key == ProviderKey).Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (id is null)
        {
            db.Providers.Add(new Provider { TenantId = tenantId, Key = ProviderKey, Name = "IntegrationHealth webhooks", Category = "webhooks" });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another drain registered it first (unique per tenant and key).
            }
            await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
            id = await again.Providers.Where(p => p.TenantId == tenantId && p.Key == ProviderKey).Select(p => p.Id).SingleAsync(cancellationToken);
        }
        _providers[tenantId] = id.Value;
        return id.Value;
    }
}
