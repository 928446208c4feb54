using System.Net;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Tests.Subscriptions;

/// <summary>
/// E-mail subscriptions end to end against a real SMTP server: the confirmation mail's link followed over HTTP (single
/// use, expiring), nothing for unconfirmed addresses, notification mails with RFC 8058 one-click unsubscribe headers
/// whose POST unsubscribes, idempotent re-runs, the no-JavaScript form, and repeated subscriptions that tell nothing.
/// </summary>
public sealed class EmailSubscriptionTests
{
    [SmtpFact]
    public async Task Subscribe_ConfirmNotifyUnsubscribe_OverRealSmtp()
    {
        await using var world = await SubscriptionWorld.StartAsync();
        var answer = await world.SubscribeEmailAsync("Ann@Example.com", world.SalesforceId);
        Assert.Equal("pending", answer.GetProperty("status").GetString());

        // Unconfirmed: an incident is planned while the confirmation waits, and only the confirmation is sent.
        var first = await world.OpenIncidentAsync("Contacts sync failing", world.SalesforceId);
        await world.RunNotificationsAsync();
        var confirmation = Assert.Single(world.Smtp.TakeNew());
        Assert.Equal("ann@example.com", confirmation.To.Mailboxes.Single().Address);
        Assert.Equal("status@acme.example", confirmation.From.Mailboxes.Single().Address);
        Assert.Contains("Confirm", confirmation.Subject);
        Assert.Null(confirmation.Headers["List-Unsubscribe"]);

        var link = SubscriptionWorld.LinkIn(confirmation, "confirm");
        using (var confirmed = await world.Anonymous.GetAsync(SubscriptionWorld.Local(link)))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
            Assert.Contains("Subscription confirmed", await confirmed.Content.ReadAsStringAsync());
        }
        // Single use.
        using (var again = await world.Anonymous.GetAsync(SubscriptionWorld.Local(link)))
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(world.Smtp.TakeNew()); // the update planned before confirmation stays unsent

