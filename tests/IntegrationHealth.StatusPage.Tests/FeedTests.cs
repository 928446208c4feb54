using System.Diagnostics;
using System.Net;
using System.Text.Json;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.StatusPage.Tests;

/// <summary>The history feeds read by a real feed parser: Debian's python3-feedparser under <c>/usr/bin/python3</c>
/// (installed by tests/run.sh), given the bytes the server sent.</summary>
public sealed class FeedTests(StatusPageFixture fixture) : IClassFixture<StatusPageFixture>
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Runs when <c>/usr/bin/python3</c> can import feedparser; skips otherwise (fails on CI).</summary>
    public sealed class FeedparserFactAttribute : FactAttribute
    {
        internal static readonly bool Available = Probe();

        public FeedparserFactAttribute()
        {
            if (!Available && !TestServers.IsCi) Skip = $"{Python} cannot import feedparser: apt-get install python3-feedparser (tests/run.sh does; on CI this fails instead).";
        }

        private static bool Probe()
        {
            if (!File.Exists(Python)) return false;
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import feedparser"]) { RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
    }

    private const string Script = """
        import json, sys, time, feedparser
        def iso(t):
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", t) if t else None
        d = feedparser.parse(sys.stdin.buffer.read(), response_headers={"content-type": sys.argv[1]})
        print(json.dumps({
            "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
            "title": d.feed.get("title"), "link": d.feed.get("link"), "updated": iso(d.feed.get("updated_parsed")),
            "entries": [{"id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
                         "published": iso(e.get("published_parsed")), "updated": iso(e.get("updated_parsed")),
                         "summary": e.get("summary")} for e in d.entries]}))
        """;

    internal static async Task<JsonElement> ParseAsync(byte[] feed, string contentType)
    {
        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", Script, contentType])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        await process.StandardInput.BaseStream.WriteAsync(feed);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"feedparser failed: {await error}");
        var parsed = JsonDocument.Parse(await output).RootElement.Clone();
        Assert.False(parsed.GetProperty("bozo").GetBoolean(), $"feedparser found the feed malformed: {parsed.GetProperty("error")}");
        return parsed;
    }

    /// <summary>A page with a resolved incident (three updates), an open one and a scheduled maintenance, each made at a
    /// known time of the fake clock.</summary>
    private async Task<(HttpClient Admin, int Resolved, int Open, int Maintenance)> ArrangeAsync(string slug)
    {
        var admin = fixture.Host.Client(await fixture.Host.CreateKeyAsync(slug, ApiKeyScopes.Admin | ApiKeyScopes.Read));
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", $$"""{"slug":"{{slug}}","name":"Acme & Co"}""", 200);
        var component = (await Http.PostAsync(admin, "/v1/status-page/components", """{"name":"Salesforce sync","provider":"salesforce"}""")).GetProperty("id").GetInt32();
        var resolved = (await Http.PostAsync(admin, "/v1/status-page/incidents",
            $$"""{"name":"Sync <delays>","status":"investigating","impact":"minor","body":"Looking into it.","components":[{"id":{{component}},"status":"degraded_performance"}]}""")).GetProperty("id").GetInt32();
        fixture.Host.Time.Advance(TimeSpan.FromMinutes(30));
        await Http.PostAsync(admin, $"/v1/status-page/incidents/{resolved}/updates", """{"status":"identified","body":"A vendor API is slow."}""", 200);
        fixture.Host.Time.Advance(TimeSpan.FromMinutes(30));
        await Http.PostAsync(admin, $"/v1/status-page/incidents/{resolved}/updates", """{"status":"resolved","body":"All good again."}""", 200);
        fixture.Host.Time.Advance(TimeSpan.FromMinutes(30));
        var open = (await Http.PostAsync(admin, "/v1/status-page/incidents",
            """{"name":"Webhooks failing","status":"investigating","impact":"major","body":"Deliveries fail."}""")).GetProperty("id").GetInt32();
        fixture.Host.Time.Advance(TimeSpan.FromMinutes(30));
        var maintenance = (await Http.PostAsync(admin, "/v1/status-page/maintenances",
            $$"""{"name":"Database upgrade","scheduledFor":"2027-01-10T02:00:00Z","scheduledUntil":"2027-01-10T03:00:00Z","body":"Syncs pause.","componentIds":[{{component}}]}""")).GetProperty("id").GetInt32();
        return (admin, resolved, open, maintenance);
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    [FeedparserFact]
    public async Task Atom_ParsedByFeedparser_EntriesTitlesLinksDates()
    {
        var start = fixture.Host.Time.GetUtcNow();
        var (admin, resolved, open, maintenance) = await ArrangeAsync("feeds-atom");
        using var anonymous = fixture.Host.Client();
        using var response = await anonymous.GetAsync("/pages/feeds-atom/history.atom");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var feed = await ParseAsync(await response.Content.ReadAsByteArrayAsync(), "application/atom+xml");

        var page = new Uri(fixture.Host.BaseAddress, "/pages/feeds-atom").ToString();
        Assert.Equal("atom10", feed.GetProperty("version").GetString());
        Assert.Equal("Acme & Co status: incident history", feed.GetProperty("title").GetString());
        Assert.Equal(page, feed.GetProperty("link").GetString());
        Assert.Equal(Iso(start.AddMinutes(120)), feed.GetProperty("updated").GetString());
        var entries = feed.GetProperty("entries").EnumerateArray().ToList();
        // Newest activity first: the maintenance (posted last), the open incident, the resolved one.
        Assert.Equal(["Database upgrade", "Webhooks failing", "Sync <delays>"], entries.Select(e => e.GetProperty("title").GetString()!));
        Assert.Equal([$"{page}/incidents/{maintenance}", $"{page}/incidents/{open}", $"{page}/incidents/{resolved}"],
            entries.Select(e => e.GetProperty("link").GetString()!));
        var sync = entries[2];
        Assert.Equal(Iso(start), sync.GetProperty("published").GetString());
        Assert.Equal(Iso(start.AddMinutes(60)), sync.GetProperty("updated").GetString());
        Assert.Equal(Iso(start.AddMinutes(90)), entries[1].GetProperty("updated").GetString());
        var summary = sync.GetProperty("summary").GetString()!;
        Assert.Contains("All good again.", summary);
        Assert.Contains("A vendor API is slow.", summary);
        Assert.Contains("Looking into it.", summary);
        Assert.True(summary.IndexOf("All good again.", StringComparison.Ordinal) < summary.IndexOf("Looking into it.", StringComparison.Ordinal), "newest update first");
        Assert.All(entries, e => Assert.StartsWith("urn:uuid:", e.GetProperty("id").GetString()));
        Assert.Equal(3, entries.Select(e => e.GetProperty("id").GetString()).Distinct().Count());

        // A new update: the feed is rendered again (new ETag, the entry moves up with a new updated time), ids stay.
        fixture.Host.Time.Advance(TimeSpan.FromMinutes(10));
        await Http.PostAsync(admin, $"/v1/status-page/incidents/{open}/updates", """{"status":"monitoring","body":"A fix is out."}""", 200);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/pages/feeds-atom/history.atom");
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var changed = await anonymous.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(response.Headers.ETag, changed.Headers.ETag);
        var again = await ParseAsync(await changed.Content.ReadAsByteArrayAsync(), "application/atom+xml");
        var first = again.GetProperty("entries")[0];
        Assert.Equal("Webhooks failing", first.GetProperty("title").GetString());
        Assert.Equal(Iso(start.AddMinutes(130)), first.GetProperty("updated").GetString());
        Assert.Equal(entries[1].GetProperty("id").GetString(), first.GetProperty("id").GetString());
        Assert.Contains("A fix is out.", first.GetProperty("summary").GetString());
    }

    [FeedparserFact]
    public async Task Rss_ParsedByFeedparser_SameEntriesAsAtom_AndPageUrlUsedForLinks()
    {
        var start = fixture.Host.Time.GetUtcNow();
        var (admin, resolved, _, _) = await ArrangeAsync("feeds-rss");
        using var anonymous = fixture.Host.Client();
        var atom = await ParseAsync(await anonymous.GetByteArrayAsync("/pages/feeds-rss/history.atom"), "application/atom+xml");
        using var response = await anonymous.GetAsync("/pages/feeds-rss/history.rss");
        Assert.Equal("application/rss+xml", response.Content.Headers.ContentType!.MediaType);
        var rss = await ParseAsync(await response.Content.ReadAsByteArrayAsync(), "application/rss+xml");
        Assert.Equal("rss20", rss.GetProperty("version").GetString());
        Assert.Equal("Acme & Co status: incident history", rss.GetProperty("title").GetString());
        var entries = rss.GetProperty("entries").EnumerateArray().ToList();
        var atomEntries = atom.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(atomEntries.Select(e => e.GetProperty("id").GetString()), entries.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(atomEntries.Select(e => e.GetProperty("title").GetString()), entries.Select(e => e.GetProperty("title").GetString()));
        Assert.Equal(atomEntries.Select(e => e.GetProperty("link").GetString()), entries.Select(e => e.GetProperty("link").GetString()));
        var sync = entries.Single(e => e.GetProperty("title").GetString() == "Sync <delays>");
        Assert.Equal(Iso(start.AddMinutes(60)), sync.GetProperty("published").GetString()); // RSS's one date: the latest update
        Assert.Contains("All good again.", sync.GetProperty("summary").GetString());

        // With the page's own URL set, links use it whatever host the reader asked.
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", """{"slug":"feeds-rss","name":"Acme & Co","url":"https://status.acme.test/"}""", 200);
        var moved = await ParseAsync(await anonymous.GetByteArrayAsync("/pages/feeds-rss/history.rss"), "application/rss+xml");
        Assert.Equal("https://status.acme.test", moved.GetProperty("link").GetString());
        Assert.Contains(moved.GetProperty("entries").EnumerateArray(), e => e.GetProperty("link").GetString() == $"https://status.acme.test/incidents/{resolved}");
        Assert.Equal(entries.Select(e => e.GetProperty("id").GetString()), moved.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Feeds_ETag304_UnknownPage404()
    {
        await ArrangeAsync("feeds-etag");
        using var anonymous = fixture.Host.Client();
        foreach (var path in new[] { "/pages/feeds-etag/history.atom", "/pages/feeds-etag/history.rss" })
        {
            using var first = await anonymous.GetAsync(path);
            Assert.Equal("public, max-age=5", first.Headers.CacheControl!.ToString());
            using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
            conditional.Headers.TryAddWithoutValidation("If-None-Match", $"\"other\", W/{first.Headers.ETag!.Tag}");
            using var notModified = await anonymous.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
        var missing = await Http.GetAsync(anonymous, "/pages/no-such-feed/history.atom", 404);
        Assert.Equal(404, missing.GetProperty("status").GetInt32());
    }
}
