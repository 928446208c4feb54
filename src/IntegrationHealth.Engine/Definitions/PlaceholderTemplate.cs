using System.Text;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>
/// A string with <c>{name}</c> placeholders (base URLs over connection values, paths and query values over call
/// parameters, injections over credential fields). A brace not followed by a name and <c>}</c> is literal text, so
/// JSON-looking values survive. Parsed once; rendering never re-reads the template.
/// </summary>
public sealed class PlaceholderTemplate
{
    private readonly (string Text, bool IsName)[] _parts;

    private PlaceholderTemplate(string source, (string Text, bool IsName)[] parts)
    {
        Source = source;
        _parts = parts;
    }

    public string Source { get; }

    /// <summary>The placeholder names, in order of appearance.</summary>
    public IEnumerable<string> Names => _parts.Where(p => p.IsName).Select(p => p.Text);

    public static PlaceholderTemplate Parse(string source)
    {
        var parts = new List<(string, bool)>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < source.Length)
        {
            if (source[i] == '{' && NameEnd(source, i + 1) is { } end && end < source.Length && source[end] == '}')
            {
                if (literal.Length > 0) { parts.Add((literal.ToString(), false)); literal.Clear(); }
                parts.Add((source[(i + 1)..end], true));
                i = end + 1;
                continue;
            }
            literal.Append(source[i++]);
        }
        if (literal.Length > 0) parts.Add((literal.ToString(), false));
        return new PlaceholderTemplate(source, [.. parts]);
    }

    /// <summary>Renders with <paramref name="resolve"/> giving each placeholder's (already escaped) text; a null answer
    /// throws naming the placeholder.</summary>
    public string Render(Func<string, string?> resolve)
    {
        var text = new StringBuilder();
        foreach (var (part, isName) in _parts)
        {
            if (!isName) { text.Append(part); continue; }
            text.Append(resolve(part) ?? throw new KeyNotFoundException($"No value for '{{{part}}}' in '{Source}'."));
        }
        return text.ToString();
    }

    private static int? NameEnd(string source, int start)
    {
        if (start >= source.Length || !(char.IsAsciiLetterLower(source[start]) || source[start] == '_')) return null;
        var i = start + 1;
        while (i < source.Length && (char.IsAsciiLetterLower(source[i]) || char.IsAsciiDigit(source[i]) || source[i] == '_')) i++;
        return i;
    }
}
