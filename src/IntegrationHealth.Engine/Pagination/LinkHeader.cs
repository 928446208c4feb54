namespace IntegrationHealth.Engine.Pagination;

/// <summary>A small RFC 8288 <c>Link</c> header reader: <c>&lt;uri&gt;; rel="next", &lt;uri&gt;; rel="last"</c>.</summary>
internal static class LinkHeader
{
    /// <summary>The target of the first link whose <c>rel</c> includes <paramref name="relation"/> (relations are
    /// space-separated and compared case-insensitively), or null.</summary>
    public static string? Find(string header, string relation)
    {
        var i = 0;
        while (i < header.Length)
        {
            var open = header.IndexOf('<', i);
            if (open < 0) return null;
            var close = header.IndexOf('>', open + 1);
            if (close < 0) return null;
            var target = header[(open + 1)..close];
            // Parameters run to the next link, i.e. the next '<' outside a quoted string.
            var end = close + 1;
            var quoted = false;
            while (end < header.Length && (quoted || header[end] != '<'))
            {
                if (header[end] == '"') quoted = !quoted;
                end++;
            }
            foreach (var parameter in header[(close + 1)..end].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = parameter.IndexOf('=');
                if (eq < 0 || !parameter[..eq].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase)) continue;
                var rels = parameter[(eq + 1)..].Trim().Trim(',').Trim().Trim('"');
                if (rels.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(relation, StringComparer.OrdinalIgnoreCase)) return target;
            }
            i = end;
        }
        return null;
    }
}
