using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Web.Webhooks;

/// <summary>
/// The store-backed <see cref="IWebhookOutbox"/>: the message (its final, signed-as-is body and a stable
/// <c>webhook-id</c>) and one pending delivery per subscribed endpoint are written in one transaction, and
/// <see cref="WebhookDrain"/> sends them. A repeated idempotency key is one message, also under concurrent callers
/// (the unique index decides).
/// </summary>
public sealed class WebhookOutbox(IDbContextFactory<IntegrationHealthDbContext> dbFactory, TimeProvider time,
    IEnumerable<IWebhookChatRenderer> renderers) : IWebhookOutbox
{
    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    public async Task EnqueueAsync(int tenantId, string eventType, object payload, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventType);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.WebhookMessages.AnyAsync(m => m.TenantId == tenantId && m.IdempotencyKey == idempotencyKey, cancellationToken)) return;

        var data = JsonSerializer.SerializeToElement(payload, PayloadJson);
        var message = NewMessage(tenantId, eventType, data, idempotencyKey, now);
        // Status page subscribers' endpoints take only what is planned for them (see StatusSubscriber), never the tenant's events.
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.DisabledAt == null && e.Audience == WebhookEndpointAudience.Tenant).ToListAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.WebhookMessages.Add(message);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (await ExistsAsync(tenantId, idempotencyKey, cancellationToken)) return; // another caller enqueued the same key first
            throw;
        }
        foreach (var endpoint in endpoints.Where(e => Subscribes(e.EventTypes, eventType)))
        {
            if (endpoint.Format != WebhookEndpointFormat.Standard && !renderers.Any(r => r.Render(endpoint.Format, eventType, data) is not null))
                continue;
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                TenantId = tenantId, MessageId = message.Id, EndpointId = endpoint.Id, State = WebhookDeliveryState.Pending, NextAttemptAt = now,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A message as the drain signs and sends it: body <c>{"type","timestamp","data"}</c> (the Standard Webhooks
    /// payload structure) and a fresh, stable <c>webhook-id</c>. For features that write a message and its deliveries to
    /// chosen endpoints in their own transaction (the status page's subscriber notifications); the caller adds it.
    /// </summary>
    public static WebhookMessage NewMessage(int tenantId, string eventType, JsonElement data, string idempotencyKey, DateTime now)
    {
        var body = JsonSerializer.Serialize(new { type = eventType, timestamp = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), data }, PayloadJson);
        return new WebhookMessage
        {
            TenantId = tenantId, MessageId = "msg_" + Guid.CreateVersion7().ToString("N"), EventType = eventType,
            Body = body, IdempotencyKey = idempotencyKey, CreatedAt = now,
        };
    }

    private async Task<bool> ExistsAsync(int tenantId, string key, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookMessages.AnyAsync(m => m.TenantId == tenantId && m.IdempotencyKey == key, cancellationToken);
    }

    /// <summary>Whether an endpoint's filter (space-separated types or <c>prefix.*</c>; null for all) takes
    /// <paramref name="eventType"/>.</summary>
    public static bool Subscribes(string? filter, string eventType)
    {
        if (string.IsNullOrWhiteSpace(filter)) return true;
        foreach (var item in filter.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (item == eventType || item == "*") return true;
            if (item.EndsWith(".*", StringComparison.Ordinal) && eventType.StartsWith(item[..^1], StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
