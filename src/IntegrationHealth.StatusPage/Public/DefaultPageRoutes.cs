using Microsoft.Extensions.Options;

namespace IntegrationHealth.StatusPage.Public;

/// <summary>
/// The configured default page (<c>StatusPage:DefaultPage</c>) also at the site root, as a status host such as
/// <c>status.example.com</c> serves it: <c>/</c> (HTML), <c>/incidents/{id}</c>, <c>/api/v2/…</c> (so Statuspage
/// clients pointed at the host's root work), <c>/history.atom</c>, <c>/history.rss</c>, <c>/badge.svg</c> and
/// <c>/components/{id}/badge.svg</c>. Mapped only when the setting is given, so without it nothing claims <c>/</c>. None
/// of these paths is taken by another feature (theirs are under <c>/v1</c>, <c>/pages</c>, <c>/hangfire</c>,
/// <c>/openapi</c> and the probes). The same handlers and cache as <c>/pages/{slug}</c> serve them, so the bytes and
/// ETags are the same at both addresses; the page's links keep pointing at <c>/pages/{slug}</c>.
/// </summary>
public static class DefaultPageRoutes
{
    public static IEndpointRouteBuilder MapDefaultPageAtRoot(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<StatusPageOptions>>().Value.DefaultPage is not { } slug) return app;
        var root = app.MapGroup("").WithTags("Status page (public)").AllowAnonymous();
        root.MapGet("/", (HttpContext context, PublicPageCache cache) => PublicHtmlPages.PageAsync(context, slug, cache))
            .WithName("DefaultStatusPageHtml").WithSummary($"The default status page (StatusPage:DefaultPage) at the site root (HTML, public, no key)")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/html").Produces(StatusCodes.Status304NotModified).ProducesProblem(404);
        root.MapGet("/incidents/{id:int}", (HttpContext context, int id, PublicPageCache cache) => PublicHtmlPages.IncidentAsync(context, slug, id, cache))
            .WithName("DefaultStatusIncidentHtml").WithSummary("One incident's page of the default status page (HTML, public, no key)")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/html").Produces(StatusCodes.Status304NotModified).ProducesProblem(404);
        foreach (var name in StatuspageV2Documents.Names)
        {
            var document = name;
            root.MapGet("/api/v2/" + document, (HttpContext context, PublicPageCache cache) => PublicStatusApi.ServeAsync(context, slug, cache, document))
                .WithName(PublicStatusApi.OperationName(document) + "AtRoot")
                .WithSummary($"Statuspage v2 {document} of the default status page (public, no key)")
                .Produces(StatusCodes.Status200OK, typeof(System.Text.Json.JsonElement), "application/json")
                .Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound);
        }
        root.MapGet("/history.atom", (HttpContext context, PublicPageCache cache) => PublicFeedsAndBadgesApi.FeedAsync(context, slug, cache, atom: true))
            .WithName("DefaultStatusHistoryAtom").WithSummary("The default page's incident history as an Atom feed (public, no key)")
            .FeedMetadata(StatusPageFeed.AtomContentType);
        root.MapGet("/history.rss", (HttpContext context, PublicPageCache cache) => PublicFeedsAndBadgesApi.FeedAsync(context, slug, cache, atom: false))
            .WithName("DefaultStatusHistoryRss").WithSummary("The default page's incident history as an RSS 2.0 feed (public, no key)")
            .FeedMetadata(StatusPageFeed.RssContentType);
        root.MapGet("/badge.svg", (HttpContext context, string? metric, string? window, PublicPageCache cache) =>
                PublicFeedsAndBadgesApi.PageBadgeAsync(context, slug, metric, window, cache))
            .WithName("DefaultStatusPageBadge").WithSummary("The default page's badge (SVG, public, no key)").BadgeMetadata();
        root.MapGet("/components/{id:int}/badge.svg", (HttpContext context, int id, string? metric, string? window, PublicPageCache cache) =>
                PublicFeedsAndBadgesApi.ComponentBadgeAsync(context, slug, id, metric, window, cache))
            .WithName("DefaultStatusComponentBadge").WithSummary("A component's badge on the default page (SVG, public, no key)").BadgeMetadata();
        return app;
    }
}
