using System.Text;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Admin;
using IntegrationHealth.StatusPage.Html;
using IntegrationHealth.StatusPage.Public;
using IntegrationHealth.Web.Http;
using IntegrationHealth.Web.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Subscriptions;

/// <summary>
/// The public subscription endpoints (no key) under <c>/pages/{slug}/subscribers</c>: subscribe by e-mail (double
/// opt-in: a confirmation mail with a single-use, expiring link; the answer is the same whether or not the address was
/// known) or by webhook (HTTPS, public addresses only unless <c>Webhooks:AllowPrivateAddresses</c>; the signing secret
/// is shown once), confirm, unsubscribe in one click (RFC 8058: a POST to the link, no login) and rotate a webhook's
/// secret. The links carry the subscriber's token, the only credential there is.
/// </summary>
public static class SubscribeApi
{
    private static readonly string[] Fields = ["email", "webhookUrl", "components"];
    private const int MaxComponents = 200;

    public static IEndpointRouteBuilder MapSubscribeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/pages/{slug}/subscribers").WithTags("Status page (public)").AllowAnonymous();
        api.MapPost("", Subscribe).WithName("SubscribeToStatusPage")
            .WithSummary("Subscribe by e-mail (a confirmation mail follows; HTML answer for the page's form) or by webhook (the signing secret is in the answer, once)")
            .Accepts<SubscribeRequest>("application/json", "application/x-www-form-urlencoded")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/html")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(415).ProducesProblem(429);
        api.MapGet("/confirm", Confirm).WithName("ConfirmStatusSubscription")
            .WithSummary("Confirm an e-mail subscription (the link of the confirmation mail; single use, expires)")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/html").ProducesProblem(404);
        api.MapGet("/unsubscribe", UnsubscribePage).WithName("StatusUnsubscribePage")
            .WithSummary("The unsubscribe link's page: one button that unsubscribes (a GET changes nothing)")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/html").ProducesProblem(404);
        api.MapPost("/unsubscribe", Unsubscribe).WithName("StatusUnsubscribe")
            .WithSummary("Unsubscribe in one click (RFC 8058 List-Unsubscribe-Post target; no login)")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/html").ProducesProblem(404);
        api.MapPost("/rotate-secret", RotateSecret).WithName("RotateStatusWebhookSecret")
            .WithSummary("A webhook subscriber's new signing secret (shown once); the previous one keeps signing for Webhooks:RotationOverlap")
            .ProducesProblem(404);
        return app;
    }

    public static async Task<Results<Accepted<SubscriptionPending>, Created<WebhookSubscriptionCreated>, ContentHttpResult, ProblemHttpResult>> Subscribe(
        HttpContext context, string slug, [AsParameters] SubscriptionServices services)
    {
        var token = context.RequestAborted;
        var kind = FormOrJson(context.Request.ContentType);
        if (kind is null)
            return Problems.UnsupportedMediaType("Send a JSON object (application/json) or the page's form (application/x-www-form-urlencoded).");
        await using var db = await services.DbFactory.CreateDbContextAsync(token);
        var page = await db.StatusPages.AsNoTracking().FirstOrDefaultAsync(p => p.Slug == slug, token);
        if (page is null) return Problems.NotFound($"No status page '{slug}'.");

        using var raw = await RequestBody.ReadAsync(context, services.PageSettings.MaxBodyBytes, token);
        if (raw is null) return Problems.PayloadTooLarge($"The body exceeds {services.PageSettings.MaxBodyBytes} bytes (StatusPage:MaxBodyBytes).");
        var errors = new BatchErrors();
        string? email, webhookUrl;
        IReadOnlyList<int>? components;
        if (kind == "form")
        {
            Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form;
            try
            {
                form = QueryHelpers.ParseQuery(new UTF8Encoding(false, true).GetString(raw.Span));
            }
            catch (DecoderFallbackException)
            {
                return Problems.BadRequest("The form is not UTF-8.");
            }
            foreach (var name in form.Keys.Where(k => k is not ("email" or "component")))
                errors.Add(-1, name, $"Unknown field '{name}'. Accepted: email, component.");
            email = form.TryGetValue("email", out var e) ? e.ToString() : null;
            if (email is { Length: > 254 }) { errors.Add(-1, "email", "'email' is longer than 254 characters."); email = null; }
            webhookUrl = null;
            var ids = new List<int>();
            foreach (var value in form.TryGetValue("component", out var c) ? c.ToArray() : [])
            {
                if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0) ids.Add(id);
                else errors.Add(-1, "component", "'component' must be a component id.");
            }
            components = ids.Count == 0 ? null : ids.Distinct().ToList();
            if (components?.Count > MaxComponents) errors.Add(-1, "component", $"At most {MaxComponents} components.");
            if (email is null && !errors.Any) errors.Add(-1, "email", "'email' is required.");
        }
        else
        {
            using var body = Admin.JsonObjectBody.Parse(raw.Span, Fields);
            if (!body.IsObject) return AdminRequests.Invalid(body, "subscription");
            email = body.String("email", 254);
            webhookUrl = body.String("webhookUrl", 2000);
            components = body.IntArray("components", MaxComponents);
            if (email is null == (webhookUrl is null) && !body.Errors.Any)
                body.Errors.Add(-1, "email", "Give exactly one of 'email' and 'webhookUrl'.");
            foreach (var error in body.Errors.Reported) errors.Add(error.Index, error.Field, error.Message);
        }
        if (email is not null && EmailProblem(email) is { } emailProblem) errors.Add(-1, "email", emailProblem);
        if (webhookUrl is not null && WebhookUrlPolicy.Problem(webhookUrl, services.WebhookSettings.AllowPrivateAddresses) is { } urlProblem)
            errors.Add(-1, "webhookUrl", urlProblem.Replace("'url'", "'webhookUrl'", StringComparison.Ordinal));
        if (components is { Count: > 0 } && !errors.Any)
        {
            var known = await db.StatusComponents.Where(c => c.PageId == page.Id && components.Contains(c.Id)).Select(c => c.Id).ToListAsync(token);
            foreach (var unknown in components.Except(known))
                errors.Add(-1, kind == "form" ? "component" : "components", $"No component {unknown} on this page.");
        }
        if (errors.Any) return Problems.InvalidBatch(errors, "subscription", "The subscription is invalid; nothing was stored.");

        var choice = components is { Count: > 0 } ? string.Join(',', components.Order()) : null;
        if (webhookUrl is not null) return await SubscribeWebhookAsync(db, page, webhookUrl, choice, components, services, token);

        if (await SubscribeEmailAsync(db, page, email!.Trim().ToLowerInvariant(), choice, services, token) is { } refused) return refused;
        const string detail = "If the address can receive this page's notifications, a confirmation link is on its way; nothing is sent before it is followed.";
        if (kind == "form")
            return TypedResults.Content(await MessageAsync(context, page, "Check your inbox", detail), "text/html; charset=utf-8", statusCode: 200);
        return TypedResults.Accepted((string?)null, new SubscriptionPending("pending", detail));
    }

    /// <summary>Creates or renews a pending subscription; null unless refused (429). Known, confirmed addresses change
    /// nothing and get nothing, so the answer never tells whether an address is subscribed.</summary>
    private static async Task<ProblemHttpResult?> SubscribeEmailAsync(IntegrationHealthDbContext db, Data.Entities.StatusPage page, string email,
        string? choice, SubscriptionServices services, CancellationToken token)
    {
        var now = services.Now;
        var settings = services.Settings;
        var existing = await db.StatusSubscribers.FirstOrDefaultAsync(s => s.PageId == page.Id && s.Email == email, token);
        if (existing is { ConfirmedAt: not null, DisabledAt: null }) return null;
        if (existing is not null && existing.DisabledAt is null && existing.ConfirmationExpiresAt is { } expires
            && expires - settings.ConfirmationLifetime + settings.ResendAfter > now)
            return null; // a confirmation went out moments ago
        var pending = await db.StatusSubscribers.CountAsync(s => s.PageId == page.Id && s.ConfirmedAt == null && s.DisabledAt == null
            && s.ConfirmationExpiresAt > now, token);
        if (existing is null && pending >= settings.MaxPendingPerPage)
            return TypedResults.Problem(Problems.Create(StatusCodes.Status429TooManyRequests,
                "This page has too many unconfirmed subscriptions right now; try again later."));

        var confirm = SubscriberTokens.New();
        if (existing is null)
        {
            var unsubscribe = SubscriberTokens.New();
            existing = new StatusSubscriber
            {
                TenantId = page.TenantId, PageId = page.Id, Kind = SubscriberKind.Email, Email = email, CreatedAt = now,
                UnsubscribeTokenHash = SubscriberTokens.Hash(unsubscribe), ProtectedUnsubscribeToken = services.Tokens.Protect(unsubscribe),
            };
            db.StatusSubscribers.Add(existing);
        }
        // An unsubscribed address that subscribes again starts over: confirmed again before anything is sent.
        existing.DisabledAt = null;
        existing.ConfirmedAt = null;
        existing.ComponentIds = choice;
        existing.ConfirmationTokenHash = SubscriberTokens.Hash(confirm);
        existing.ConfirmationExpiresAt = now + settings.ConfirmationLifetime;
        await using var transaction = await db.Database.BeginTransactionAsync(token);
        try
        {
            await db.SaveChangesAsync(token);
        }
        catch (DbUpdateException)
        {
            return null; // the same address subscribed concurrently: that request sends the confirmation
        }
        var mail = MailContent.Confirmation(page.Name, services.Tokens.Protect(confirm), settings.ConfirmationLifetime);
        db.StatusNotifications.Add(new StatusNotification
        {
            TenantId = page.TenantId, SubscriberId = existing.Id, MessageId = "confirm-" + Guid.CreateVersion7().ToString("N"),
            EventType = "subscription.confirm", Payload = System.Text.Json.JsonSerializer.Serialize(mail, MailContent.Json),
            NextAttemptAt = now, CreatedAt = now,
        });
        await db.SaveChangesAsync(token);
        await transaction.CommitAsync(token);
        StatusPageLog.SubscriberChanged(services.Logger, page.Id, existing.Id, "asked for a confirmation");
        return null;
    }

    private static async Task<Results<Accepted<SubscriptionPending>, Created<WebhookSubscriptionCreated>, ContentHttpResult, ProblemHttpResult>> SubscribeWebhookAsync(
        IntegrationHealthDbContext db, Data.Entities.StatusPage page, string url, string? choice, IReadOnlyList<int>? components,
        SubscriptionServices services, CancellationToken token)
    {
        var now = services.Now;
        if (await db.StatusSubscribers.CountAsync(s => s.PageId == page.Id && s.Kind == SubscriberKind.Webhook && s.DisabledAt == null, token)
            >= services.Settings.MaxWebhooksPerPage)
            return TypedResults.Problem(Problems.Create(StatusCodes.Status429TooManyRequests,
                $"This page has its maximum of {services.Settings.MaxWebhooksPerPage} webhook subscribers (StatusPage:Subscriptions:MaxWebhooksPerPage)."));
        var secret = WebhookSignature.NewSecret();
        var manage = SubscriberTokens.New();
        await using var transaction = await db.Database.BeginTransactionAsync(token);
        var endpoint = new WebhookEndpoint
        {
            TenantId = page.TenantId, Audience = WebhookEndpointAudience.StatusSubscriber, Url = url, Format = WebhookEndpointFormat.Standard,
            Description = $"Status page {page.Slug} subscriber", ProtectedSecrets = services.Secrets.Protect([new WebhookSecret(secret, null)]), CreatedAt = now,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(token);
        var subscriber = new StatusSubscriber
        {
            TenantId = page.TenantId, PageId = page.Id, Kind = SubscriberKind.Webhook, WebhookUrl = url, WebhookEndpointId = endpoint.Id,
            ComponentIds = choice, ConfirmedAt = now, CreatedAt = now, UnsubscribeTokenHash = SubscriberTokens.Hash(manage),
        };
        db.StatusSubscribers.Add(subscriber);
        await db.SaveChangesAsync(token);
        await transaction.CommitAsync(token);
        StatusPageLog.SubscriberChanged(services.Logger, page.Id, subscriber.Id, "subscribed a webhook");
        var links = services.LinkBase(page.Slug);
        return TypedResults.Created((string?)null, new WebhookSubscriptionCreated(subscriber.Id, url, components is { Count: > 0 } ? components : null, secret,
            $"{links}/unsubscribe?token={manage}", $"{links}/rotate-secret?token={manage}"));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Confirm(HttpContext context, string slug, string? token,
        [AsParameters] SubscriptionServices services)
    {
        var cancel = context.RequestAborted;
        if (!SubscriberTokens.IsWellFormed(token)) return InvalidLink();
        var hash = SubscriberTokens.Hash(token!);
        var now = services.Now;
        await using var db = await services.DbFactory.CreateDbContextAsync(cancel);
        var page = await db.StatusPages.AsNoTracking().FirstOrDefaultAsync(p => p.Slug == slug, cancel);
        if (page is null) return InvalidLink();
        // Single use: the token is cleared by the same statement that confirms, so a second click finds nothing.
        var confirmed = await db.StatusSubscribers
            .Where(s => s.PageId == page.Id && s.ConfirmationTokenHash == hash && s.ConfirmationExpiresAt > now && s.DisabledAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ConfirmedAt, now).SetProperty(s => s.ConfirmationTokenHash, (string?)null)
                .SetProperty(s => s.ConfirmationExpiresAt, (DateTime?)null), cancel);
        if (confirmed == 0) return InvalidLink();
        return TypedResults.Content(await MessageAsync(context, page, "Subscription confirmed",
            $"You will receive {page.Name}'s incident and maintenance notifications. Every mail has a link to unsubscribe."), "text/html; charset=utf-8");
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> UnsubscribePage(HttpContext context, string slug, string? token,
        [AsParameters] SubscriptionServices services)
    {
        await using var db = await services.DbFactory.CreateDbContextAsync(context.RequestAborted);
        if (await FindAsync(db, slug, token, context.RequestAborted) is not { } found) return InvalidLink();
        return TypedResults.Content(await MessageAsync(context, found.Page, "Unsubscribe",
            $"Stop receiving {found.Page.Name}'s status notifications?", $"/pages/{slug}/subscribers/unsubscribe?token={token}"), "text/html; charset=utf-8");
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Unsubscribe(HttpContext context, string slug, string? token,
        [AsParameters] SubscriptionServices services)
    {
        var cancel = context.RequestAborted;
        await using var db = await services.DbFactory.CreateDbContextAsync(cancel);
        if (await FindAsync(db, slug, token, cancel) is not { } found) return InvalidLink();
        var (page, subscriber) = found;
        var now = services.Now;
        if (subscriber.DisabledAt is null)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancel);
            await db.StatusSubscribers.Where(s => s.Id == subscriber.Id && s.DisabledAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.DisabledAt, now), cancel);
            // What was planned and not sent yet is not sent.
            await db.StatusNotifications.Where(n => n.SubscriberId == subscriber.Id && n.DeliveredAt == null && n.FailedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(n => n.FailedAt, now), cancel);
            if (subscriber.WebhookEndpointId is { } endpointId)
            {
                await db.WebhookEndpoints.Where(e => e.Id == endpointId && e.DisabledAt == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(e => e.DisabledAt, now).SetProperty(e => e.DisabledReason, "unsubscribed"), cancel);
                await db.WebhookDeliveries.Where(d => d.EndpointId == endpointId && d.State == WebhookDeliveryState.Pending && d.LeaseOwner == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(d => d.State, WebhookDeliveryState.Cancelled).SetProperty(d => d.CompletedAt, now)
                        .SetProperty(d => d.LastError, "unsubscribed"), cancel);
            }
            await transaction.CommitAsync(cancel);
            StatusPageLog.SubscriberChanged(services.Logger, page.Id, subscriber.Id, "unsubscribed");
        }
        return TypedResults.Content(await MessageAsync(context, page, "Unsubscribed",
            $"You will receive no more of {page.Name}'s status notifications."), "text/html; charset=utf-8");
    }

    public static async Task<Results<Ok<WebhookSecretRotated>, ProblemHttpResult>> RotateSecret(HttpContext context, string slug, string? token,
        [AsParameters] SubscriptionServices services)
    {
        var cancel = context.RequestAborted;
        await using var db = await services.DbFactory.CreateDbContextAsync(cancel);
        if (await FindAsync(db, slug, token, cancel) is not { Subscriber: { DisabledAt: null, WebhookEndpointId: { } endpointId } })
            return InvalidLink();
        var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.Id == endpointId, cancel);
        var now = services.Now;
        var fresh = WebhookSignature.NewSecret();
        var rotated = WebhookSecrets.Rotate(services.Secrets.Unprotect(endpoint.ProtectedSecrets), fresh, now, services.WebhookSettings.RotationOverlap);
        endpoint.ProtectedSecrets = services.Secrets.Protect(rotated);
        await db.SaveChangesAsync(cancel);
        return TypedResults.Ok(new WebhookSecretRotated(fresh, rotated.Skip(1).Select(s => s.ExpiresAt).Max() is { } e ? StoredInstant.Utc(e) : null));
    }

    private static async Task<(Data.Entities.StatusPage Page, StatusSubscriber Subscriber)?> FindAsync(IntegrationHealthDbContext db, string slug, string? token,
        CancellationToken cancel)
    {
        if (!SubscriberTokens.IsWellFormed(token)) return null;
        var hash = SubscriberTokens.Hash(token!);
        var row = await (from s in db.StatusSubscribers.AsNoTracking()
                         join p in db.StatusPages.AsNoTracking() on s.PageId equals p.Id
                         where p.Slug == slug && s.UnsubscribeTokenHash == hash
                         select new { p, s }).FirstOrDefaultAsync(cancel);
        return row is null ? null : (row.p, row.s);
    }

    /// <summary>An address a mail can be sent to: one <c>local@domain</c>, the domain with a dot, no display name,
    /// no spaces or controls, at most 254 characters (RFC 5321's path limit).</summary>
    public static string? EmailProblem(string email)
    {
        var text = email.Trim();
        if (text.Length is 0 or > 254) return "'email' must be an address of 1 to 254 characters.";
        var at = text.IndexOf('@');
        if (at <= 0 || at != text.LastIndexOf('@') || at == text.Length - 1 || at > 64)
            return "'email' must be one address such as name@example.com.";
        var domain = text[(at + 1)..];
        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '(' or ')' or ',' or ';' or ':' or '"' or '\\' or '[' or ']')
            || !domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal)
            || !MimeKit.MailboxAddress.TryParse(text, out var parsed) || parsed.Address != text)
            return "'email' must be one address such as name@example.com.";
        return null;
    }

    private static string? FormOrJson(string? contentType)
    {
        if (BodyFormat.Of(contentType) == BodyFormat.Kind.Json) return "json";
        return Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
            && media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ? "form" : null;
    }

    private static ProblemHttpResult InvalidLink() => Problems.NotFound("The link is not valid: wrong, already used or expired.");

    private static async Task<string> MessageAsync(HttpContext context, Data.Entities.StatusPage page, string heading, string message, string? postAction = null)
    {
        var rendered = await PublicHtmlPages.RenderAsync<SubscriptionMessage>(context.RequestServices, new()
        {
            ["Slug"] = page.Slug, ["PageName"] = page.Name, ["Heading"] = heading, ["Message"] = message, ["PostAction"] = postAction,
        });
        return Encoding.UTF8.GetString(rendered.Bytes);
    }
}
