using System.Net;
using IntegrationHealth.StatusPage.Public;
using Microsoft.AspNetCore.Http;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary><see cref="CachedDocumentShortcut"/>: a rendered document is answered early with the endpoint's own bytes
/// and headers; cold caches, unknown things, bad queries and requests over the header limits go the regular way.</summary>
public sealed class CachedDocumentShortcutTests(StatusPageFixture fixture) : IClassFixture<StatusPageFixture>
{
    private const string Slug = "acme-shortcut";

    /// <summary>A request as the test client sends it (its Host names the feeds' links: they are cached per origin).</summary>
    private DefaultHttpContext Request(string path, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(fixture.Host.BaseAddress.Authority);
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context;
    }

    [Fact]
    public async Task Find_EveryRenderedDocument_SameBytesAndHeadersAsTheEndpoint_HeadAnd304()
    {
        using var admin = fixture.Host.Client(fixture.AdminKey);
        var (component, incident) = await HtmlPageTests.ArrangeAsync(admin, Slug);
        var cache = fixture.Host.Services.GetRequiredService<PublicPageCache>();
        using var anonymous = fixture.Host.Client();
        foreach (var (path, query) in new[]
                 {
                     ($"/pages/{Slug}", ""), ($"/pages/{Slug}/api/v2/summary.json", ""), ($"/pages/{Slug}/api/v2/incidents/unresolved.json", ""),
                     ($"/pages/{Slug}/incidents/{incident}", ""), ($"/pages/{Slug}/history.atom", ""), ($"/pages/{Slug}/badge.svg", ""),
                     ($"/pages/{Slug}/components/{component}/badge.svg", ""), ($"/pages/{Slug}/components/{component}/badge.svg", "?window=7d&metric=uptime"),
                 })
        {
            // Not rendered yet: the shortcut has nothing and leaves the request to the endpoint.
            Assert.Null(CachedDocumentShortcut.Find(Request(path, query), cache, defaultSlug: null));
            using var first = await anonymous.GetAsync(path + query);
            Assert.True(first.StatusCode == HttpStatusCode.OK, $"{path}{query}: {(int)first.StatusCode}");
            var document = CachedDocumentShortcut.Find(Request(path, query), cache, defaultSlug: null);
            Assert.True(document is not null, $"{path}{query} is not found by the shortcut once rendered");
            var bytes = await first.Content.ReadAsByteArrayAsync();
            Assert.Equal(bytes, document.Bytes);

            using var second = await anonymous.GetAsync(path + query);
            Assert.Equal(bytes, await second.Content.ReadAsByteArrayAsync());
            Assert.Equal(first.Headers.ETag, second.Headers.ETag);
            Assert.Equal("public, max-age=5", second.Headers.CacheControl!.ToString());
            Assert.Equal("*", second.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
            Assert.Equal(bytes.Length, second.Content.Headers.ContentLength);

            using var head = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, path + query));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(first.Headers.ETag, head.Headers.ETag);
            Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());

            using var conditional = new HttpRequestMessage(HttpMethod.Get, path + query);
            conditional.Headers.TryAddWithoutValidation("If-None-Match", $"\"other\", W/{first.Headers.ETag!.Tag}");
            using var notModified = await anonymous.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Find_OtherSpellingsAndUnknownThings_Null_TheEndpointsAnswerProblems()
    {
        using var admin = fixture.Host.Client(fixture.AdminKey);
        var (component, _) = await HtmlPageTests.ArrangeAsync(admin, Slug);
        var cache = fixture.Host.Services.GetRequiredService<PublicPageCache>();
        using var anonymous = fixture.Host.Client();
        await anonymous.GetByteArrayAsync($"/pages/{Slug}");
        await anonymous.GetByteArrayAsync($"/pages/{Slug}/components/{component}/badge.svg");
        Assert.NotNull(CachedDocumentShortcut.Find(Request($"/pages/{Slug}"), cache, null));

        foreach (var (path, query) in new[]
                 {
                     ($"/pages/{Slug}/", ""), ($"/pages/{Slug}/api/v2/nothing.json", ""), ($"/pages/{Slug}/incidents/999999", ""),
                     ($"/pages/{Slug}/components/{component}/badge.svg", "?metric=size"),
                     ($"/pages/{Slug}/components/{component}/badge.svg", "?metric=status&metric=uptime"), ("/pages/no-such-page", ""), ("/", ""),
                 })
            Assert.Null(CachedDocumentShortcut.Find(Request(path, query), cache, defaultSlug: null));

        Assert.Equal(404, (await Http.GetAsync(anonymous, $"/pages/{Slug}/incidents/999999", 404)).GetProperty("status").GetInt32());
        Assert.Equal(400, (await Http.GetAsync(anonymous, $"/pages/{Slug}/components/{component}/badge.svg?metric=size", 400)).GetProperty("status").GetInt32());
        Assert.Equal(404, (await Http.GetAsync(anonymous, "/pages/no-such-page", 404)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task RenderedPage_HeadersOverTheLimit_Still431Problem_BodyAndPostGoTheRegularWay()
    {
        using var admin = fixture.Host.Client(fixture.AdminKey);
        await HtmlPageTests.ArrangeAsync(admin, Slug);
        using var anonymous = fixture.Host.Client();
        await anonymous.GetByteArrayAsync($"/pages/{Slug}/api/v2/summary.json");

        using var oversized = new HttpRequestMessage(HttpMethod.Get, $"/pages/{Slug}/api/v2/summary.json");
        oversized.Headers.TryAddWithoutValidation("X-Padding", new string('a', 40 * 1024));
        using var refused = await anonymous.SendAsync(oversized);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);

        using var post = await anonymous.PostAsync($"/pages/{Slug}/api/v2/summary.json", Http.Json("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType!.MediaType);
    }
}
