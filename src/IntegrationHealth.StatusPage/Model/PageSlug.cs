using System.Text.RegularExpressions;

namespace IntegrationHealth.StatusPage.Model;

/// <summary>What a page's slug may be (it names the page in <c>/pages/{slug}/…</c>): lower-case letters, digits and
/// inner hyphens, 1 to 64 characters. The admin API refuses others; the demo's seeder only uses a tenant key that fits.</summary>
public static partial class PageSlug
{
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex Pattern();

    public static bool IsValid(string value) => Pattern().IsMatch(value);
}
