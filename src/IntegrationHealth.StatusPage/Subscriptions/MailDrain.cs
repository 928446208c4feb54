using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Jobs;
using IntegrationHealth.Web.Webhooks;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace IntegrationHealth.StatusPage.Subscriptions;

/// <summary>
/// Sends due mails of the outbox over SMTP (MailKit). Each mail is first claimed by a conditional update of its lease
/// (the lease's end is the claim's token), so drains in any number of processes never send one mail twice at once,
/// and a drain that dies mid-send loses nothing: the lease runs out and the mail is sent again (at least once, with
/// the same <c>Message-ID</c>). A failure is retried on the Standard Webhooks schedule with jitter
/// (<see cref="WebhookRetrySchedule"/>); a permanent refusal (5xx) ends it. Notifications reach only confirmed,
/// subscribed addresses, checked again at send time; each carries a one-click unsubscribe link (RFC 8058).
/// </summary>
public sealed class MailDrain(IDbContextFactory<IntegrationHealthDbContext> dbFactory, SubscriberTokens tokens,
    IOptions<SubscriptionOptions> options, TimeProvider time, ILogger<MailDrain> logger)
{
    private sealed record Claim(long Id, DateTime Until);

    /// <summary>Claims and sends due mails until none is left; returns how many were sent.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var claims = await ClaimAsync(cancellationToken);
            if (claims.Count == 0) break;
            var (batchSent, reachable) = await SendAsync(claims, cancellationToken);
            sent += batchSent;
            if (!reachable) break;
        }
        return sent;
    }

    private async Task<List<Claim>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var o = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var candidates = await db.StatusNotifications.AsNoTracking()
            .Where(n => n.DeliveredAt == null && n.FailedAt == null && n.NextAttemptAt <= now && (n.LeaseUntil == null || n.LeaseUntil < now))
            .OrderBy(n => n.NextAttemptAt).Select(n => n.Id).Take(o.MailBatchSize).ToListAsync(cancellationToken);
        var claims = new List<Claim>();
        foreach (var id in candidates)
        {
            // Distinct per claim: a later claim of the same row happens only after this lease ran out.
            var until = now + o.MailLease + TimeSpan.FromTicks(claims.Count);
            var won = await db.StatusNotifications
                .Where(n => n.Id == id && n.DeliveredAt == null && n.FailedAt == null && (n.LeaseUntil == null || n.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.LeaseUntil, until), cancellationToken);
            if (won == 1) claims.Add(new Claim(id, until));
        }
        return claims;
    }

    private async Task<(int Sent, bool Reachable)> SendAsync(List<Claim> claims, CancellationToken cancellationToken)
    {
        var o = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = claims.Select(c => c.Id).ToList();
        var rows = await (from n in db.StatusNotifications.AsNoTracking()
                          join s in db.StatusSubscribers.AsNoTracking() on n.SubscriberId equals s.Id
                          join p in db.StatusPages.AsNoTracking() on s.PageId equals p.Id
                          where ids.Contains(n.Id)
                          select new { Notification = n, Subscriber = s, Page = p }).ToListAsync(cancellationToken);

        using var smtp = new SmtpClient { Timeout = (int)o.Smtp.Timeout.TotalMilliseconds };
        try
        {
            await smtp.ConnectAsync(o.Smtp.Host, o.Smtp.Port, Secure(o.Smtp.Tls), cancellationToken);
            if (!string.IsNullOrEmpty(o.Smtp.UserName)) await smtp.AuthenticateAsync(o.Smtp.UserName, o.Smtp.Password ?? "", cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or SslHandshakeException or ProtocolException
                                       or AuthenticationException or SmtpCommandException or SmtpProtocolException or TimeoutException)
        {
            StatusPageLog.SmtpUnavailable(logger, ex.GetType().Name, claims.Count);
            foreach (var row in rows)
                await RetryAsync(db, Find(claims, row.Notification.Id), row.Notification, row.Subscriber.Id, ex.GetType().Name, cancellationToken);
            return (0, false);
        }

        var sent = 0;
        foreach (var row in rows)
        {
            var claim = Find(claims, row.Notification.Id);
            var n = row.Notification;
            var s = row.Subscriber;
            var content = JsonSerializer.Deserialize<MailContent>(n.Payload, MailContent.Json)!;
            var confirmation = content.Kind == MailContent.ConfirmationKind;
            // Unsubscribed, deleted or (for news) never confirmed since it was planned: nothing goes out.
            if (s.DisabledAt is not null || s.Email is null || (!confirmation && s.ConfirmedAt is null) || (confirmation && s.ConfirmedAt is not null))
            {
                await FinishAsync(db, claim, n.Attempts, delivered: null, failed: Now(), null, cancellationToken);
                continue;
            }
            try
            {
                using var message = Build(content, n, s, row.Page, o);
                await smtp.SendAsync(message, cancellationToken);
                await FinishAsync(db, claim, n.Attempts + 1, delivered: Now(), failed: null, null, cancellationToken);
                StatusPageLog.MailSent(logger, n.Id, n.EventType, s.Id);
                sent++;
            }
            catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
            {
                // A permanent refusal (no such mailbox, policy): trying again would not help.
                await FinishAsync(db, claim, n.Attempts + 1, delivered: null, failed: Now(), null, cancellationToken);
                StatusPageLog.MailFailed(logger, n.Id, s.Id, n.Attempts + 1, $"SMTP {(int)ex.StatusCode}", null);
            }
            catch (Exception ex) when (ex is IOException or SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException
                                           or TimeoutException or System.Security.Cryptography.CryptographicException)
            {
                await RetryAsync(db, claim, n, s.Id, ex is SmtpCommandException c ? $"SMTP {(int)c.StatusCode}" : ex.GetType().Name, cancellationToken);
                if (!smtp.IsConnected) return (sent, false);
            }
        }
        try
        {
            await smtp.DisconnectAsync(true, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SmtpProtocolException or SmtpCommandException)
        {
            // Everything was sent; a rude QUIT changes nothing.
        }
        return (sent, true);
    }

    private MimeMessage Build(MailContent content, StatusNotification n, StatusSubscriber s, Data.Entities.StatusPage page, SubscriptionOptions o)
    {
        var baseUrl = $"{o.PublicBaseUrl.TrimEnd('/')}/pages/{page.Slug}/subscribers";
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.Smtp.From));
        message.To.Add(MailboxAddress.Parse(s.Email!));
        message.Subject = content.Subject;
        // Stable across attempts, so a mail sent twice (a drain died after sending) is recognisably one.
        message.MessageId = $"{n.MessageId}.{n.SubscriberId}.{n.Id}@{MailboxAddress.Parse(o.Smtp.From).Domain}";
        message.Headers.Add("Auto-Submitted", "auto-generated");
        string link;
        if (content.Kind == MailContent.ConfirmationKind)
        {
            link = $"{baseUrl}/confirm?token={tokens.Unprotect(content.ProtectedToken!)}";
        }
        else
        {
            link = $"{baseUrl}/unsubscribe?token={tokens.Unprotect(s.ProtectedUnsubscribeToken!)}";
            // RFC 8058 one-click: the client POSTs "List-Unsubscribe=One-Click" to the URI, no login, no confirmation page.
            message.Headers.Add("List-Unsubscribe", $"<{link}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        message.Body = new TextPart("plain") { Text = content.Text.Replace("{link}", link, StringComparison.Ordinal) };
        return message;
    }

    private async Task RetryAsync(IntegrationHealthDbContext db, Claim claim, StatusNotification n, int subscriberId, string error,
        CancellationToken cancellationToken)
    {
        var attempt = n.Attempts + 1;
        var next = WebhookRetrySchedule.NextAttempt(Now(), attempt, Random.Shared.NextDouble());
        await FinishAsync(db, claim, attempt, delivered: null, failed: next is null ? Now() : null, next, cancellationToken);
        StatusPageLog.MailFailed(logger, n.Id, subscriberId, attempt, error, next);
    }

    private static async Task FinishAsync(IntegrationHealthDbContext db, Claim claim, int attempts, DateTime? delivered, DateTime? failed,
        DateTime? next, CancellationToken cancellationToken)
    {
        var q = db.StatusNotifications.Where(n => n.Id == claim.Id && n.LeaseUntil == claim.Until);
        if (next is { } due)
            await q.ExecuteUpdateAsync(u => u.SetProperty(n => n.Attempts, attempts).SetProperty(n => n.NextAttemptAt, due)
                .SetProperty(n => n.LeaseUntil, (DateTime?)null), cancellationToken);
        else
            await q.ExecuteUpdateAsync(u => u.SetProperty(n => n.Attempts, attempts).SetProperty(n => n.DeliveredAt, delivered)
                .SetProperty(n => n.FailedAt, failed).SetProperty(n => n.LeaseUntil, (DateTime?)null), cancellationToken);
    }

    private static Claim Find(List<Claim> claims, long id) => claims.First(c => c.Id == id);

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private static SecureSocketOptions Secure(SmtpTls tls) => tls switch
    {
        SmtpTls.None => SecureSocketOptions.None,
        SmtpTls.StartTls => SecureSocketOptions.StartTls,
        SmtpTls.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };
}

/// <summary>The recurring job: plans new updates, then sends due mail (webhook deliveries are the webhook drain's).</summary>
public sealed class StatusNotificationJob(NotificationPlanner planner, MailDrain mail) : IRecurringJob
{
    public const string JobId = "status-page-notifications";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await planner.PlanAsync(cancellationToken);
        await mail.DrainAsync(cancellationToken);
    }
}