        // Confirmed: the resolution of that incident reaches the address, with one-click unsubscribe headers.
        await world.ResolveAsync(first.GetProperty("id").GetInt32());
        await world.RunNotificationsAsync();
        var resolved = Assert.Single(world.Smtp.TakeNew());
        Assert.Equal("[Acme] Resolved: Contacts sync failing", resolved.Subject);
        Assert.Contains("Fixed.", resolved.TextBody);
        Assert.Contains("Salesforce contacts: operational", resolved.TextBody);
        var unsubscribe = SubscriptionWorld.LinkIn(resolved, "unsubscribe");
        Assert.Equal($"<{unsubscribe}>", resolved.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", resolved.Headers["List-Unsubscribe-Post"]);

        // Re-running the jobs sends nothing twice.
        await world.RunNotificationsAsync();
        Assert.Empty(world.Smtp.TakeNew());

        // Another component's incident does not reach a subscriber of Salesforce only.
        await world.OpenIncidentAsync("HubSpot slow", world.HubSpotId, "degraded_performance");
        await world.RunNotificationsAsync();
        Assert.Empty(world.Smtp.TakeNew());

        // GET on the link only shows the button (mail scanners follow links); the RFC 8058 POST unsubscribes, no login.
        using (var page = await world.Anonymous.GetAsync(SubscriptionWorld.Local(unsubscribe)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync());
        }
        Assert.Null(await world.Host.QueryAsync(db => db.StatusSubscribers.Select(s => s.DisabledAt).SingleAsync()));
        using (var oneClick = await world.Anonymous.PostAsync(SubscriptionWorld.Local(unsubscribe),
                   new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
        {
            Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
            Assert.Contains("Unsubscribed", await oneClick.Content.ReadAsStringAsync());
        }
        await world.OpenIncidentAsync("Contacts again", world.SalesforceId);
        await world.RunNotificationsAsync();
        Assert.Empty(world.Smtp.TakeNew());
        Assert.Equal(2, world.Smtp.All().Count); // the confirmation and the resolution, nothing after unsubscribing
    }

    [SmtpFact]
    public async Task Subscribe_Repeated_AnswersAlikeAndSendsNoSecondMailSoon()
    {
        await using var world = await SubscriptionWorld.StartAsync();
        await world.ConfirmedEmailAsync("known@example.com");
        var known = await world.SubscribeEmailAsync("known@example.com");
        var unknown = await world.SubscribeEmailAsync("new@example.com");
        Assert.Equal(unknown.GetRawText(), known.GetRawText()); // nothing tells whether an address is subscribed
        await world.SubscribeEmailAsync("new@example.com"); // within ResendAfter: no second confirmation
        await world.RunNotificationsAsync();
        var mail = Assert.Single(world.Smtp.TakeNew());
        Assert.Equal("new@example.com", mail.To.Mailboxes.Single().Address);

        // After ResendAfter a new link goes out, and the old one no longer works.
        var old = SubscriptionWorld.LinkIn(mail, "confirm");
        world.Host.Time.Advance(TimeSpan.FromMinutes(6));
        await world.SubscribeEmailAsync("new@example.com");
        await world.RunNotificationsAsync();
        var fresh = SubscriptionWorld.LinkIn(Assert.Single(world.Smtp.TakeNew()), "confirm");
        Assert.NotEqual(old, fresh);
        using (var stale = await world.Anonymous.GetAsync(SubscriptionWorld.Local(old))) Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
        using (var ok = await world.Anonymous.GetAsync(SubscriptionWorld.Local(fresh))) Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(2, await world.Host.QueryAsync(db => db.StatusSubscribers.CountAsync(s => s.ConfirmedAt != null)));
    }

    [SmtpFact]
    public async Task Confirm_AfterLifetime_IsRefused()
    {
        await using var world = await SubscriptionWorld.StartAsync(new Dictionary<string, string?> { ["StatusPage:Subscriptions:ConfirmationLifetime"] = "01:00:00" });
        await world.SubscribeEmailAsync("late@example.com");
        await world.RunNotificationsAsync();
        var link = SubscriptionWorld.LinkIn(Assert.Single(world.Smtp.TakeNew()), "confirm");
        world.Host.Time.Advance(TimeSpan.FromMinutes(61));
        using var response = await world.Anonymous.GetAsync(SubscriptionWorld.Local(link));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(await world.Host.QueryAsync(db => db.StatusSubscribers.Select(s => s.ConfirmedAt).SingleAsync()));
    }

    [SmtpFact]
    public async Task Form_WithoutJavaScript_SubscribesWithChosenComponents()
    {
        await using var world = await SubscriptionWorld.StartAsync();
        var html = await world.Anonymous.GetStringAsync("/pages/acme");
        Assert.Contains("<form method=\"post\" action=\"/pages/acme/subscribers\"", html);
        Assert.Contains($"name=\"component\" value=\"{world.HubSpotId}\"", html);

        using var response = await world.Anonymous.PostAsync("/pages/acme/subscribers", new FormUrlEncodedContent(
            [new("email", "form@example.com"), new("component", world.HubSpotId.ToString())]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Check your inbox", await response.Content.ReadAsStringAsync());
        var row = await world.Host.QueryAsync(db => db.StatusSubscribers.AsNoTracking().SingleAsync());
        Assert.Equal(world.HubSpotId.ToString(), row.ComponentIds);
        Assert.Equal(SubscriberKind.Email, row.Kind);
        await world.RunNotificationsAsync();
        Assert.Single(world.Smtp.TakeNew());
    }

    [SmtpFact]
    public async Task Mail_RefusedPermanently_IsNotRetried()
    {
        await using var world = await SubscriptionWorld.StartAsync();
        await world.SubscribeEmailAsync("nobody@reject.example");
        await world.RunNotificationsAsync();
        Assert.Empty(world.Smtp.TakeNew());
        var row = await world.Host.QueryAsync(db => db.StatusNotifications.AsNoTracking().SingleAsync());
        Assert.NotNull(row.FailedAt);
        Assert.Null(row.DeliveredAt);
        Assert.Equal(1, row.Attempts);
    }

    [SmtpFact]
    public async Task Mail_SmtpDown_WaitsAndIsSentLater()
    {
        await using var world = await SubscriptionWorld.StartAsync(new Dictionary<string, string?> { ["StatusPage:Subscriptions:Smtp:Port"] = "1" });
        await world.SubscribeEmailAsync("wait@example.com");
        await world.RunNotificationsAsync();
        var row = await world.Host.QueryAsync(db => db.StatusNotifications.AsNoTracking().SingleAsync());
        Assert.Null(row.DeliveredAt);
        Assert.Null(row.FailedAt);
        Assert.Equal(1, row.Attempts);
        Assert.True(row.NextAttemptAt > world.Host.Time.GetUtcNow().UtcDateTime, "The retry is scheduled later, not at once.");
        Assert.Null(row.LeaseUntil);
    }
}
