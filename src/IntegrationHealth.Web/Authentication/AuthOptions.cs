namespace IntegrationHealth.Web.Authentication;

/// <summary>API-key authentication settings (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>How long a key lookup is cached. Revocation through another process takes effect within this time;
    /// revocation through this process takes effect at once.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
