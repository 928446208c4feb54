namespace IntegrationHealth.Engine.Execution;

/// <summary>Query-string edits that keep the rest of a URI as it was.</summary>
internal static class UriQuery
{
    /// <summary><paramref name="uri"/> with <paramref name="name"/> set to <paramref name="value"/> (replacing it if present).</summary>
    public static Uri With(Uri uri, string name, string value)
    {
        var builder = new UriBuilder(uri);
        var pairs = Parse(builder.Query).Where(p => p.Name != name).Append((name, value));
        builder.Query = Format(pairs);
        return builder.Uri;
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
