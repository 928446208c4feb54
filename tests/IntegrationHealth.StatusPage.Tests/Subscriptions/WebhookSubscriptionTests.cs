using System.Net;
using System.Text.Json;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Tests.Subscriptions;

/// <summary>
/// Webhook subscribers on the shared signed outbox, against a real Kestrel receiver, with payloads verified by the
/// official standardwebhooks npm library: signatures (also two during a secret rotation), retries with a stable
/// <c>webhook-id</c>, 410 disabling, a <c>webhook_delivery</c> telemetry event per attempt; and the whole path from
/// degrading telemetry to mail and webhook notifications and back.
/// </summary>
public sealed class WebhookSubscriptionTests
{
    [SmtpFact(node: true)]
    public async Task Webhook_SignedPerStandardWebhooks_RotationSignsWithBoth_AttemptsAreTelemetry()
    {
        await using var world = await SubscriptionWorld.StartAsync(realClock: true);
        var created = await world.SubscribeWebhookAsync("/hooks/acme");
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        Assert.StartsWith(SubscriptionWorld.PublicBase + "/pages/acme/subscribers/unsubscribe?token=", created.GetProperty("unsubscribeUrl").GetString());
        // The tenant's own endpoint list does not show its customers' endpoints.
        Assert.Equal(0, (await Http.GetAsync(world.Admin, "/v1/webhook-endpoints")).GetArrayLength());
        var listed = (await Http.GetAsync(world.Admin, "/v1/status-page/subscribers"))[0];
        Assert.DoesNotContain("secret", listed.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("token", listed.GetRawText(), StringComparison.OrdinalIgnoreCase);

        var incident = await world.OpenIncidentAsync("Contacts sync failing", world.SalesforceId);
        await world.RunNotificationsAsync();
        var opened = Assert.Single(world.Receiver.Requests);
        Assert.Equal("/hooks/acme", opened.Path);
        SubscriptionWorld.VerifyWithOfficialLibrary([opened], secret, checkTimestamp: true);
        using (var body = JsonDocument.Parse(opened.Body))
        {
            Assert.Equal("incident.created", body.RootElement.GetProperty("type").GetString());
            var data = body.RootElement.GetProperty("data");
            Assert.Equal("Contacts sync failing", data.GetProperty("incident").GetProperty("name").GetString());
            Assert.Equal("investigating", data.GetProperty("incident").GetProperty("status").GetString());
            Assert.Equal("major_outage", data.GetProperty("components")[0].GetProperty("new_status").GetString());
            Assert.Equal("acme", data.GetProperty("page").GetProperty("slug").GetString());
        }

        // Rotation: the new secret is shown once; until the overlap ends both sign, and the library accepts either.
        using var rotate = await world.Anonymous.PostAsync(SubscriptionWorld.Local(created.GetProperty("rotateSecretUrl").GetString()!), null);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var fresh = JsonDocument.Parse(await rotate.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString()!;
        Assert.NotEqual(secret, fresh);
        await world.ResolveAsync(incident.GetProperty("id").GetInt32());
        await world.RunNotificationsAsync();
        var resolved = world.Receiver.Requests.Last();
        Assert.Equal(2, resolved.Headers["webhook-signature"].Split(' ').Length);
        SubscriptionWorld.VerifyWithOfficialLibrary([resolved], fresh, checkTimestamp: true);
        SubscriptionWorld.VerifyWithOfficialLibrary([resolved], secret, checkTimestamp: true);
        Assert.Contains("\"incident.resolved\"", resolved.Body);

        // Every attempt is a webhook_delivery event of the tenant, with the fields analytics folds.
        var events = await world.Host.QueryAsync(db => (from e in db.TelemetryEvents.AsNoTracking()
                                                        join p in db.Providers on e.ProviderId equals p.Id
                                                        where e.TenantId == world.TenantId && e.Kind == TelemetryKind.WebhookDelivery
                                                        orderby e.OccurredAt
                                                        select new { e.Outcome, e.HttpStatus, e.Resource, p.Key, p.TenantId, e.Records }).ToListAsync());
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal((WebhookDeliveryTelemetry.ProviderKey, (int?)world.TenantId, TelemetryOutcome.Success, (short?)200, (int?)1),
            (e.Key, e.TenantId, e.Outcome, e.HttpStatus, e.Records)));
        Assert.Equal(["incident.created", "incident.resolved"], events.Select(e => e.Resource));
    }

    [SmtpFact(node: true)]
    public async Task Webhook_FailureRetriedWithSameId_410Disables()
    {
        await using var world = await SubscriptionWorld.StartAsync();
        var secret = (await world.SubscribeWebhookAsync("/hooks/flaky", world.HubSpotId)).GetProperty("secret").GetString()!;
        world.Receiver.Answer(500);
        await world.OpenIncidentAsync("HubSpot down", world.HubSpotId);
        await world.RunNotificationsAsync();
        Assert.Single(world.Receiver.Requests);
        await world.RunNotificationsAsync(); // not due yet: the schedule waits ~5 s after the first failure
        Assert.Single(world.Receiver.Requests);
        world.Host.Time.Advance(TimeSpan.FromSeconds(7));
        await world.RunNotificationsAsync();
        var attempts = world.Receiver.Requests.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].Headers["webhook-id"], attempts[1].Headers["webhook-id"]);
        Assert.Equal(attempts[0].Body, attempts[1].Body);
        SubscriptionWorld.VerifyWithOfficialLibrary(attempts, secret, checkTimestamp: false);
        var outcomes = await world.Host.QueryAsync(db => db.TelemetryEvents.AsNoTracking().Where(e => e.Kind == TelemetryKind.WebhookDelivery)
            .OrderBy(e => e.OccurredAt).Select(e => new { e.Outcome, e.ErrorClass, e.HttpStatus }).ToListAsync());
        Assert.Equal([(TelemetryOutcome.Failure, ErrorClass.Server5xx, (short?)500), (TelemetryOutcome.Success, ErrorClass.None, (short?)200)],
            outcomes.Select(o => (o.Outcome, o.ErrorClass, o.HttpStatus)));

