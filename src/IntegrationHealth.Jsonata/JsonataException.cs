namespace IntegrationHealth.Jsonata;

/// <summary>
/// An error raised while compiling or evaluating a JSONata expression. <see cref="Code"/> is JSONata's own
/// error code (<c>S0xxx</c> syntax, <c>T0xxx</c>–<c>T2xxx</c> type, <c>D1xxx</c>–<c>D3xxx</c> dynamic,
/// <c>U1001</c> sandbox limit exceeded).
/// </summary>
public class JsonataException : Exception
{
    public JsonataException(string code, string message, int position = -1, string? token = null, object? value = null)
        : base(message)
    {
        Code = code;
        Position = position;
        Token = token;
        Value = value;
    }

    /// <summary>JSONata error code, e.g. <c>S0201</c> or <c>T2001</c>.</summary>
    public string Code { get; }

    /// <summary>Character offset in the expression where the error was detected, or -1 when unknown.</summary>
    public int Position { get; }

    /// <summary>The offending token, when the error concerns one.</summary>
    public string? Token { get; }

    /// <summary>The offending value, when the error concerns one (e.g. the argument of <c>$number</c>).</summary>
    public object? Value { get; }
}
