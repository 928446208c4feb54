namespace IntegrationHealth.Jsonata.Parsing;

internal enum TokenType
{
    End,
    Operator,
    Name,
    Variable,
    String,
    Number,
    Value,
    Regex,
}

/// <summary>One lexical token. <see cref="Value"/> is the text for names/operators, or the literal value.</summary>
internal sealed class Token(TokenType type, object? value, int position)
{
    public TokenType Type { get; } = type;

    public object? Value { get; } = value;

    public int Position { get; set; } = position;

    /// <summary>The symbol identifier the Pratt parser dispatches on.</summary>
    public string Id => Type switch
    {
        TokenType.End => "(end)",
        TokenType.Operator => (string)Value!,
        TokenType.Name or TokenType.Variable => "(name)",
        TokenType.Regex => "(regex)",
        _ => "(literal)",
    };

    public string? Text => Type switch
    {
        TokenType.End => "(end)",
        TokenType.Value => Value switch { true => "true", false => "false", _ => "null" },
        TokenType.Number => Values.JsNumber.ToString((double)Value!),
        TokenType.Regex => ((RegexLiteral)Value!).ToString(),
        _ => Value as string,
    };
}

/// <summary>A regular-expression literal as written: JavaScript pattern text and flags.</summary>
internal sealed class RegexLiteral(string pattern, string flags)
{
    public string Pattern { get; } = pattern;

    public string Flags { get; } = flags;

    public override string ToString() => "/" + Pattern + "/" + Flags;
}
