using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHealth.Analytics.Rollups;
using IntegrationHealth.Analytics.Tests.Signals;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.StatusPage.Derivation;
using IntegrationHealth.StatusPage.Subscriptions;
using IntegrationHealth.Web.Webhooks;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace IntegrationHealth.StatusPage.Tests.Subscriptions;

/// <summary>
/// The real application on 127.0.0.1 with a real SMTP server (<see cref="SmtpSink"/>) and a real webhook receiver
/// (Kestrel), tenant "acme" with page "acme" and two components: "Salesforce contacts" (driven by salesforce's
/// contacts telemetry) and "HubSpot" (manual). Links in mail start with <see cref="PublicBase"/>, the configured
/// public URL; <see cref="Local"/> turns one into a path on the test host.
/// </summary>
public sealed partial class SubscriptionWorld : IAsyncDisposable
{
    public const string PublicBase = "https://status.acme.example";

    private SubscriptionWorld(StatusTestHost host, SmtpSink smtp, WebhookReceiver receiver, HttpClient admin, int tenantId, int salesforce, int hubspot)
    {
        Host = host;
        Smtp = smtp;
        Receiver = receiver;
        Admin = admin;
        TenantId = tenantId;
        SalesforceId = salesforce;
        HubSpotId = hubspot;
        Anonymous = host.Client();
    }

    public StatusTestHost Host { get; }
    public SmtpSink Smtp { get; }
    public WebhookReceiver Receiver { get; }
    public HttpClient Admin { get; }
    public HttpClient Anonymous { get; }
    public int TenantId { get; }
    public int SalesforceId { get; }
    public int HubSpotId { get; }

