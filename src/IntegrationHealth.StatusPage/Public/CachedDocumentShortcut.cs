using IntegrationHealth.Web.Http;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.StatusPage.Public;

/// <summary>
/// The early answer to anonymous reads of public documents that are already rendered: a GET or HEAD of a public page
/// path (<c>/pages/{slug}/…</c>, and the default page's root paths) whose document is in <see cref="PublicPageCache"/>
/// is written from memory before routing and the rest of the pipeline run. No database, rendering, DI scope or
/// endpoint is involved; the bytes, ETag, 304 and headers are the endpoint's own (<see cref="CachedDocumentResult"/>).
/// Everything else (a cold or expired cache, an unknown page, incident or component, a bad badge query, a request with a
/// body or over the header limits, a path in any other spelling) goes on down the pipeline unchanged, where the
/// endpoints render, answer problems and apply every other middleware as before. Documents are public and carry no
/// per-user content, so skipping authentication changes nothing a caller can see.
/// </summary>
public static class CachedDocumentShortcut
{
    private const string Pages = "/pages/";
    private const string Api = "/api/v2/";
    private const string Components = "/components/";
    private const string Incidents = "/incidents/";
    private const string Badge = "/badge.svg";

    /// <summary>Adds the shortcut; call it before <c>UseRouting</c> and the shared middleware.</summary>
    public static IApplicationBuilder UseCachedStatusDocuments(this IApplicationBuilder app)
    {
        var cache = app.ApplicationServices.GetRequiredService<PublicPageCache>();
        var defaultSlug = app.ApplicationServices.GetRequiredService<IOptions<StatusPageOptions>>().Value.DefaultPage;
        return app.Use((context, next) =>
        {
            var document = Plain(context.Request) ? Find(context, cache, defaultSlug) : null;
            return document is null ? next(context) : CachedDocumentResult.WriteAsync(context, document);
        });
    }

    /// <summary>A read the endpoints would answer the same whatever passes before them: GET or HEAD, no body, within
    /// the header limits (whose refusals stay with <see cref="RequestHeadLimits"/>).</summary>
    private static bool Plain(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0
        && RequestHeadLimits.Violation(request.HttpContext) is null;

    /// <summary>The rendered document the path names, or null when it is not (yet) in memory.</summary>
    internal static RenderedDocument? Find(HttpContext context, PublicPageCache cache, string? defaultSlug)
    {
        var path = context.Request.Path.Value.AsSpan();
        ReadOnlySpan<char> slug, rest = [];
        if (path.StartsWith(Pages, StringComparison.Ordinal))
        {
            slug = path[Pages.Length..];
            var end = slug.IndexOf('/');
            if (end >= 0)
            {
                rest = slug[end..];
                slug = slug[..end];
            }
            if (slug.IsEmpty) return null;
        }
        else if (defaultSlug is not null && path.Length > 0)
        {
            slug = defaultSlug;
            if (path is not "/") rest = path;
        }
        else return null;

        if (cache.Loaded(slug) is not { } entry) return null;
        return Key(context, rest, entry.LoadedSnapshot) is { } key ? entry.Rendered(key) : null;
    }

    /// <summary>The cache key of the document at <paramref name="rest"/> (the path after the page's own), as the
    /// endpoint stores it, or null for a path no endpoint answers from the cache in this spelling.</summary>
    private static string? Key(HttpContext context, ReadOnlySpan<char> rest, PageSnapshot snapshot)
    {
        if (rest.IsEmpty) return PublicDocumentKeys.Page;
        if (rest.StartsWith(Api, StringComparison.Ordinal))
        {
            var name = rest[Api.Length..];
            foreach (var document in StatuspageV2Documents.Names)
                if (name.SequenceEqual(document)) return document;
            return null;
        }
        if (rest is Badge) return BadgeQueryOf(context.Request) is { } page ? PublicDocumentKeys.PageBadge(page) : null;
        if (rest.StartsWith(Components, StringComparison.Ordinal) && rest.EndsWith(Badge, StringComparison.Ordinal))
            return Id(rest[Components.Length..^Badge.Length]) is { } component && BadgeQueryOf(context.Request) is { } query
                ? PublicDocumentKeys.ComponentBadge(query, component) : null;
        if (rest.StartsWith(Incidents, StringComparison.Ordinal))
            return Id(rest[Incidents.Length..]) is { } incident ? PublicDocumentKeys.Incident(incident) : null;
        if (rest is "/history.atom" or "/history.rss")
            return PublicDocumentKeys.Feed(rest is "/history.atom", PublicFeedsAndBadgesApi.FeedOrigin(context, snapshot));
        return null;
    }

    /// <summary>A plain decimal id (what the <c>{id:int}</c> routes read the same way); other spellings go the regular way.</summary>
    private static int? Id(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length > 9) return null;
        foreach (var c in text)
            if (!char.IsAsciiDigit(c)) return null;
        return int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The badge query as the endpoint binds it, or null when a parameter repeats or the query is invalid
    /// (the endpoint then answers, with its 400).</summary>
    private static BadgeQuery? BadgeQueryOf(HttpRequest request)
    {
        if (!request.QueryString.HasValue) return BadgeQuery.Parse(null, null).Query;
        var query = request.Query;
        var metric = query["metric"];
        var window = query["window"];
        if (metric.Count > 1 || window.Count > 1) return null;
        return BadgeQuery.Parse(metric.Count == 0 ? null : metric[0], window.Count == 0 ? null : window[0]).Query;
    }
}
