using IntegrationHealth.Web.Http;

namespace IntegrationHealth.StatusPage.Public;

/// <summary>
/// The key-less history feeds (<c>/pages/{slug}/history.atom</c>, <c>history.rss</c>) and SVG badges
/// (<c>/pages/{slug}/badge.svg</c>, <c>/pages/{slug}/components/{id}/badge.svg</c>), rendered once per snapshot and
/// served from <see cref="PublicPageCache"/> with an ETag like the JSON documents.
/// </summary>
public static class PublicFeedsAndBadgesApi
{
    private const string Tag = "Status page (public)";

    public static IEndpointRouteBuilder MapPublicFeedsAndBadges(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/pages/{slug}").WithTags(Tag).AllowAnonymous();
        pages.MapGet("/history.atom", (HttpContext context, string slug, PublicPageCache cache) => FeedAsync(context, slug, cache, atom: true))
            .WithName("StatusHistoryAtom").WithSummary("Incident history as an Atom feed (public, no key)").FeedMetadata(StatusPageFeed.AtomContentType);
        pages.MapGet("/history.rss", (HttpContext context, string slug, PublicPageCache cache) => FeedAsync(context, slug, cache, atom: false))
            .WithName("StatusHistoryRss").WithSummary("Incident history as an RSS 2.0 feed (public, no key)").FeedMetadata(StatusPageFeed.RssContentType);
        pages.MapGet("/badge.svg", (HttpContext context, string slug, string? metric, string? window, PublicPageCache cache) =>
                PageBadgeAsync(context, slug, metric, window, cache))
            .WithName("StatusPageBadge").WithSummary("The page's badge: overall status, or uptime over 24h/7d/30d/90d (SVG, public, no key)")
            .BadgeMetadata();
        pages.MapGet("/components/{id:int}/badge.svg", (HttpContext context, string slug, int id, string? metric, string? window, PublicPageCache cache) =>
                ComponentBadgeAsync(context, slug, id, metric, window, cache))
            .WithName("StatusComponentBadge").WithSummary("A component's badge: status, or uptime over 24h/7d/30d/90d (SVG, public, no key)")
            .BadgeMetadata();
        return app;
    }

    internal static RouteHandlerBuilder FeedMetadata(this RouteHandlerBuilder route, string contentType) =>
        route.Produces(StatusCodes.Status200OK, typeof(string), contentType.Split(';')[0]).Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

    internal static RouteHandlerBuilder BadgeMetadata(this RouteHandlerBuilder route) =>
        route.WithDescription("metric: status (default) or uptime; window (uptime only): 24h, 7d, 30d (default) or 90d.")
            .Produces(StatusCodes.Status200OK, typeof(string), "image/svg+xml").Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

    internal static async Task<IResult> FeedAsync(HttpContext context, string slug, PublicPageCache cache, bool atom)
    {
        if (await cache.GetAsync(slug, context.RequestAborted) is not { } entry) return Problems.NotFound($"No status page '{slug}'.");
        var snapshot = (await entry.Snapshot.Value)!;
        var origin = FeedOrigin(context, snapshot);
        var pageUrl = origin is null ? snapshot.PageUrl : origin + snapshot.PageUrl;
        var key = PublicDocumentKeys.Feed(atom, origin);
        var rendered = await entry.DocumentAsync(key, s => Task.FromResult(atom
            ? new RenderedDocument(StatusPageFeed.Atom(s, pageUrl), StatusPageFeed.AtomContentType)
            : new RenderedDocument(StatusPageFeed.Rss(s, pageUrl), StatusPageFeed.RssContentType)));
        return new CachedDocumentResult(rendered);
    }

    internal static async Task<IResult> PageBadgeAsync(HttpContext context, string slug, string? metric, string? window, PublicPageCache cache)
    {
        var (query, field, problem) = BadgeQuery.Parse(metric, window);
        if (query is null) return Problems.BadRequest(problem!, field: field);
        if (await cache.GetAsync(slug, context.RequestAborted) is not { } entry) return Problems.NotFound($"No status page '{slug}'.");
        var rendered = await entry.DocumentAsync(PublicDocumentKeys.PageBadge(query),
            s => Task.FromResult(new RenderedDocument(StatusBadge.ForPage(s, query), StatusBadge.ContentType)));
        return new CachedDocumentResult(rendered);
    }

    internal static async Task<IResult> ComponentBadgeAsync(HttpContext context, string slug, int id, string? metric, string? window, PublicPageCache cache)
    {
        var (query, field, problem) = BadgeQuery.Parse(metric, window);
        if (query is null) return Problems.BadRequest(problem!, field: field);
        if (await cache.GetAsync(slug, context.RequestAborted) is not { } entry) return Problems.NotFound($"No status page '{slug}'.");
        var component = (await entry.Snapshot.Value)!.Components.FirstOrDefault(c => c.Id == id);
        if (component is null) return Problems.NotFound($"No component {id} on this page.");
        var rendered = await entry.DocumentAsync(PublicDocumentKeys.ComponentBadge(query, id),
            s => Task.FromResult(new RenderedDocument(StatusBadge.ForComponent(s, component, query), StatusBadge.ContentType)));
        return new CachedDocumentResult(rendered);
    }

    /// <summary>The origin a page's feed links are made absolute with: none when the page has a URL of its own (its
    /// links name that), else this request's scheme and host (the feed is then cached per origin).</summary>
    internal static string? FeedOrigin(HttpContext context, PageSnapshot snapshot) => snapshot.Page.Url is null ? Origin(context) : null;

    /// <summary>The request's scheme and host (Kestrel has checked the Host header's syntax).</summary>
    private static string Origin(HttpContext context)
    {
        var host = context.Request.Host.HasValue ? context.Request.Host.Value : "localhost";
        return $"{context.Request.Scheme}://{host}{context.Request.PathBase}";
    }
}
