using MimeKit;

namespace IntegrationHealth.StatusPage.Subscriptions;

/// <summary>How mail is sent: the TLS mode of the SMTP connection (MailKit's <c>SecureSocketOptions</c>).</summary>
public enum SmtpTls
{
    /// <summary>STARTTLS when the server offers it, else plain (MailKit's default).</summary>
    Auto = 0,
    /// <summary>Plain SMTP (a relay on the same host, tests).</summary>
    None = 1,
    /// <summary>STARTTLS, required: fails rather than send in clear.</summary>
    StartTls = 2,
    /// <summary>TLS from the first byte (SMTPS, port 465).</summary>
    SslOnConnect = 3,
}

/// <summary>The SMTP server subscription mail goes through (section <c>StatusPage:Subscriptions:Smtp</c>).</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 25;
    /// <summary>The sender, an address or <c>Name &lt;address&gt;</c>.</summary>
    public string From { get; set; } = "Status <status@localhost>";
    public SmtpTls Tls { get; set; } = SmtpTls.Auto;
    /// <summary>Authenticate as this user when set (with <see cref="Password"/>).</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }
    /// <summary>Timeout of each SMTP operation.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Settings of e-mail and webhook subscriptions (section <c>StatusPage:Subscriptions</c>).</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "StatusPage:Subscriptions";

    /// <summary>The absolute URL the service is reached at from subscribers' mail clients: confirmation and unsubscribe
    /// links start with it (never taken from a request's Host header, which a caller controls).</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>How long a confirmation link works.</summary>
    public TimeSpan ConfirmationLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A repeated subscription of a pending address sends a new confirmation at most this often.</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Unconfirmed, unexpired subscriptions one page may hold; more are answered 429 (a cap on how much mail
    /// strangers can make a page send).</summary>
    public int MaxPendingPerPage { get; set; } = 1000;

    /// <summary>Webhook subscribers one page may hold.</summary>
    public int MaxWebhooksPerPage { get; set; } = 100;

    /// <summary>Mails one drain claims at a time.</summary>
    public int MailBatchSize { get; set; } = 50;

    /// <summary>How long a claimed mail is held; a drain that dies leaves it to another after this.</summary>
    public TimeSpan MailLease { get; set; } = TimeSpan.FromMinutes(5);

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Why the settings cannot work, or null.</summary>
    public string? Problem()
    {
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0)
            return "StatusPage:Subscriptions:PublicBaseUrl must be an absolute http(s) URL without a query.";
        if (ConfirmationLifetime < TimeSpan.FromMinutes(5) || ConfirmationLifetime > TimeSpan.FromDays(7))
            return "StatusPage:Subscriptions:ConfirmationLifetime must be from 5 minutes to 7 days.";
        if (ResendAfter < TimeSpan.Zero || ResendAfter > ConfirmationLifetime)
            return "StatusPage:Subscriptions:ResendAfter must be from 0 to ConfirmationLifetime.";
        if (MaxPendingPerPage is < 1 or > 1_000_000) return "StatusPage:Subscriptions:MaxPendingPerPage must be from 1 to 1000000.";
        if (MaxWebhooksPerPage is < 0 or > 10_000) return "StatusPage:Subscriptions:MaxWebhooksPerPage must be from 0 to 10000.";
        if (MailBatchSize is < 1 or > 1000) return "StatusPage:Subscriptions:MailBatchSize must be from 1 to 1000.";
        if (MailLease <= Smtp.Timeout) return "StatusPage:Subscriptions:MailLease must be longer than Smtp:Timeout.";
        if (string.IsNullOrWhiteSpace(Smtp.Host)) return "StatusPage:Subscriptions:Smtp:Host is required.";
        if (Smtp.Port is < 1 or > 65535) return "StatusPage:Subscriptions:Smtp:Port must be from 1 to 65535.";
        if (!Enum.IsDefined(Smtp.Tls)) return "StatusPage:Subscriptions:Smtp:Tls must be Auto, None, StartTls or SslOnConnect.";
        if (!MailboxAddress.TryParse(Smtp.From, out var from) || from.Address.IndexOf('@') is <= 0 || from.Address.EndsWith('@'))
            return "StatusPage:Subscriptions:Smtp:From must be a mail address (name@domain, optionally with a display name).";
        if (Smtp.Timeout <= TimeSpan.Zero || Smtp.Timeout > TimeSpan.FromMinutes(5)) return "StatusPage:Subscriptions:Smtp:Timeout must be from 0 to 5 minutes.";
        if (string.IsNullOrEmpty(Smtp.UserName) != string.IsNullOrEmpty(Smtp.Password))
            return "StatusPage:Subscriptions:Smtp:UserName and Password go together.";
        return null;
    }
}
