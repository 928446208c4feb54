using IntegrationHealth.Web.Http;

namespace IntegrationHealth.StatusPage.Public;

/// <summary>The public, key-less Statuspage v2 JSON API of every page at <c>/pages/{slug}/api/v2/…</c>.</summary>
public static class PublicStatusApi
{
    public static IEndpointRouteBuilder MapPublicStatusApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/pages/{slug}/api/v2").WithTags("Status page (public)").AllowAnonymous();
        foreach (var name in StatuspageV2Documents.Names)
        {
            var document = name;
            var operation = OperationName(document);
            api.MapGet("/" + document, (HttpContext context, string slug, PublicPageCache cache) => ServeAsync(context, slug, cache, document))
                .WithName(operation)
                .WithSummary($"Statuspage v2 {document} of the page (public, no key)")
                .Produces(StatusCodes.Status200OK, typeof(System.Text.Json.JsonElement), "application/json")
                .Produces(StatusCodes.Status304NotModified)
                .ProducesProblem(StatusCodes.Status404NotFound);
        }
        return app;
    }

    /// <summary>The OpenAPI operation id of a document: <c>StatuspageV2</c> + its path in Pascal case.</summary>
    internal static string OperationName(string document) =>
        "StatuspageV2" + string.Concat(document.Replace(".json", "").Split('/', '-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    internal static async Task<IResult> ServeAsync(HttpContext context, string slug, PublicPageCache cache, string document)
    {
        if (await cache.GetAsync(slug, context.RequestAborted) is not { } entry)
            return Problems.NotFound($"No status page '{slug}'.");
        var rendered = await entry.DocumentAsync(document,
            s => Task.FromResult(new RenderedDocument(StatuspageV2Documents.Render(document, s), "application/json; charset=utf-8")));
        return new CachedDocumentResult(rendered);
    }
}

/// <summary>Writes a rendered document with its ETag (304 on a matching <c>If-None-Match</c>) and a short public
/// cache lifetime; CORS is open so browser widgets on other sites can read it, as Statuspage's is.</summary>
internal sealed class CachedDocumentResult(RenderedDocument document) : IResult
{
    public Task ExecuteAsync(HttpContext context) => WriteAsync(context, document);

    /// <summary>Writes <paramref name="document"/> as the answer (the endpoints and <see cref="CachedDocumentShortcut"/>).</summary>
    internal static Task WriteAsync(HttpContext context, RenderedDocument document)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.ETag = document.ETag;
        headers.CacheControl = CacheControl;
        headers.AccessControlAllowOrigin = "*";
        headers.XContentTypeOptions = "nosniff";
        if (ActiveContent(document.ContentType)) headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (Matches(context.Request.Headers.IfNoneMatch, document.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = document.ContentType;
        response.ContentLength = document.Bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : WriteBodyAsync(response, document.Bytes);
    }

    private const string CacheControl = "public, max-age=5";

    /// <summary>The policy of the documents a browser renders as active content (the HTML pages, the SVG badges): the
    /// pages run no script and load nothing from elsewhere (their only style is inline, images are data: URIs or this
    /// origin's badges, the subscribe form posts here), so anything injected despite the encoder would be inert. Not
    /// <c>frame-ancestors</c>: pages may be embedded on the tenant's own sites.</summary>
    internal const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'";

    private static bool ActiveContent(string contentType) =>
        contentType.StartsWith("text/html", StringComparison.Ordinal) || contentType.StartsWith("image/svg+xml", StringComparison.Ordinal);

    private static Task WriteBodyAsync(HttpResponse response, byte[] bytes)
    {
        var write = response.BodyWriter.WriteAsync(bytes);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }

    /// <summary>RFC 9110 §13.1.2: <c>*</c>, or any listed tag equal by the weak comparison (a <c>W/</c> prefix
    /// ignored), in one header or several.</summary>
    internal static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        foreach (var header in ifNoneMatch)
        {
            if (header is null) continue;
            foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "*") return true;
                var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
                if (tag == etag) return true;
            }
        }
        return false;
    }
}
