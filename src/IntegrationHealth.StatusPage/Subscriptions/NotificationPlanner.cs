using System.Globalization;
using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Model;
using IntegrationHealth.Web.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.StatusPage.Subscriptions;

/// <summary>
/// Fans each new incident or maintenance update (posted by staff or by the status job: created, updated, resolved,
/// maintenance started or completed) out to the page's confirmed subscribers whose components it affects: one mail per
/// e-mail subscriber in the mail outbox and one webhook message with a delivery per webhook subscriber in the shared
/// webhook outbox. Each update is planned in one transaction that also marks it notified, after claiming it with a
/// conditional update: a planner that dies before committing leaves it to the next run, two planners never plan it
/// twice, and the outboxes' unique keys (subscriber and update; tenant and idempotency key) make a replay a no-op.
/// </summary>
public sealed class NotificationPlanner(IDbContextFactory<IntegrationHealthDbContext> dbFactory, IOptions<SubscriptionOptions> options,
    TimeProvider time, ILogger<NotificationPlanner> logger)
{
    private const int BatchSize = 100;

    /// <summary>Plans every update not planned yet; returns how many.</summary>
    public async Task<int> PlanAsync(CancellationToken cancellationToken)
    {
        var planned = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            List<int> ids;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                ids = await db.StatusIncidentUpdates.AsNoTracking().Where(u => u.NotifiedAt == null).OrderBy(u => u.Id)
                    .Select(u => u.Id).Take(BatchSize).ToListAsync(cancellationToken);
            }
            if (ids.Count == 0) break;
            foreach (var id in ids)
                if (await PlanOneAsync(id, cancellationToken)) planned++;
            if (ids.Count < BatchSize) break;
        }
        return planned;
    }

    private async Task<bool> PlanOneAsync(int updateId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The claim: only one planner turns NotifiedAt from null, and it holds the row until it commits.
        if (await db.StatusIncidentUpdates.Where(u => u.Id == updateId && u.NotifiedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.NotifiedAt, now), cancellationToken) == 0)
            return false;
        var update = await db.StatusIncidentUpdates.AsNoTracking().SingleAsync(u => u.Id == updateId, cancellationToken);
        var incident = await db.StatusIncidents.AsNoTracking().SingleAsync(i => i.Id == update.IncidentId, cancellationToken);
        var page = await db.StatusPages.AsNoTracking().SingleAsync(p => p.Id == incident.PageId, cancellationToken);
        var first = !await db.StatusIncidentUpdates.AnyAsync(u => u.IncidentId == incident.Id && u.Id < update.Id, cancellationToken);
        var eventType = EventType(incident, update, first);
        if (eventType is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return true;
        }

        var affected = IncidentTimeline.ReadAffected(update.AffectedComponents);
        var componentIds = (await db.StatusIncidentComponents.Where(c => c.IncidentId == incident.Id).Select(c => c.ComponentId).ToListAsync(cancellationToken))
            .Concat(affected.Select(a => int.TryParse(a.Code, CultureInfo.InvariantCulture, out var id) ? id : 0)).Where(id => id > 0).ToHashSet();
        var components = await db.StatusComponents.AsNoTracking().Where(c => componentIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Name, c.Status }).ToListAsync(cancellationToken);

        var subscribers = await (from s in db.StatusSubscribers.AsNoTracking()
                                 join e in db.WebhookEndpoints on s.WebhookEndpointId equals (int?)e.Id into endpoints
                                 from e in endpoints.DefaultIfEmpty()
                                 where s.PageId == page.Id && s.ConfirmedAt != null && s.DisabledAt == null
                                       && (s.Kind == SubscriberKind.Email || (e != null && e.DisabledAt == null))
                                 select new { s.Id, s.Kind, s.ComponentIds, s.WebhookEndpointId }).ToListAsync(cancellationToken);
        var interested = subscribers.Where(s => Interested(s.ComponentIds, componentIds)).ToList();

        var pageUrl = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/pages/{page.Slug}";
        var payload = new NotificationPayload(eventType,
            new PagePayload(page.Id.ToString(CultureInfo.InvariantCulture), page.Slug, page.Name, pageUrl),
            new IncidentPayload(incident.Id.ToString(CultureInfo.InvariantCulture), incident.Name, StatusWire.Of(incident.Status),
                StatusWire.Of(incident.Impact), incident.IsMaintenance, $"{pageUrl}/incidents/{incident.Id}",
                Utc(incident.CreatedAt), Utc(incident.UpdatedAt), incident.ResolvedAt is { } r ? Utc(r) : null,
                incident.ScheduledFor is { } f ? Utc(f) : null, incident.ScheduledUntil is { } u ? Utc(u) : null),
            new UpdatePayload(update.Id.ToString(CultureInfo.InvariantCulture), StatusWire.Of(update.Status), update.Body, Utc(update.CreatedAt),
                update.ExpectedResolutionAt is { } x ? Utc(x) : null),
            [.. affected.Count > 0 ? affected : components.Select(c => new AffectedComponent(c.Id.ToString(CultureInfo.InvariantCulture), c.Name,
                StatusWire.Of(c.Status), StatusWire.Of(c.Status)))]);

        var mails = 0;
        var mail = MailContent.Notification(payload);
        var mailJson = JsonSerializer.Serialize(mail, MailContent.Json);
        foreach (var subscriber in interested.Where(s => s.Kind == SubscriberKind.Email))
        {
            db.StatusNotifications.Add(new StatusNotification
            {
                TenantId = page.TenantId, SubscriberId = subscriber.Id, MessageId = $"update-{update.Id}", EventType = eventType,
                Payload = mailJson, NextAttemptAt = now, CreatedAt = now,
            });
            mails++;
        }

        var hooks = interested.Where(s => s.Kind == SubscriberKind.Webhook && s.WebhookEndpointId is not null).ToList();
        if (hooks.Count > 0)
        {
            var message = WebhookOutbox.NewMessage(page.TenantId, eventType, JsonSerializer.SerializeToElement(payload, MailContent.Json),
                $"status-page-update:{update.Id}", now);
            db.WebhookMessages.Add(message);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var hook in hooks)
            {
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    TenantId = page.TenantId, MessageId = message.Id, EndpointId = hook.WebhookEndpointId!.Value,
                    State = WebhookDeliveryState.Pending, NextAttemptAt = now,
                });
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        StatusPageLog.UpdatePlanned(logger, page.TenantId, incident.Id, update.Id, mails, hooks.Count);
        return true;
    }

    /// <summary>The event an update is, or null for one subscribers are not told about (a maintenance being
    /// scheduled again is, "verifying" is not news).</summary>
    public static string? EventType(StatusIncident incident, StatusIncidentUpdate update, bool first) => incident.IsMaintenance
        ? update.Status switch
        {
            IncidentStatus.Scheduled => first ? "maintenance.scheduled" : null,
            IncidentStatus.InProgress => "maintenance.started",
            IncidentStatus.Completed => "maintenance.completed",
            _ => null,
        }
        : first ? "incident.created"
        : update.Status == IncidentStatus.Resolved ? "incident.resolved"
        : "incident.updated";

    /// <summary>Whether a subscriber's choice (comma-separated ids, null for all) takes an update of these
    /// components; an update naming no component reaches only those who chose all.</summary>
    public static bool Interested(string? choice, IReadOnlySet<int> componentIds)
    {
        if (choice is null) return true;
        foreach (var part in choice.Split(',', StringSplitOptions.RemoveEmptyEntries))
            if (int.TryParse(part, CultureInfo.InvariantCulture, out var id) && componentIds.Contains(id)) return true;
        return false;
    }

    private static string Utc(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>What a notification says, as a webhook's <c>data</c> (snake_case, Statuspage's field names where it
/// has one) and as the source of the mail's text.</summary>
public sealed record NotificationPayload(string Event, PagePayload Page, IncidentPayload Incident, UpdatePayload Update,
    IReadOnlyList<AffectedComponent> Components);

public sealed record PagePayload(string Id, string Slug, string Name, string Url);

public sealed record IncidentPayload(string Id, string Name, string Status, string Impact, bool Maintenance, string Shortlink,
    string CreatedAt, string UpdatedAt, string? ResolvedAt, string? ScheduledFor, string? ScheduledUntil);

public sealed record UpdatePayload(string Id, string Status, string Body, string CreatedAt, string? ExpectedResolutionAt);
