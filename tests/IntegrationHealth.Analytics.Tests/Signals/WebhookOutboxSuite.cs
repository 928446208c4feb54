using System.Text;
using System.Text.Json;
using IntegrationHealth.Analytics.Alerts;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Testing;
using IntegrationHealth.Web.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Analytics.Tests.Signals;

/// <summary>The webhook outbox and the alert job on a real store, delivering to real receivers on 127.0.0.1.</summary>
public abstract class WebhookOutboxSuite
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private async Task<SignalsHarness> HarnessAsync() => new(await CreateDatabaseAsync());

    private static bool Verifies(WebhookReceiver.Received request, string secret, DateTime now) =>
        WebhookSignature.Verify(request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"],
            Encoding.UTF8.GetBytes(request.Body), secret, new DateTimeOffset(now, TimeSpan.Zero));

    [StoreFact]
    public async Task Drain_DeliversOnceSigned_AndIdempotencyKeyMakesOneMessage()
    {
        await using var harness = await HarnessAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await harness.TenantAsync("t-drain");
        var (_, secret) = await harness.EndpointAsync(tenant, new Uri(receiver.Origin, "/hook"));
        var outbox = harness.Get<IWebhookOutbox>();
        await outbox.EnqueueAsync(tenant, "test.event", new { answer = 42 }, "key-1");
        await outbox.EnqueueAsync(tenant, "test.event", new { answer = 43 }, "key-1"); // same key: the same message

        Assert.Equal(1, await harness.Get<WebhookDrain>().DrainAsync(CancellationToken.None));
        Assert.Equal(0, await harness.Get<WebhookDrain>().DrainAsync(CancellationToken.None)); // nothing left

        var request = Assert.Single(receiver.Requests);
        Assert.True(Verifies(request, secret, harness.Now));
        Assert.False(Verifies(request, WebhookSignature.NewSecret(), harness.Now));
        Assert.StartsWith("msg_", request.Headers["webhook-id"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("test.event", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(42, body.RootElement.GetProperty("data").GetProperty("answer").GetInt32());
        await using var db = harness.Database.CreateContext();
        var delivery = await db.WebhookDeliveries.SingleAsync();
        Assert.Equal((WebhookDeliveryState.Succeeded, 1, (short?)200), (delivery.State, delivery.Attempts, delivery.LastHttpStatus));
    }

    [StoreFact]
    public async Task Drain_ServerError_RetriesOnTheScheduleWithTheSameId_OnlyTwoHundredsCount()
    {
        await using var harness = await HarnessAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(500, 302);
        var tenant = await harness.TenantAsync("t-retry");
        await harness.EndpointAsync(tenant, receiver.Origin);
        await harness.Get<IWebhookOutbox>().EnqueueAsync(tenant, "test.event", new { n = 1 }, "retry-1");
        var drain = harness.Get<WebhookDrain>();

        await drain.DrainAsync(CancellationToken.None);
        await using (var db = harness.Database.CreateContext())
        {
            var delivery = await db.WebhookDeliveries.AsNoTracking().SingleAsync();
            Assert.Equal((WebhookDeliveryState.Pending, 1, (short?)500), (delivery.State, delivery.Attempts, delivery.LastHttpStatus));
            var wait = DateTime.SpecifyKind(delivery.NextAttemptAt, DateTimeKind.Utc) - harness.Now;
            Assert.InRange(wait.TotalSeconds, 5 * 0.8 - 0.5, 5 * 1.2 + 0.5); // 5 s ± 20% jitter
        }
        Assert.Equal(0, await drain.DrainAsync(CancellationToken.None)); // not due yet

        harness.Time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(1, await drain.DrainAsync(CancellationToken.None)); // 302: not a 2xx, so not delivered
        harness.Time.Advance(TimeSpan.FromMinutes(7));
        Assert.Equal(1, await drain.DrainAsync(CancellationToken.None));

        var ids = receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct().ToList();
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Single(ids);
        await using var check = harness.Database.CreateContext();
        Assert.Equal(WebhookDeliveryState.Succeeded, (await check.WebhookDeliveries.SingleAsync()).State);
        Assert.Equal([false, false, true], await check.WebhookAttempts.OrderBy(a => a.Attempt).Select(a => a.Succeeded).ToListAsync());
    }

    [StoreFact]
    public async Task Drain_Gone_DisablesTheEndpointAndCancelsItsBacklog()
    {
        await using var harness = await HarnessAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(410);
        var tenant = await harness.TenantAsync("t-gone");
        var (endpointId, _) = await harness.EndpointAsync(tenant, receiver.Origin);
        var outbox = harness.Get<IWebhookOutbox>();
        await outbox.EnqueueAsync(tenant, "test.event", new { n = 1 }, "gone-1");
        await harness.Get<WebhookDrain>().DrainAsync(CancellationToken.None);
        await outbox.EnqueueAsync(tenant, "test.event", new { n = 2 }, "gone-2"); // after disabling: no delivery at all

        await using var db = harness.Database.CreateContext();
        var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.Id == endpointId);
        Assert.NotNull(endpoint.DisabledAt);
        Assert.Equal(WebhookDeliveryState.Cancelled, (await db.WebhookDeliveries.SingleAsync()).State);
        Assert.Single(receiver.Requests);
    }

    [StoreFact]
    public async Task Drain_LeaseHeldByAnother_IsNotSentUntilItRunsOut()
    {
        await using var harness = await HarnessAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await harness.TenantAsync("t-lease");
        await harness.EndpointAsync(tenant, receiver.Origin);
        await harness.Get<IWebhookOutbox>().EnqueueAsync(tenant, "test.event", new { n = 1 }, "lease-1");
        await using (var db = harness.Database.CreateContext())
        {
            // A drain claimed it and died mid-send.
            var until = harness.Now.AddMinutes(2);
            var owner = Guid.NewGuid();
            await db.WebhookDeliveries.ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, until).SetProperty(d => d.LeaseOwner, owner));
        }
        var drain = harness.Get<WebhookDrain>();
        Assert.Equal(0, await drain.DrainAsync(CancellationToken.None));
        Assert.Empty(receiver.Requests);
        harness.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await drain.DrainAsync(CancellationToken.None));
        Assert.Single(receiver.Requests);
    }

    [StoreFact]
    public async Task Drain_AfterRotation_SignsWithBothSecretsUntilTheOverlapEnds()
    {
        await using var harness = await HarnessAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await harness.TenantAsync("t-rotate");
        var (endpointId, oldSecret) = await harness.EndpointAsync(tenant, receiver.Origin);
        var secrets = harness.Get<WebhookSecrets>();
        var newSecret = WebhookSignature.NewSecret();
        await using (var db = harness.Database.CreateContext())
        {
            var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.Id == endpointId);
            endpoint.ProtectedSecrets = secrets.Protect(WebhookSecrets.Rotate(secrets.Unprotect(endpoint.ProtectedSecrets), newSecret, harness.Now, TimeSpan.FromHours(24)));
            await db.SaveChangesAsync();
        }
        var outbox = harness.Get<IWebhookOutbox>();
        await outbox.EnqueueAsync(tenant, "test.event", new { n = 1 }, "rot-1");
        await harness.Get<WebhookDrain>().DrainAsync(CancellationToken.None);
        var first = receiver.Requests.Single();
        Assert.Equal(2, first.Headers["webhook-signature"].Split(' ').Length);
        Assert.True(Verifies(first, oldSecret, harness.Now));
        Assert.True(Verifies(first, newSecret, harness.Now));

        harness.Time.Advance(TimeSpan.FromHours(25));
        await outbox.EnqueueAsync(tenant, "test.event", new { n = 2 }, "rot-2");
        await harness.Get<WebhookDrain>().DrainAsync(CancellationToken.None);
        var second = receiver.Requests.Last();
        Assert.Single(second.Headers["webhook-signature"].Split(' '));
        Assert.False(Verifies(second, oldSecret, harness.Now));
        Assert.True(Verifies(second, newSecret, harness.Now));
    }

    [StoreFact]
    public async Task AlertJob_ProviderBurningBudget_OpensOneAlert_DeliversToSlackAndTeamsFormats_AndReRunsAddNothing()
    {
        await using var harness = await HarnessAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Check = (path, body) =>
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return path switch
            {
                "/slack" when !root.TryGetProperty("text", out _) || root.GetProperty("blocks")[0].GetProperty("type").GetString() != "header"
                    || root.GetProperty("blocks")[1].GetProperty("text").GetProperty("type").GetString() != "mrkdwn" => "not Slack blocks",
                "/teams" when root.GetProperty("type").GetString() != "message"
                    || root.GetProperty("attachments")[0].GetProperty("contentType").GetString() != "application/vnd.microsoft.card.adaptive"
                    || root.GetProperty("attachments")[0].GetProperty("content").GetProperty("type").GetString() != "AdaptiveCard"
                    || root.GetProperty("attachments")[0].GetProperty("content").GetProperty("body")[2].GetProperty("type").GetString() != "FactSet" => "not an Adaptive Card message",
                "/standard" when root.GetProperty("type").GetString() != "alert.opened" => "not the alert event",
                _ => null,
            };
        };
        var tenant = await harness.TenantAsync("t-alerts");
        await harness.EndpointAsync(tenant, new Uri(receiver.Origin, "/standard"));
        await harness.EndpointAsync(tenant, new Uri(receiver.Origin, "/slack"), WebhookEndpointFormat.Slack);
        await harness.EndpointAsync(tenant, new Uri(receiver.Origin, "/teams"), WebhookEndpointFormat.Teams);
        var minute = AlertInputs.FloorMinute(harness.Now);
        await using (var db = harness.Database.CreateContext())
        {
            // The last hour of provider 1 at 2% errors: 20x the 0.1% budget, over the 14.4x page threshold.
            for (var i = 1; i <= 60; i++)
                db.ProviderRollups.Add(new ProviderRollup { TenantId = tenant, ProviderId = 1, BucketStart = minute.AddMinutes(-i), Resource = "contacts", Requests = 100, Errors = 2 });
            await db.SaveChangesAsync();
        }
        var evaluator = harness.Get<AlertEvaluator>();
        var changes = await evaluator.EvaluateAsync(tenant, CancellationToken.None);
        var opened = changes.Where(c => c.Kind == AlertChangeKind.Opened).Select(c => c.Alert).ToList();
        Assert.Contains(opened, a => a.DedupKey == "burn-rate:page:provider:1" && a.Severity == AlertSeverity.Page);
        Assert.Contains(opened, a => a.DedupKey == "rollback:error-rate:provider:1"); // 2% > 1% for 60 minutes

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await evaluator.EvaluateAsync(tenant, CancellationToken.None);
        Assert.DoesNotContain(again, c => c.Kind == AlertChangeKind.Opened);
        await harness.Get<WebhookDrain>().DrainAsync(CancellationToken.None);

        await using var check = harness.Database.CreateContext();
        Assert.Equal(opened.Count, await check.Alerts.CountAsync(a => a.TenantId == tenant));
        Assert.Equal(opened.Count, await check.WebhookMessages.CountAsync(m => m.TenantId == tenant));
        Assert.Equal(3 * opened.Count, receiver.Requests.Count);
        Assert.All(await check.WebhookDeliveries.ToListAsync(), d => Assert.Equal(WebhookDeliveryState.Succeeded, d.State));
    }
}

public sealed class SqliteWebhookOutboxTests : WebhookOutboxSuite
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedSqliteAsync();
}

public sealed class PostgresWebhookOutboxTests : WebhookOutboxSuite, IRequiresPostgres
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedPostgresAsync();
}
