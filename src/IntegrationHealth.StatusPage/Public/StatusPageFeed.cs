using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Html;
using IntegrationHealth.StatusPage.Model;

namespace IntegrationHealth.StatusPage.Public;

/// <summary>
/// The page's incident history as an Atom 1.0 feed (<c>history.atom</c>, RFC 4287) and an RSS 2.0 feed
/// (<c>history.rss</c>), rendered from a <see cref="PageSnapshot"/> like the JSON documents: one entry per incident or
/// maintenance (newest activity first) whose content is its whole timeline. Entry ids are name-based UUIDs (RFC 9562
/// version 5) of the page's and the incident's row ids, so they stay the same when the page's URL, slug or the host a
/// reader used changes; an entry's updated time is its latest update, so readers show an incident again when it moves.
/// </summary>
public static class StatusPageFeed
{
    public const string AtomContentType = "application/atom+xml; charset=utf-8";
    public const string RssContentType = "application/rss+xml; charset=utf-8";

    /// <summary>The namespace of the entries' name-based UUIDs (fixed forever: changing it changes every id).</summary>
    private static readonly Guid IdNamespace = new("5b0f3a52-4c1e-4d43-9a58-7f2e0c1d9b6e");

    /// <summary>The incidents and maintenances a feed lists, newest activity first (at most the history limit the
    /// snapshot was read with, per kind).</summary>
    public static IReadOnlyList<StatusIncident> Entries(PageSnapshot s) =>
        [.. s.Incidents.Concat(s.Maintenances).OrderByDescending(i => LastActivity(s, i)).ThenByDescending(i => i.Id)];

    /// <summary>The Atom feed. <paramref name="pageUrl"/> is the page's absolute URL (links must be absolute for RSS
    /// readers, and are for Atom's too).</summary>
    public static byte[] Atom(PageSnapshot s, string pageUrl)
    {
        var entries = Entries(s);
        return Write(w =>
        {
            const string ns = "http://www.w3.org/2005/Atom";
            w.WriteStartElement("feed", ns);
            w.WriteAttributeString("xml", "lang", null, "en");
            w.WriteElementString("id", ns, Urn($"page:{s.Page.Id}"));
            w.WriteElementString("title", ns, $"{s.Page.Name} status: incident history");
            Link(w, ns, "alternate", "text/html", pageUrl);
            Link(w, ns, "self", "application/atom+xml", pageUrl + "/history.atom");
            w.WriteElementString("updated", ns, Rfc3339(FeedUpdated(s, entries)));
            w.WriteStartElement("author", ns);
            w.WriteElementString("name", ns, s.Page.Name);
            w.WriteEndElement();
            foreach (var i in entries)
            {
                w.WriteStartElement("entry", ns);
                w.WriteElementString("id", ns, Urn($"page:{s.Page.Id}:incident:{i.Id}"));
                w.WriteElementString("title", ns, i.Name);
                Link(w, ns, "alternate", "text/html", IncidentUrl(pageUrl, i));
                w.WriteElementString("published", ns, Rfc3339(i.CreatedAt));
                w.WriteElementString("updated", ns, Rfc3339(LastActivity(s, i)));
                w.WriteStartElement("content", ns);
                w.WriteAttributeString("type", "html");
                w.WriteString(TimelineHtml(s, i));
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
        });
    }

    /// <summary>The RSS 2.0 feed, with an <c>atom:link rel="self"</c> as the RSS Advisory Board recommends.</summary>
    public static byte[] Rss(PageSnapshot s, string pageUrl)
    {
        var entries = Entries(s);
        return Write(w =>
        {
            const string atom = "http://www.w3.org/2005/Atom";
            w.WriteStartElement("rss");
            w.WriteAttributeString("version", "2.0");
            w.WriteAttributeString("xmlns", "atom", null, atom);
            w.WriteStartElement("channel");
            w.WriteElementString("title", $"{s.Page.Name} status: incident history");
            w.WriteElementString("link", pageUrl);
            w.WriteElementString("description", $"Incidents and maintenance of {s.Page.Name}");
            w.WriteElementString("language", "en");
            w.WriteElementString("lastBuildDate", Rfc822(FeedUpdated(s, entries)));
            w.WriteStartElement("link", atom);
            w.WriteAttributeString("href", pageUrl + "/history.rss");
            w.WriteAttributeString("rel", "self");
            w.WriteAttributeString("type", "application/rss+xml");
            w.WriteEndElement();
            foreach (var i in entries)
            {
                w.WriteStartElement("item");
                w.WriteElementString("title", i.Name);
                w.WriteElementString("link", IncidentUrl(pageUrl, i));
                w.WriteStartElement("guid");
                w.WriteAttributeString("isPermaLink", "false");
                w.WriteString(Urn($"page:{s.Page.Id}:incident:{i.Id}"));
                w.WriteEndElement();
                // RSS has one date: the latest activity, so an update brings the item back to the reader.
                w.WriteElementString("pubDate", Rfc822(LastActivity(s, i)));
                w.WriteElementString("description", TimelineHtml(s, i));
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        });
    }

    /// <summary>When the incident last changed: its newest update, or its own change time when later.</summary>
    public static DateTime LastActivity(PageSnapshot s, StatusIncident i)
    {
        var latest = s.Updates[i.Id].Select(u => u.DisplayAt).DefaultIfEmpty(i.CreatedAt).Max();
        return Utc(latest > i.UpdatedAt ? latest : i.UpdatedAt);
    }

    public static string IncidentUrl(string pageUrl, StatusIncident i) => $"{pageUrl}/incidents/{i.Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>An RFC 9562 version 5 (SHA-1, name-based) UUID as a URN.</summary>
    public static string Urn(string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetByteCount(name)];
        IdNamespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(hash[..16], bigEndian: true).ToString("D");
    }

    private static DateTime FeedUpdated(PageSnapshot s, IReadOnlyList<StatusIncident> entries) =>
        entries.Select(i => LastActivity(s, i)).Append(Utc(s.Page.UpdatedAt)).Max();

    /// <summary>The timeline as HTML (escaped once here, and again by the XML writer): newest update first.</summary>
    private static string TimelineHtml(PageSnapshot s, StatusIncident i)
    {
        var html = new StringBuilder();
        if (i.IsMaintenance && i.ScheduledFor is { } from && i.ScheduledUntil is { } until)
            html.Append(CultureInfo.InvariantCulture, $"<p>Scheduled from {Display(from)} to {Display(until)}</p>");
        foreach (var u in s.Updates[i.Id])
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><small>{Display(u.DisplayAt)}</small><br><strong>{IncidentSummary.Title(u.Status)}</strong> - ")
                .Append(WebUtility.HtmlEncode(u.Body)).Append("</p>");
            var affected = IncidentTimeline.ReadAffected(u.AffectedComponents);
            if (affected.Count > 0)
                html.Append("<p>Affected: ").AppendJoin(", ", affected.Select(a => WebUtility.HtmlEncode($"{a.Name} ({a.NewStatus.Replace('_', ' ')})"))).Append("</p>");
        }
        return html.ToString();
    }

    private static string Display(DateTime value) => Utc(value).ToString("MMM d, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static void Link(XmlWriter w, string ns, string rel, string type, string href)
    {
        w.WriteStartElement("link", ns);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static string Rfc3339(DateTime value) => Utc(value).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Rfc822(DateTime value) => Utc(value).ToString("r", CultureInfo.InvariantCulture);

    private static byte[] Write(Action<XmlWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            w.WriteStartDocument();
            body(w);
            w.WriteEndDocument();
        }
        return stream.ToArray();
    }
}