        // 410 Gone disables the subscriber's endpoint: nothing more is sent to it.
        world.Receiver.Answer(410);
        await world.OpenIncidentAsync("HubSpot down again", world.HubSpotId);
        await world.RunNotificationsAsync();
        Assert.Equal(3, world.Receiver.Requests.Count);
        Assert.True((await Http.GetAsync(world.Admin, "/v1/status-page/subscribers"))[0].GetProperty("disabled").GetBoolean());
        await world.OpenIncidentAsync("HubSpot down a third time", world.HubSpotId);
        await world.RunNotificationsAsync();
        Assert.Equal(3, world.Receiver.Requests.Count);
    }

    /// <summary>The end-to-end path: telemetry degrades, the component follows on its own, an automatic
    /// incident opens; the page, its JSON API and its Atom feed (read by feedparser) show it, mail and webhook
    /// subscribers hear of it, and the in-app notices of an account connected to the provider carry it (of one that is
    /// not, not); the provider recovers, the page is operational again, the notice gone, the subscribers hear of the
    /// resolution.</summary>
    [SmtpFact(node: true, feedparser: true)]
    public Task Telemetry_DegradesAndRecovers_PageFeedsNoticesMailAndWebhooksFollow() => DegradeAndRecoverAsync(null);

    [SmtpFact(node: true, postgres: true, feedparser: true)]
    public async Task Telemetry_OnPostgres_DegradesAndRecovers_PageFeedsNoticesMailAndWebhooksFollow() =>
        await DegradeAndRecoverAsync(await TestDatabase.PostgresAsync());

    private static async Task DegradeAndRecoverAsync(TestDatabase? database)
    {
        await using var world = await SubscriptionWorld.StartAsync(database: database);
        await world.ConfirmedEmailAsync("ops@example.com", world.SalesforceId);
        await world.ConfirmedEmailAsync("hubspot-only@example.com", world.HubSpotId);
        var secret = (await world.SubscribeWebhookAsync("/hooks/e2e", world.SalesforceId)).GetProperty("secret").GetString()!;
        using var reader = await world.ConnectAccountsAsync();

        for (var i = 0; i < 3; i++) await world.MinuteAsync(100, 1);
        Assert.Empty(world.Smtp.TakeNew());
        Assert.Empty(world.Receiver.Requests);
        var healthy = await world.PublicViewAsync();
        Assert.Equal(("operational", SubscriptionWorld.Label(ComponentStatus.Operational)), healthy.StatusOf(world.SalesforceId));
        Assert.Empty(healthy.UnresolvedIncidents());
        Assert.Empty(await SubscriptionWorld.NoticesAsync(reader, SubscriptionWorld.ConnectedAccount));

        for (var i = 0; i < 6; i++) await world.MinuteAsync(100, 90);
        var incident = await world.Host.QueryAsync(db => db.StatusIncidents.AsNoTracking().SingleAsync(i => i.Automatic));
        Assert.Null(incident.ResolvedAt);
        var mails = world.Smtp.TakeNew();
        Assert.NotEmpty(mails);
        Assert.All(mails, m => Assert.Equal("ops@example.com", m.To.Mailboxes.Single().Address));
        Assert.Contains(mails, m => m.Subject == $"[Acme] New incident: {incident.Name}" && m.Headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click");
        Assert.Contains(world.Receiver.Requests, r => r.Body.Contains("\"incident.created\"", StringComparison.Ordinal));

        // While degraded: the JSON API, the HTML page and the feed show it; the connected account's notices carry it.
        var component = await world.Host.QueryAsync(db => db.StatusComponents.AsNoTracking().SingleAsync(c => c.Id == world.SalesforceId));
        Assert.NotEqual(ComponentStatus.Operational, component.Status);
        var degraded = await world.PublicViewAsync();
        var (wire, shown) = degraded.StatusOf(world.SalesforceId);
        Assert.NotEqual("operational", wire);
        Assert.Equal(SubscriptionWorld.Label(component.Status), shown);
        Assert.Equal([incident.Name], degraded.UnresolvedIncidents());
        Assert.NotEqual("none", degraded.Summary.GetProperty("status").GetProperty("indicator").GetString());
        Assert.Contains(System.Net.WebUtility.HtmlEncode(incident.Name), degraded.Html);
        Assert.Contains(incident.Name, degraded.FeedEntries());
        var notice = Assert.Single(await SubscriptionWorld.NoticesAsync(reader, SubscriptionWorld.ConnectedAccount));
        Assert.Equal((incident.Id.ToString(), "incident", incident.Name), (notice.GetProperty("id").GetString(), notice.GetProperty("kind").GetString(), notice.GetProperty("title").GetString()));
        Assert.Equal(["salesforce"], notice.GetProperty("providers").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(wire, notice.GetProperty("components")[0].GetProperty("status").GetString());
        Assert.Empty(await SubscriptionWorld.NoticesAsync(reader, SubscriptionWorld.UnaffectedAccount));

        var recovered = 0;
        while (await world.Host.QueryAsync(db => db.StatusIncidents.AsNoTracking().Where(i => i.Id == incident.Id).Select(i => i.ResolvedAt).SingleAsync()) is null)
        {
            await world.MinuteAsync(100, 0);
            Assert.True(++recovered <= 12, "The incident was not resolved after recovery.");
        }
        await world.RunNotificationsAsync();
        var after = world.Smtp.TakeNew();
        Assert.Contains(after, m => m.Subject == $"[Acme] Resolved: {incident.Name}" && m.To.Mailboxes.Single().Address == "ops@example.com");
        Assert.DoesNotContain(world.Smtp.All(), m => m.To.Mailboxes.Single().Address == "hubspot-only@example.com" && !m.Subject!.Contains("Confirm", StringComparison.Ordinal));
        Assert.Contains(world.Receiver.Requests, r => r.Body.Contains("\"incident.resolved\"", StringComparison.Ordinal));
        SubscriptionWorld.VerifyWithOfficialLibrary(world.Receiver.Requests, secret, checkTimestamp: false);
        // At least once, never twice: one message per update, each delivered once (the receiver answered 200).
        Assert.Equal(world.Receiver.Requests.Count, world.Receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct().Count());

        // After recovery: operational again everywhere, the incident still in the feed's history, the notice gone
        // (notices list unresolved incidents only).
        var recoveredView = await world.PublicViewAsync();
        Assert.Equal(("operational", SubscriptionWorld.Label(ComponentStatus.Operational)), recoveredView.StatusOf(world.SalesforceId));
        Assert.Empty(recoveredView.UnresolvedIncidents());
        Assert.Equal("none", recoveredView.Summary.GetProperty("status").GetProperty("indicator").GetString());
        Assert.Contains(incident.Name, recoveredView.FeedEntries());
        Assert.Empty(await SubscriptionWorld.NoticesAsync(reader, SubscriptionWorld.ConnectedAccount));
        Assert.Empty(await SubscriptionWorld.NoticesAsync(reader, SubscriptionWorld.UnaffectedAccount));
    }
}
