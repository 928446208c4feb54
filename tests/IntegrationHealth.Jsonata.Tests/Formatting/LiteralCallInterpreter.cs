using System.Globalization;
using System.Text;
using IntegrationHealth.Jsonata.Functions.Formatting;

namespace IntegrationHealth.Jsonata.Tests.Formatting;

/// <summary>
/// Runs the small subset of JSONata that the formatting conformance cases are written in, straight against the
/// formatting entry points (the evaluator is another engineer's work): calls of <c>$formatNumber</c>,
/// <c>$formatInteger</c>, <c>$parseInteger</c>, <c>$fromMillis</c>, <c>$toMillis</c> with literal arguments
/// (numbers, strings, objects, <c>()</c> for "no value"), plus <c>~&gt;</c>, <c>($v := ...; ...)</c> blocks,
/// arithmetic and <c>=</c>. Anything else (paths, other functions) is reported as unsupported, not guessed.
/// </summary>
public sealed class LiteralCallInterpreter
{
    /// <summary>JSONata's "no value", distinct from JSON null.</summary>
    public static readonly object Undefined = new UndefinedValue();

    private static readonly HashSet<string> Functions = ["formatNumber", "formatInteger", "parseInteger", "fromMillis", "toMillis"];

    private readonly string text;
    private readonly long nowMillis;
    private int pos;

    private LiteralCallInterpreter(string text, long nowMillis)
    {
        this.text = text;
        this.nowMillis = nowMillis;
    }

    private abstract record Node;

    private sealed record Literal(object? Value) : Node;

    private sealed record ObjectLiteral(IReadOnlyList<(string Key, Node Value)> Entries) : Node;

    private sealed record Variable(string Name) : Node;

    private sealed record Binding(string Name, Node Value) : Node;

    private sealed record Block(IReadOnlyList<Node> Steps) : Node;

    private sealed record Call(string Function, IReadOnlyList<Node> Arguments) : Node;

    private sealed record Binary(string Operator, Node Left, Node Right) : Node;

    private sealed record Negation(Node Operand) : Node;

    private sealed class UndefinedValue
    {
        public override string ToString() => "undefined";
    }

