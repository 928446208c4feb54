using System.Globalization;
using System.Text;
using System.Xml;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Model;

namespace IntegrationHealth.StatusPage.Public;

/// <summary>What a badge shows: the current status, or the uptime share over a window.</summary>
public enum BadgeMetric
{
    Status = 0,
    Uptime = 1,
}

/// <summary>A badge request, parsed from <c>?metric=status|uptime&amp;window=24h|7d|30d|90d</c>.</summary>
public sealed record BadgeQuery(BadgeMetric Metric, string Window)
{
    public static readonly IReadOnlyDictionary<string, TimeSpan> Windows = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["24h"] = TimeSpan.FromHours(24), ["7d"] = TimeSpan.FromDays(7), ["30d"] = TimeSpan.FromDays(30), ["90d"] = TimeSpan.FromDays(90),
    };

    public const string DefaultWindow = "30d";

    /// <summary>The query, or the problem with it (naming the parameter).</summary>
    public static (BadgeQuery? Query, string? Field, string? Problem) Parse(string? metric, string? window)
    {
        var m = metric switch
        {
            null or "status" => BadgeMetric.Status,
            "uptime" => BadgeMetric.Uptime,
            _ => (BadgeMetric?)null,
        };
        if (m is null) return (null, "metric", "'metric' must be 'status' or 'uptime'.");
        if (m == BadgeMetric.Status)
            return window is null ? (new BadgeQuery(BadgeMetric.Status, ""), null, null) : (null, "window", "'window' applies only to metric=uptime.");
        window ??= DefaultWindow;
        return Windows.ContainsKey(window) ? (new BadgeQuery(BadgeMetric.Uptime, window), null, null)
            : (null, "window", "'window' must be one of 24h, 7d, 30d, 90d.");
    }

    /// <summary>The cache key of the badge for <paramref name="subject"/> (the page or a component).</summary>
    public string Key(string subject) => $"badge/{subject}/{(Metric == BadgeMetric.Status ? "status" : "uptime-" + Window)}.svg";
}

/// <summary>
/// SVG badges in the familiar two-part shape (a grey label, a coloured message), for a page or one component: its
/// status, or its uptime (<see cref="Uptime.Share"/>, as the 90-day bars count it) over 24 h, 7 d, 30 d or 90 d.
/// Accessible as images (<c>role="img"</c>, <c>aria-label</c> and a <c>&lt;title&gt;</c> with the same text); the
/// colours are those of the HTML page, which carry white text at 4.5:1 or more. Text widths are measured with DejaVu
/// Sans's advance widths at 11 px (<see cref="TextWidth"/>) and pinned with <c>textLength</c>, so the badge looks the
/// same whichever font the viewer substitutes.
/// </summary>
public static class StatusBadge
{
    public const string ContentType = "image/svg+xml; charset=utf-8";
    private const string LabelColour = "#555";
    private const double FontSize = 11;
    private const int Padding = 6;

    /// <summary>DejaVu Sans (the font of Debian's fonts-dejavu-core) advance widths, in font units of 2048 per em, for
    /// U+0020–U+007E; read from the font's <c>hmtx</c> table with fontTools. Other characters count as '?'.</summary>
    private static readonly short[] AdvanceWidths =
    [
        651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303,
        1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532,
        1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260,
        721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
    ];

    private const short QuestionMarkWidth = 1087;

    /// <summary>The colour of each component status (and of the page's overall indicator).</summary>
    public static string Colour(ComponentStatus status) => status switch
    {
        ComponentStatus.DegradedPerformance => "#8a5a00",
        ComponentStatus.PartialOutage => "#b34700",
        ComponentStatus.MajorOutage => "#b00020",
        ComponentStatus.UnderMaintenance => "#0b57d0",
        _ => "#1e7e34",
    };

    /// <summary>The colour of an uptime share: green from 99.9%, amber from 99%, orange from 95%, red below; grey
    /// without data.</summary>
    public static string UptimeColour(double? percent) => percent switch
    {
        null => "#767676",
        >= 99.9 => "#1e7e34",
        >= 99 => "#8a5a00",
        >= 95 => "#b34700",
        _ => "#b00020",
    };

    /// <summary>The page's badge: its overall status or the mean uptime of its components.</summary>
    public static byte[] ForPage(PageSnapshot s, BadgeQuery query)
    {
        if (query.Metric == BadgeMetric.Status)
        {
            var (indicator, _) = StatuspageV2Documents.Overall(s);
            var status = indicator switch
            {
                "minor" => ComponentStatus.DegradedPerformance,
                "major" => ComponentStatus.PartialOutage,
                "critical" => ComponentStatus.MajorOutage,
                "maintenance" => ComponentStatus.UnderMaintenance,
                _ => ComponentStatus.Operational,
            };
            return Render("status", Message(status), Colour(status));
        }
        var shares = s.Components.Select(c => UptimeOf(s, c, query.Window)).Where(p => p is not null).Select(p => p!.Value).ToList();
        return Uptime(query.Window, shares.Count == 0 ? null : shares.Average());
    }

