using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Webhooks;

/// <summary>
/// Sends due deliveries. Each is first claimed by a conditional update (state pending, due, lease free or run out →
/// lease held by this drain), so concurrent drains in any number of processes never send one delivery twice at once,
/// and a drain that dies mid-send loses nothing: its lease runs out and another sends the message again, with the
/// same <c>webhook-id</c> (at least once; receivers deduplicate). Only a 2xx answer is success; 410 Gone disables the
/// endpoint and cancels what it still had pending; anything else is retried on <see cref="WebhookRetrySchedule"/>.
/// A result is written only while the lease is still this drain's.
/// </summary>
public sealed class WebhookDrain(IDbContextFactory<IntegrationHealthDbContext> dbFactory, IHttpClientFactory httpFactory,
    WebhookSecrets secrets, IEnumerable<IWebhookChatRenderer> renderers, IOptions<WebhookOptions> options, TimeProvider time,
    WebhookDeliveryTelemetry telemetry, ILogger<WebhookDrain> logger)
{
    /// <summary>The named HTTP client deliveries use (no redirects, the SSRF guard in its connect callback).</summary>
    public const string HttpClientName = "webhooks";

    /// <summary>Claims and sends due deliveries until none is left; returns how many attempts were made.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var claimed = await ClaimAsync(cancellationToken);
            if (claimed.Count == 0) break;
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = cancellationToken },
                async (claim, token) => await SendAsync(claim, token));
            total += claimed.Count;
        }
        return total;
    }

    private sealed record Claim(long DeliveryId, Guid Owner);

    private async Task<List<Claim>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var o = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var candidates = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.State == WebhookDeliveryState.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(o.BatchSize).ToListAsync(cancellationToken);
        var claims = new List<Claim>();
        foreach (var id in candidates)
        {
            var owner = Guid.NewGuid();
            var until = now + o.Lease;
            var won = await db.WebhookDeliveries
                .Where(d => d.Id == id && d.State == WebhookDeliveryState.Pending && (d.LeaseUntil == null || d.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, until).SetProperty(d => d.LeaseOwner, owner), cancellationToken);
            if (won == 1) claims.Add(new Claim(id, owner));
        }
        return claims;
    }

    private async Task SendAsync(Claim claim, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await (from d in db.WebhookDeliveries
                         join m in db.WebhookMessages on d.MessageId equals m.Id
                         join e in db.WebhookEndpoints on d.EndpointId equals e.Id
                         where d.Id == claim.DeliveryId
                         select new { Delivery = d, Message = m, Endpoint = e }).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (row is null) return;
        var now = time.GetUtcNow().UtcDateTime;
        if (row.Endpoint.DisabledAt is not null)
        {
            await FinishAsync(db, claim, row.Delivery.Attempts, WebhookDeliveryState.Cancelled, null, null, "endpoint disabled", now, cancellationToken);
            return;
        }

        var attempt = row.Delivery.Attempts + 1;
        var (status, error, latency) = await PostAsync(row.Message, row.Endpoint, now, cancellationToken);
        var succeeded = status is >= 200 and < 300;
        var done = time.GetUtcNow().UtcDateTime;
        var attemptRow = new WebhookAttempt
        {
            TenantId = row.Delivery.TenantId, DeliveryId = claim.DeliveryId, Attempt = attempt, AttemptedAt = now,
            HttpStatus = status is { } s ? (short)s : null, LatencyMs = latency, Succeeded = succeeded, Error = error,
        };
        db.WebhookAttempts.Add(attemptRow);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            await telemetry.RecordAsync(attemptRow, row.Message.EventType, error, cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The attempt happened and is in the delivery log; losing its telemetry must not send the message again.
            WebLog.WebhookTelemetryFailed(logger, claim.DeliveryId, ex.GetType().Name);
        }

        if (succeeded)
        {
            await FinishAsync(db, claim, attempt, WebhookDeliveryState.Succeeded, null, status, null, done, cancellationToken);
            WebLog.WebhookDelivered(logger, claim.DeliveryId, row.Endpoint.Id, attempt, status!.Value);
        }
        else if (status == StatusCodes.Status410Gone)
        {
            await DisableAsync(db, row.Endpoint.Id, done, cancellationToken);
            await FinishAsync(db, claim, attempt, WebhookDeliveryState.Cancelled, null, status, "410 Gone: endpoint disabled", done, cancellationToken);
            WebLog.WebhookEndpointGone(logger, row.Endpoint.Id, row.Endpoint.TenantId);
        }
        else
        {
            var next = WebhookRetrySchedule.NextAttempt(done, attempt, Random.Shared.NextDouble());
            await FinishAsync(db, claim, attempt, next is null ? WebhookDeliveryState.Failed : WebhookDeliveryState.Pending, next, status, error, done, cancellationToken);
            WebLog.WebhookAttemptFailed(logger, claim.DeliveryId, row.Endpoint.Id, attempt, error ?? "", next);
        }
    }

    private async Task<(int? Status, string? Error, int LatencyMs)> PostAsync(WebhookMessage message, WebhookEndpoint endpoint, DateTime now,
        CancellationToken cancellationToken)
    {
        string body;
        if (endpoint.Format == WebhookEndpointFormat.Standard) body = message.Body;
        else
        {
            using var document = JsonDocument.Parse(message.Body);
            var data = document.RootElement.GetProperty("data");
            body = renderers.Select(r => r.Render(endpoint.Format, message.EventType, data)).FirstOrDefault(b => b is not null)
                ?? throw new InvalidOperationException($"No chat renderer renders {message.EventType} any more.");
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (endpoint.Format == WebhookEndpointFormat.Standard)
        {
            var timestamp = new DateTimeOffset(now, TimeSpan.Zero).ToUnixTimeSeconds();
            var signing = WebhookSecrets.Signing(secrets.Unprotect(endpoint.ProtectedSecrets), now);
            request.Headers.TryAddWithoutValidation("webhook-id", message.MessageId);
            request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSignature.Header(message.MessageId, timestamp, bytes, signing));
        }
        request.Headers.UserAgent.ParseAdd("IntegrationHealth-Webhooks/1.0");

        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.AttemptTimeout);
        try
        {
            using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return (status, status is >= 200 and < 300 ? null : $"HTTP {status}", (int)clock.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, "timeout", (int)clock.ElapsedMilliseconds);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.InnerException is WebhookAddressException ? "address not allowed" : $"network: {ex.HttpRequestError}", (int)clock.ElapsedMilliseconds);
        }
    }

    private static async Task FinishAsync(IntegrationHealthDbContext db, Claim claim, int attempts, WebhookDeliveryState state, DateTime? next,
        int? status, string? error, DateTime now, CancellationToken cancellationToken)
    {
        short? httpStatus = status is { } s ? (short)s : null;
        DateTime? completed = state == WebhookDeliveryState.Pending ? null : now;
        var nextAttempt = next ?? now;
        await db.WebhookDeliveries.Where(d => d.Id == claim.DeliveryId && d.LeaseOwner == claim.Owner)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.State, state).SetProperty(d => d.Attempts, attempts)
                .SetProperty(d => d.NextAttemptAt, nextAttempt).SetProperty(d => d.LeaseUntil, (DateTime?)null)
                .SetProperty(d => d.LeaseOwner, (Guid?)null).SetProperty(d => d.LastHttpStatus, httpStatus)
                .SetProperty(d => d.LastError, error).SetProperty(d => d.CompletedAt, completed), cancellationToken);
    }

    private static async Task DisableAsync(IntegrationHealthDbContext db, int endpointId, DateTime now, CancellationToken cancellationToken)
    {
        await db.WebhookEndpoints.Where(e => e.Id == endpointId && e.DisabledAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.DisabledAt, now).SetProperty(e => e.DisabledReason, "410 Gone"), cancellationToken);
        await db.WebhookDeliveries.Where(d => d.EndpointId == endpointId && d.State == WebhookDeliveryState.Pending && d.LeaseOwner == null)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.State, WebhookDeliveryState.Cancelled).SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.LastError, "endpoint disabled"), cancellationToken);
    }
}

/// <summary>The recurring drain.</summary>
public sealed class WebhookDrainJob(WebhookDrain drain) : IRecurringJob
{
    public const string RecurringJobId = "webhook-drain";

    public Task RunAsync(CancellationToken cancellationToken) => drain.DrainAsync(cancellationToken);
}

/// <summary>A delivery's host resolved to an address <see cref="WebhookUrlPolicy"/> does not allow.</summary>
public sealed class WebhookAddressException(string message) : Exception(message);
