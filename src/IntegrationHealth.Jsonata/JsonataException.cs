using IntegrationHealth.Jsonata.Evaluation;

namespace IntegrationHealth.Jsonata;

/// <summary>
/// An error raised while compiling or evaluating a JSONata expression. <see cref="Code"/> is JSONata's own
/// error code (<c>S0xxx</c> syntax, <c>T0xxx</c>–<c>T2xxx</c> type, <c>D1xxx</c>–<c>D3xxx</c> dynamic,
/// <c>U1001</c> sandbox time/depth limit exceeded, <c>U1002</c> sandbox output size limit exceeded).
/// </summary>
public class JsonataException : Exception
{
    private readonly string _fallbackMessage;

    public JsonataException(string code, string message, int position = -1, string? token = null, object? value = null)
        : base(message)
    {
        Code = code;
        _fallbackMessage = message;
        Position = position;
        Token = token;
        Value = value;
    }

    internal JsonataException(string code, string message, Exception inner)
        : base(message, inner)
    {
        Code = code;
        _fallbackMessage = message;
        Position = -1;
    }

    /// <summary>JSONata error code, e.g. <c>S0201</c> or <c>T2001</c>.</summary>
    public string Code { get; }

    /// <summary>Character offset in the expression where the error was detected, or -1 when unknown.</summary>
    public int Position { get; internal set; }

    /// <summary>The offending token, when the error concerns one.</summary>
    public string? Token { get; internal set; }

    /// <summary>The offending value, when the error concerns one (e.g. the argument of <c>$number</c>).</summary>
    public object? Value { get; }

    /// <summary>The second offending value (e.g. the right-hand side of a comparison), when there is one.</summary>
    public object? Value2 { get; internal set; }

    /// <summary>One-based index of the offending function argument, when the error concerns one.</summary>
    public int? Index { get; internal set; }

    /// <summary>A message in the words of jsonata-js, with the token and value filled in.</summary>
    public override string Message => ErrorCatalog.Format(this, _fallbackMessage);

    /// <summary>Makes <see cref="Value"/> and <see cref="Value2"/> independent of a lazily read input (see
    /// <see cref="Values.LazyJson.Detach"/>) before the error leaves an evaluation.</summary>
    internal void DetachValues(long budget)
    {
        Values.LazyJson.Detach(Value, ref budget);
        Values.LazyJson.Detach(Value2, ref budget);
    }

    internal JsonataException WithIndex(int index)
    {
        Index = index;
        return this;
    }

    internal JsonataException WithToken(string? token)
    {
        Token = token;
        return this;
    }

    internal JsonataException WithValue2(object? value2)
    {
        Value2 = value2;
        return this;
    }
}
