using System.Text;
using IntegrationHealth.StatusPage.Html;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace IntegrationHealth.StatusPage.Public;

/// <summary>The public HTML pages, server-rendered with Razor components (<see cref="HtmlRenderer"/>) once per
/// snapshot and served from the same cache as the JSON documents: the page at <c>/pages/{slug}</c> and one page per
/// incident or maintenance at <c>/pages/{slug}/incidents/{id}</c>.</summary>
public static class PublicHtmlPages
{
    private const string Html = "text/html; charset=utf-8";

    public static IEndpointRouteBuilder MapPublicHtmlPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/pages/{slug}").WithTags("Status page (public)").AllowAnonymous();
        pages.MapGet("", PageAsync).WithName("StatusPageHtml").WithSummary("The status page (HTML, public, no key)")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/html").Produces(StatusCodes.Status304NotModified).ProducesProblem(404);
        pages.MapGet("/incidents/{id:int}", IncidentAsync).WithName("StatusIncidentHtml").WithSummary("One incident's page (HTML, public, no key)")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/html").Produces(StatusCodes.Status304NotModified).ProducesProblem(404);
        return app;
    }

    internal static async Task<IResult> PageAsync(HttpContext context, string slug, PublicPageCache cache)
    {
        if (await cache.GetAsync(slug, context.RequestAborted) is not { } entry) return Problems.NotFound($"No status page '{slug}'.");
        var services = context.RequestServices;
        var rendered = await entry.DocumentAsync(PublicDocumentKeys.Page, s => RenderAsync<StatusPageView>(services, new() { ["Snapshot"] = s }));
        return new CachedDocumentResult(rendered);
    }

    internal static async Task<IResult> IncidentAsync(HttpContext context, string slug, int id, PublicPageCache cache)
    {
        if (await cache.GetAsync(slug, context.RequestAborted) is not { } entry) return Problems.NotFound($"No status page '{slug}'.");
        var snapshot = await entry.Snapshot.Value;
        var incident = snapshot!.Incidents.Concat(snapshot.Maintenances).FirstOrDefault(i => i.Id == id);
        if (incident is null) return Problems.NotFound($"No incident {id} on this page.");
        var services = context.RequestServices;
        var rendered = await entry.DocumentAsync(PublicDocumentKeys.Incident(id),
            s => RenderAsync<IncidentPageView>(services, new() { ["Snapshot"] = s, ["Incident"] = incident }));
        return new CachedDocumentResult(rendered);
    }

    internal static async Task<RenderedDocument> RenderAsync<TComponent>(IServiceProvider services, Dictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
        return new RenderedDocument(Encoding.UTF8.GetBytes(html), Html);
    }
}
