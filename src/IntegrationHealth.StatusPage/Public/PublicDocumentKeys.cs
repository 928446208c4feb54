namespace IntegrationHealth.StatusPage.Public;

/// <summary>
/// The cache keys of a page's public documents, in one place: the endpoints render and store documents under them,
/// and <see cref="CachedDocumentShortcut"/> looks them up under the same keys, so both always serve the same bytes.
/// </summary>
internal static class PublicDocumentKeys
{
    public const string Page = "index.html";

    public static string Incident(int id) => $"incidents/{id}.html";

    /// <summary>A feed's key: per origin when the page has no URL of its own (its links then name this host).</summary>
    public static string Feed(bool atom, string? origin) => (atom ? "history.atom" : "history.rss") + (origin is null ? "" : "@" + origin);

    public static string PageBadge(BadgeQuery query) => query.Key("page");

    public static string ComponentBadge(BadgeQuery query, int id) => query.Key($"component-{id}");
}