    public static async Task<SubscriptionWorld> StartAsync(IDictionary<string, string?>? settings = null, bool realClock = false, TestDatabase? database = null)
    {
        var smtp = await SmtpSink.StartAsync();
        var receiver = await WebhookReceiver.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["StatusPage:Subscriptions:PublicBaseUrl"] = PublicBase,
            ["StatusPage:Subscriptions:Smtp:Host"] = "127.0.0.1",
            ["StatusPage:Subscriptions:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["StatusPage:Subscriptions:Smtp:Tls"] = "None",
            ["StatusPage:Subscriptions:Smtp:From"] = "Acme Status <status@acme.example>",
            ["Webhooks:AllowPrivateAddresses"] = "true",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>()) values[name] = value;
        var host = await StatusTestHost.StartAsync(values, database);
        // The official verifier checks timestamps against the real clock: move the fake one there (it only goes forward).
        if (realClock) host.Time.SetUtcNow(DateTimeOffset.UtcNow);
        var key = await host.CreateKeyAsync("acme", ApiKeyScopes.Admin | ApiKeyScopes.Read);
        var tenantId = await host.QueryAsync(db => db.Tenants.Where(t => t.Key == "acme").Select(t => t.Id).SingleAsync());
        var admin = host.Client(key);
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", """{"slug":"acme","name":"Acme"}""", 200);
        var salesforce = await Http.PostAsync(admin, "/v1/status-page/components", """{"name":"Salesforce contacts","provider":"salesforce","resource":"contacts"}""");
        var hubspot = await Http.PostAsync(admin, "/v1/status-page/components", """{"name":"HubSpot"}""");
        return new SubscriptionWorld(host, smtp, receiver, admin, tenantId, salesforce.GetProperty("id").GetInt32(), hubspot.GetProperty("id").GetInt32());
    }

    /// <summary>What the Hangfire jobs do every minute: plan and send mail, then deliver webhooks.</summary>
    public async Task RunNotificationsAsync()
    {
        await Host.Services.GetRequiredService<StatusNotificationJob>().RunAsync(CancellationToken.None);
        await Host.Services.GetRequiredService<WebhookDrain>().DrainAsync(CancellationToken.None);
    }

    /// <summary>One minute of salesforce contacts requests (as ComponentStatusJobTests posts them), then the rollup,
    /// status and notification jobs, then a minute passes.</summary>
    public async Task MinuteAsync(int requests, int errors)
    {
        var end = Host.Time.GetUtcNow().UtcDateTime;
        var events = new List<TelemetryEvent>();
        for (var i = 0; i < requests; i++)
        {
            var failed = i < errors;
            events.Add(new TelemetryEvent
            {
                Id = Guid.CreateVersion7(), OccurredAt = end.AddSeconds(-60 + i * 59.0 / requests), TenantId = TenantId, AccountId = 1, ProviderId = 1,
                Kind = TelemetryKind.Request, Outcome = failed ? TelemetryOutcome.Failure : TelemetryOutcome.Success,
                ErrorClass = failed ? ErrorClass.Server5xx : ErrorClass.None, Method = HttpMethodCode.Get, HttpStatus = (short)(failed ? 503 : 200),
                LatencyMs = 150, Resource = "contacts",
            });
        }
        await Host.Services.GetRequiredService<ITelemetryWriter>().WriteAsync(events);
        await Host.Services.GetRequiredService<RollupJob>().RunAsync(CancellationToken.None);
        await Host.Services.GetRequiredService<ComponentStatusJob>().RunAsync(CancellationToken.None);
        await RunNotificationsAsync();
        Host.Time.Advance(TimeSpan.FromMinutes(1));
    }

    public async Task<JsonElement> SubscribeEmailAsync(string email, params int[] components)
    {
        var list = components.Length == 0 ? "" : $$""","components":[{{string.Join(',', components)}}]""";
        return await Http.PostAsync(Anonymous, "/pages/acme/subscribers", $$"""{"email":"{{email}}"{{list}}}""", 202);
    }

    /// <summary>Subscribes the receiver at <paramref name="path"/>; returns the created subscription (secret, links).</summary>
    public async Task<JsonElement> SubscribeWebhookAsync(string path, params int[] components)
    {
        var list = components.Length == 0 ? "" : $$""","components":[{{string.Join(',', components)}}]""";
        return await Http.PostAsync(Anonymous, "/pages/acme/subscribers", $$"""{"webhookUrl":"{{new Uri(Receiver.Origin, path)}}"{{list}}}""");
    }

    /// <summary>Subscribes and confirms <paramref name="email"/> through the real confirmation mail.</summary>
    public async Task ConfirmedEmailAsync(string email, params int[] components)
    {
        await SubscribeEmailAsync(email, components);
        await RunNotificationsAsync();
        var mail = Assert.Single(Smtp.TakeNew(), m => m.To.Mailboxes.Single().Address == email);
        using var response = await Anonymous.GetAsync(Local(LinkIn(mail, "confirm")));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The first link of <paramref name="kind"/> (confirm, unsubscribe) in a mail's text.</summary>
    public static string LinkIn(MimeMessage mail, string kind)
    {
        var match = Regex.Match(mail.TextBody ?? "", $@"{Regex.Escape(PublicBase)}/pages/acme/subscribers/{kind}\?token=[A-Za-z0-9_-]+");
        Assert.True(match.Success, $"No {kind} link in: {mail.TextBody}");
        return match.Value;
    }

    /// <summary>A public link as a path on the test host (the service's public URL fronts it).</summary>
    public static string Local(string link)
    {
        Assert.StartsWith(PublicBase + "/", link);
        return link[PublicBase.Length..];
    }

    public Task<JsonElement> OpenIncidentAsync(string name, int componentId, string status = "major_outage") =>
        Http.PostAsync(Admin, "/v1/status-page/incidents",
            $$"""{"name":"{{name}}","status":"investigating","impact":"major","body":"We are looking into it.","components":[{"id":{{componentId}},"status":"{{status}}"}]}""");

    public Task<JsonElement> ResolveAsync(int incidentId) =>
        Http.PostAsync(Admin, $"/v1/status-page/incidents/{incidentId}/updates", """{"status":"resolved","body":"Fixed."}""", 200);

    /// <summary>Verifies received webhooks with the official standardwebhooks npm library (tests/webhooks/verify.mjs);
    /// <paramref name="checkTimestamp"/> false checks the signatures alone (the app's clock is a fake one).</summary>
    public static void VerifyWithOfficialLibrary(IEnumerable<WebhookReceiver.Received> received, string secret, bool checkTimestamp)
    {
        var items = received.Select(r => new
        {
            secret, skipTimestamp = !checkTimestamp, body = r.Body,
            headers = new Dictionary<string, string>
            {
                ["webhook-id"] = r.Headers["webhook-id"], ["webhook-timestamp"] = r.Headers["webhook-timestamp"], ["webhook-signature"] = r.Headers["webhook-signature"],
            },
        }).ToList();
        Assert.NotEmpty(items);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, JsonSerializer.Serialize(items));
            var (exit, output) = IntegrationHealth.Testing.NodeScripts.Run("webhooks", TimeSpan.FromSeconds(60), "verify.mjs", file);
            Assert.True(exit == 0, output);
            Assert.Equal(string.Join('\n', items.Select(_ => "ok")), output.ReplaceLineEndings("\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Anonymous.Dispose();
        await Host.DisposeAsync();
        await Receiver.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