    /// <summary>Parses <paramref name="expression"/>; null when it uses anything outside the supported subset.</summary>
    public static Func<object?>? Compile(string expression, long nowMillis)
    {
        var interpreter = new LiteralCallInterpreter(expression, nowMillis);
        try
        {
            var node = interpreter.ParseExpression();
            interpreter.SkipSpace();
            if (interpreter.pos != expression.Length || !UsesFormatting(node))
            {
                return null;
            }

            return () => interpreter.Evaluate(node, new Dictionary<string, object?>());
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static bool UsesFormatting(Node node) => node switch
    {
        Call => true,
        Binding b => UsesFormatting(b.Value),
        Block b => b.Steps.Any(UsesFormatting),
        Binary b => UsesFormatting(b.Left) || UsesFormatting(b.Right),
        Negation n => UsesFormatting(n.Operand),
        _ => false,
    };

    private object? Evaluate(Node node, Dictionary<string, object?> scope) => node switch
    {
        Literal l => l.Value,
        ObjectLiteral o => o.Entries.ToDictionary(e => e.Key, e => Evaluate(e.Value, scope)),
        Variable v => scope.TryGetValue(v.Name, out var value) ? value : Undefined,
        Binding b => scope[b.Name] = Evaluate(b.Value, scope),
        Block b => b.Steps.Aggregate((object?)Undefined, (_, step) => Evaluate(step, scope)),
        Negation n => -(double)Evaluate(n.Operand, scope)!,
        Binary b => Apply(b.Operator, Evaluate(b.Left, scope), Evaluate(b.Right, scope)),
        Call c => Invoke(c.Function, c.Arguments.Select(a => Evaluate(a, scope)).ToArray()),
        _ => throw new InvalidOperationException(node.ToString()),
    };

    private static object? Apply(string op, object? left, object? right) => op switch
    {
        "=" => left is not UndefinedValue && right is not UndefinedValue && Equals(left, right),
        "+" => (double)left! + (double)right!,
        "-" => (double)left! - (double)right!,
        "*" => (double)left! * (double)right!,
        "/" => (double)left! / (double)right!,
        _ => throw new InvalidOperationException(op),
    };

    private object? Invoke(string function, object?[] args)
    {
        object? Arg(int i) => i < args.Length ? args[i] : Undefined;
        string? OptionalString(int i) => Arg(i) is string s ? s : null;
        if (Arg(0) is UndefinedValue)
        {
            return Undefined;
        }

        switch (function)
        {
            case "formatNumber":
                var options = Arg(2) as Dictionary<string, object?>;
                return NumberPicture.Format((double)Arg(0)!, (string)Arg(1)!, options?.ToDictionary(e => e.Key, e => (string)e.Value!));
            case "formatInteger":
                return IntegerPicture.Format((double)Arg(0)!, (string)Arg(1)!);
            case "parseInteger":
                return IntegerPicture.Parse((string)Arg(0)!, (string)Arg(1)!) is { } parsed ? parsed : Undefined;
            case "fromMillis":
                return DateTimePicture.Format((long)(double)Arg(0)!, OptionalString(1), OptionalString(2));
            case "toMillis":
                return DateTimePicture.Parse((string)Arg(0)!, OptionalString(1), nowMillis) is { } millis ? (double)millis : Undefined;
            default:
                throw new InvalidOperationException(function);
        }
    }

    // expression := pipe ('=' pipe)?
    private Node ParseExpression()
    {
        var left = ParsePipe();
        if (TryTake("="))
        {
            return new Binary("=", left, ParsePipe());
        }

        return left;
    }

    // pipe := additive ('~>' call)*
    private Node ParsePipe()
    {
        var left = ParseAdditive();
        while (TryTake("~>"))
        {
            if (ParsePrimary() is not Call call)
            {
                throw new NotSupportedException("~> must be followed by a function call");
            }

            left = call with { Arguments = [left, .. call.Arguments] };
        }

        return left;
    }

    private Node ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (true)
        {
            SkipSpace();
            if (Peek("+") || (Peek("-") && !Peek("->")))
            {
                var op = text[pos++].ToString();
                left = new Binary(op, left, ParseMultiplicative());
            }
            else
            {
                return left;
            }
        }
    }

    private Node ParseMultiplicative()
    {
        var left = ParseUnary();
        while (true)
        {
            SkipSpace();
            if (Peek("*") || Peek("/"))
            {
                var op = text[pos++].ToString();
                left = new Binary(op, left, ParseUnary());
            }
            else
            {
                return left;
            }
        }
    }

    private Node ParseUnary() => TryTake("-") ? new Negation(ParseUnary()) : ParsePrimary();

    private Node ParsePrimary()
    {
        SkipSpace();
        if (pos >= text.Length)
        {
            throw new NotSupportedException("unexpected end");
        }

        var c = text[pos];
        if (char.IsAsciiDigit(c))
        {
            return new Literal(ReadNumber());
        }

        if (c is '"' or '\'')
        {
            return new Literal(ReadString());
        }

        if (c == '{')
        {
            return ParseObject();
        }

        if (c == '(')
        {
            pos++;
            var steps = new List<Node>();
            while (!TryTake(")"))
            {
                steps.Add(ParseStep());
                if (!TryTake(";"))
                {
                    Expect(")");
                    break;
                }
            }

            return new Block(steps);
        }

        if (c == '$')
        {
            pos++;
            var name = ReadName();
            if (TryTake("("))
            {
                if (!Functions.Contains(name))
                {
                    throw new NotSupportedException("function $" + name);
                }

                var args = new List<Node>();
                if (!TryTake(")"))
                {
                    do
                    {
                        args.Add(ParseExpression());
                    }
                    while (TryTake(","));
                    Expect(")");
                }

                return new Call(name, args);
            }

            return new Variable(name);
        }

        var word = ReadName();
        return word switch
        {
            "true" => new Literal(true),
            "false" => new Literal(false),
            "null" => new Literal(null),
            _ => throw new NotSupportedException("path " + word),
        };
    }

    private Node ParseStep()
    {
        SkipSpace();
        var start = pos;
        if (TryTake("$"))
        {
            var name = ReadName();
            if (TryTake(":="))
            {
                return new Binding(name, ParseExpression());
            }

            pos = start;
        }

        return ParseExpression();
    }

    private Node ParseObject()
    {
        Expect("{");
        var entries = new List<(string, Node)>();
        if (!TryTake("}"))
        {
            do
            {
                SkipSpace();
                var key = ReadString();
                Expect(":");
                entries.Add((key, ParseExpression()));
            }
            while (TryTake(","));
            Expect("}");
        }

        return new ObjectLiteral(entries);
    }

    private double ReadNumber()
    {
        var start = pos;
        while (pos < text.Length && (char.IsAsciiDigit(text[pos]) || text[pos] == '.'
            || ((text[pos] is 'e' or 'E') && pos + 1 < text.Length)
            || ((text[pos] is '+' or '-') && text[pos - 1] is 'e' or 'E')))
        {
            pos++;
        }

        return double.Parse(text.AsSpan(start, pos - start), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private string ReadString()
    {
        var quote = text[pos];
        if (quote is not ('"' or '\''))
        {
            throw new NotSupportedException("string expected");
        }

        pos++;
        var value = new StringBuilder();
        while (pos < text.Length && text[pos] != quote)
        {
            var c = text[pos++];
            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            var escaped = text[pos++];
            value.Append(escaped switch
            {
                'n' => "\n",
                't' => "\t",
                'r' => "\r",
                'b' => "\b",
                'f' => "\f",
                'u' => ((char)int.Parse(text.AsSpan((pos += 4) - 4, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString(),
                _ => escaped.ToString(),
            });
        }

        Expect(quote.ToString());
        return value.ToString();
    }

    private string ReadName()
    {
        var start = pos;
        while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] == '_'))
        {
            pos++;
        }

        if (pos == start)
        {
            throw new NotSupportedException($"unsupported syntax at {pos}");
        }

        return text[start..pos];
    }

    private void SkipSpace()
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos]))
        {
            pos++;
        }
    }

    private bool Peek(string token) => string.CompareOrdinal(text, pos, token, 0, token.Length) == 0;

    private bool TryTake(string token)
    {
        SkipSpace();
        if (!Peek(token))
        {
            return false;
        }

        pos += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!TryTake(token))
        {
            throw new NotSupportedException($"'{token}' expected at {pos}");
        }
    }
}
