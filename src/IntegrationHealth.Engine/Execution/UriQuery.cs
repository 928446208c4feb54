namespace IntegrationHealth.Engine.Execution;

/// <summary>Query-string edits that keep the rest of a URI as it was.</summary>
internal static class UriQuery
{
    /// <summary><paramref name="uri"/> with <paramref name="name"/> set to <paramref name="value"/> (replacing it if
    /// present). Every other parameter keeps its exact text: a provider's next link (with its cursor's own escaping,
    /// or a signature) must come back as it was sent.</summary>
    public static Uri With(Uri uri, string name, string value)
    {
        var raw = uri.Query.TrimStart('?');
        var parts = raw.Split('&', StringSplitOptions.RemoveEmptyEntries);
        var kept = parts.Where(p => NameOf(p) != name).ToList();
        var existing = parts.Where(p => NameOf(p) == name).ToList();
        if (existing.Count == 1 && ValueOf(existing[0]) == value) return uri;
        kept.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
        return new UriBuilder(uri) { Query = string.Join('&', kept) }.Uri;
    }

    private static string NameOf(string part)
    {
        var eq = part.IndexOf('=');
        return Uri.UnescapeDataString((eq < 0 ? part : part[..eq]).Replace('+', ' '));
    }

    private static string ValueOf(string part)
    {
        var eq = part.IndexOf('=');
        return eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
    }

    public static IEnumerable<(string Name, string Value)> Parse(string query)
    {
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var name = Uri.UnescapeDataString((eq < 0 ? part : part[..eq]).Replace('+', ' '));
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
            yield return (name, value);
        }
    }

    public static string Format(IEnumerable<(string Name, string Value)> pairs) =>
        string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));
}