    /// <summary>A component's badge.</summary>
    public static byte[] ForComponent(PageSnapshot s, StatusComponent component, BadgeQuery query) =>
        query.Metric == BadgeMetric.Status
            ? Render("status", Message(component.Status), Colour(component.Status))
            : Uptime(query.Window, UptimeOf(s, component, query.Window));

    /// <summary>The badge's message for a status (lower case, as badges read).</summary>
    public static string Message(ComponentStatus status) => StatusWire.Of(status).Replace('_', ' ');

    /// <summary>The width in pixels of <paramref name="text"/> in DejaVu Sans at 11 px.</summary>
    public static double TextWidth(string text)
    {
        long units = 0;
        foreach (var c in text) units += c is >= ' ' and <= '~' ? AdvanceWidths[c - ' '] : QuestionMarkWidth;
        return units * FontSize / 2048;
    }

    private static double? UptimeOf(PageSnapshot s, StatusComponent component, string window) =>
        Public.Uptime.Share(s, component, s.ReadAt - BadgeQuery.Windows[window], s.ReadAt).Percent;

    private static byte[] Uptime(string window, double? percent) =>
        Render($"uptime {window}", percent is { } p ? FormatPercent(p) : "no data", UptimeColour(percent));

    /// <summary>Two decimals, without trailing zeros, never rounding a share below 100% up to 100%.</summary>
    public static string FormatPercent(double percent)
    {
        var floored = Math.Floor(percent * 100) / 100;
        return floored.ToString("0.##", CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>The SVG of a badge.</summary>
    public static byte[] Render(string label, string message, string colour)
    {
        var labelText = Math.Ceiling(TextWidth(label));
        var messageText = Math.Ceiling(TextWidth(message));
        var labelWidth = labelText + 2 * Padding;
        var messageWidth = messageText + 2 * Padding;
        var width = labelWidth + messageWidth;
        var accessible = $"{label}: {message}";
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true }))
        {
            const string svg = "http://www.w3.org/2000/svg";
            w.WriteStartElement("svg", svg);
            Attributes(w, ("width", N(width)), ("height", "20"), ("viewBox", $"0 0 {N(width)} 20"), ("role", "img"), ("aria-label", accessible));
            w.WriteElementString("title", svg, accessible);
            w.WriteStartElement("linearGradient", svg);
            Attributes(w, ("id", "s"), ("x2", "0"), ("y2", "100%"));
            Element(w, svg, "stop", ("offset", "0"), ("stop-color", "#bbb"), ("stop-opacity", ".1"));
            Element(w, svg, "stop", ("offset", "1"), ("stop-opacity", ".1"));
            w.WriteEndElement();
            w.WriteStartElement("clipPath", svg);
            w.WriteAttributeString("id", "r");
            Element(w, svg, "rect", ("width", N(width)), ("height", "20"), ("rx", "3"), ("fill", "#fff"));
            w.WriteEndElement();
            w.WriteStartElement("g", svg);
            w.WriteAttributeString("clip-path", "url(#r)");
            Element(w, svg, "rect", ("width", N(labelWidth)), ("height", "20"), ("fill", LabelColour));
            Element(w, svg, "rect", ("x", N(labelWidth)), ("width", N(messageWidth)), ("height", "20"), ("fill", colour));
            Element(w, svg, "rect", ("width", N(width)), ("height", "20"), ("fill", "url(#s)"));
            w.WriteEndElement();
            w.WriteStartElement("g", svg);
            Attributes(w, ("fill", "#fff"), ("text-anchor", "middle"), ("font-family", "DejaVu Sans,Verdana,Geneva,sans-serif"),
                ("font-size", N(FontSize)), ("aria-hidden", "true"));
            Text(w, svg, labelWidth / 2, labelText, label);
            Text(w, svg, labelWidth + messageWidth / 2, messageText, message);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return stream.ToArray();
    }

    private static void Text(XmlWriter w, string ns, double x, double length, string text)
    {
        w.WriteStartElement("text", ns);
        Attributes(w, ("x", N(x)), ("y", "14"), ("textLength", N(length)), ("lengthAdjust", "spacingAndGlyphs"));
        w.WriteString(text);
        w.WriteEndElement();
    }

    private static void Element(XmlWriter w, string ns, string name, params (string Name, string Value)[] attributes)
    {
        w.WriteStartElement(name, ns);
        Attributes(w, attributes);
        w.WriteEndElement();
    }

    private static void Attributes(XmlWriter w, params (string Name, string Value)[] attributes)
    {
        foreach (var (name, value) in attributes) w.WriteAttributeString(name, value);
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
