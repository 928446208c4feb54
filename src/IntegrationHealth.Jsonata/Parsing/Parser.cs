using System.Runtime.CompilerServices;
using IntegrationHealth.Jsonata.Evaluation;

namespace IntegrationHealth.Jsonata.Parsing;

/// <summary>
/// Top-down operator precedence (Pratt) parser producing the raw syntax tree, following jsonata-js's parser
/// symbol by symbol so that error codes and positions match. <see cref="AstBuilder"/> post-processes the result.
/// </summary>
internal sealed class Parser
{
    /// <summary>Source nesting beyond this is rejected (sandbox code U1001) instead of risking the stack.</summary>
    public const int MaxNesting = 1000;

    private readonly string _source;
    private readonly Lexer _lexer;
    private Token _node = new(TokenType.End, null, 0);
    private int _nesting;

    private Parser(string source)
    {
        _source = source;
        _lexer = new Lexer(source);
    }

    /// <summary>Parses and post-processes an expression into an evaluable tree.</summary>
    public static Node Parse(string source)
    {
        var parser = new Parser(source);
        parser.Advance();
        var expr = parser.Expression(0);
        if (parser._node.Type != TokenType.End)
        {
            throw new JsonataException("S0201", "Syntax error", parser._node.Position, parser._node.Text);
        }

        return new AstBuilder().Build(expr);
    }

    private static int LeftBindingPower(Token token)
    {
        if (token.Type != TokenType.Operator)
        {
            return 0;
        }

        return (string)token.Value! switch
        {
            "." => 75,
            "[" or "(" or "@" or "#" => 80,
            "{" => 70,
            "?" => 20,
            "+" or "-" or "&" => 50,
            "*" or "/" or "%" => 60,
            "=" or "<" or ">" or "^" or "!=" or "<=" or ">=" or "~>" or "?:" or "??" or "in" => 40,
            "and" => 30,
            "or" => 25,
            ":=" => 10,
            _ => 0,
        };
    }

    private static readonly HashSet<string> KnownSymbols =
    [
        ":", ";", ",", ")", "]", "}", "..", ".", "+", "-", "*", "/", "%", "=", "<", ">", "!=", "<=", ">=", "&", "and",
        "or", "in", "~>", "??", "?:", "**", "(", "[", "^", "{", ":=", "@", "#", "?", "|",
    ];

    private Token Advance(string? id = null, bool infix = false)
    {
        if (id is not null && _node.Id != id)
        {
            var code = _node.Type == TokenType.End ? "S0203" : "S0202";
            throw new JsonataException(code, code == "S0203" ? $"Expected {id} before end of expression" : $"Expected {id}",
                _node.Position, _node.Text, id);
        }

        var next = _lexer.Next(infix);
        if (next is null)
        {
            _node = new Token(TokenType.End, null, _source.Length);
            return _node;
        }

        // jsonata-js positions a token at the offset just after it.
        next.Position = _lexer.Position;

        if (next.Type == TokenType.Operator && !KnownSymbols.Contains((string)next.Value!))
        {
            throw new JsonataException("S0204", "Unknown operator", next.Position, (string)next.Value!);
        }

        _node = next;
        return _node;
    }

    private Node Expression(int rbp)
    {
        if (++_nesting > MaxNesting || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new JsonataException("U1001", "Expression is nested too deeply", _node.Position);
        }

        var t = _node;
        Advance(null, true);
        var left = Nud(t);
        while (rbp < LeftBindingPower(_node))
        {
            t = _node;
            Advance();
            left = Led(t, left);
        }

        _nesting--;
        return left;
    }

    private static Node FromToken(Token t, NodeType type) => new() { Type = type, Value = t.Value, Position = t.Position };

    private Node Nud(Token t)
    {
        switch (t.Type)
        {
            case TokenType.End:
                return new Node { Type = NodeType.End, Value = "(end)", Position = t.Position };
            case TokenType.Name:
                return FromToken(t, NodeType.Name);
            case TokenType.Variable:
                return FromToken(t, NodeType.Variable);
            case TokenType.String:
                return FromToken(t, NodeType.String);
            case TokenType.Number:
                return FromToken(t, NodeType.Number);
            case TokenType.Value:
                return FromToken(t, NodeType.Value);
            case TokenType.Regex:
            {
                var literal = (RegexLiteral)t.Value!;
                return new Node { Type = NodeType.Regex, Value = literal, Position = t.Position, Regex = JsRegex.Create(literal) };
            }
        }

        var op = (string)t.Value!;
        switch (op)
        {
            case "and":
            case "or":
            case "in":
                return FromToken(t, NodeType.Operator);
            case "-":
                return new Node { Type = NodeType.Unary, Value = "-", Position = t.Position, Expression = Expression(70) };
            case "*":
                return new Node { Type = NodeType.Wildcard, Value = "*", Position = t.Position };
            case "**":
                return new Node { Type = NodeType.Descendant, Value = "**", Position = t.Position };
            case "%":
                return new Node { Type = NodeType.Parent, Value = "%", Position = t.Position };
            case "(":
            {
                var expressions = new List<Node>();
                while (_node.Id != ")")
                {
                    expressions.Add(Expression(0));
                    if (_node.Id != ";")
                    {
                        break;
                    }

                    Advance(";");
                }

                Advance(")", true);
                return new Node { Type = NodeType.Block, Value = "(", Position = t.Position, Expressions = expressions };
            }

            case "[":
            {
                var items = new List<Node>();
                if (_node.Id != "]")
                {
                    while (true)
                    {
                        var item = Expression(0);
                        if (_node.Id == "..")
                        {
                            var range = new Node { Type = NodeType.Binary, Value = "..", Position = _node.Position, Lhs = item };
                            Advance("..");
                            range.Rhs = Expression(0);
                            item = range;
                        }

                        items.Add(item);
                        if (_node.Id != ",")
                        {
                            break;
                        }

                        Advance(",");
                    }
                }

                Advance("]", true);
                return new Node { Type = NodeType.Unary, Value = "[", Position = t.Position, Expressions = items };
            }

            case "{":
                return new Node { Type = NodeType.Unary, Value = "{", Position = t.Position, Pairs = ObjectPairs() };
            case "|":
            {
                var node = new Node { Type = NodeType.Transform, Value = "|", Position = t.Position };
                node.Pattern = Expression(0);
                Advance("|");
                node.Update = Expression(0);
                if (_node.Id == ",")
                {
                    Advance(",");
                    node.Delete = Expression(0);
                }

                Advance("|");
                return node;
            }

            default:
                throw new JsonataException("S0211", "The symbol cannot be used as a unary operator", t.Position, op);
        }
    }

    private List<(Node, Node)> ObjectPairs()
    {
        var pairs = new List<(Node, Node)>();
        if (_node.Id != "}")
        {
            while (true)
            {
                var n = Expression(0);
                Advance(":");
                var v = Expression(0);
                pairs.Add((n, v));
                if (_node.Id != ",")
                {
                    break;
                }

                Advance(",");
            }
        }

        Advance("}", true);
        return pairs;
    }

    private Node Led(Token t, Node left)
    {
        var op = (string)t.Value!;
        var bp = LeftBindingPower(t);
        switch (op)
        {
            case "(":
                return Call(t, left);
            case "[":
            {
                if (_node.Id == "]")
                {
                    var step = left;
                    while (step is { Type: NodeType.Binary, Op: "[" })
                    {
                        step = step.Lhs!;
                    }

                    step.KeepArray = true;
                    Advance("]");
                    return left;
                }

                var node = new Node { Type = NodeType.Binary, Value = "[", Position = t.Position, Lhs = left };
                node.Rhs = Expression(0);
                Advance("]", true);
                return node;
            }

            case "^":
            {
                Advance("(");
                var terms = new List<(bool, Node)>();
                while (true)
                {
                    var descending = false;
                    if (_node.Id == "<")
                    {
                        Advance("<");
                    }
                    else if (_node.Id == ">")
                    {
                        descending = true;
                        Advance(">");
                    }

                    terms.Add((descending, Expression(0)));
                    if (_node.Id != ",")
                    {
                        break;
                    }

                    Advance(",");
                }

                Advance(")");
                return new Node { Type = NodeType.Binary, Value = "^", Position = t.Position, Lhs = left, RawTerms = terms };
            }

            case "{":
                return new Node { Type = NodeType.Binary, Value = "{", Position = t.Position, Lhs = left, Pairs = ObjectPairs() };
            case ":=":
            {
                if (left.Type != NodeType.Variable)
                {
                    throw new JsonataException("S0212", "The left side of := must be a variable name (start with $)", left.Position, left.Value as string);
                }

                var node = new Node { Type = NodeType.Binary, Value = ":=", Position = t.Position, Lhs = left };
                node.Rhs = Expression(bp - 1);
                return node;
            }

            case "@":
            case "#":
            {
                var node = new Node { Type = NodeType.Binary, Value = op, Position = t.Position, Lhs = left };
                node.Rhs = Expression(bp);
                if (node.Rhs.Type != NodeType.Variable)
                {
                    throw new JsonataException("S0214", $"The right side of {op} must be a variable name (start with $)", node.Rhs.Position, op);
                }

                return node;
            }

            case "?":
            {
                var node = new Node { Type = NodeType.Condition, Value = "?", Position = t.Position, Condition = left };
                node.Then = Expression(0);
                if (_node.Id == ":")
                {
                    Advance(":");
                    node.Else = Expression(0);
                }

                return node;
            }

            case "?:":
            {
                var node = new Node { Type = NodeType.Condition, Value = "?:", Position = t.Position, Condition = left.Clone(), Then = left };
                node.Else = Expression(0);
                return node;
            }

            case "??":
            {
                var exists = new Node
                {
                    Type = NodeType.Function,
                    Value = "(",
                    Position = t.Position,
                    Procedure = new Node { Type = NodeType.Variable, Value = "exists", Position = t.Position },
                    Arguments = [left.Clone()],
                };
                var node = new Node { Type = NodeType.Condition, Value = "??", Position = t.Position, Condition = exists, Then = left };
                node.Else = Expression(0);
                return node;
            }

            default:
            {
                var node = new Node { Type = NodeType.Binary, Value = op, Position = t.Position, Lhs = left };
                node.Rhs = Expression(bp);
                return node;
            }
        }
    }

    private Node Call(Token t, Node left)
    {
        var node = new Node { Type = NodeType.Function, Value = "(", Position = t.Position, Procedure = left, Arguments = [] };
        if (_node.Id != ")")
        {
            while (true)
            {
                if (_node.Type == TokenType.Operator && _node.Id == "?")
                {
                    node.Type = NodeType.Partial;
                    node.Arguments.Add(new Node { Type = NodeType.Operator, Value = "?", Position = _node.Position });
                    Advance("?");
                }
                else
                {
                    node.Arguments.Add(Expression(0));
                }

                if (_node.Id != ",")
                {
                    break;
                }

                Advance(",");
            }
        }

        Advance(")", true);
        if (left.Type == NodeType.Name && left.Value is "function" or "\u03BB")
        {
            for (var i = 0; i < node.Arguments.Count; i++)
            {
                var arg = node.Arguments[i];
                if (arg.Type != NodeType.Variable)
                {
                    throw new JsonataException("S0208", "Parameter of function definition must be a variable name (start with $)",
                        arg.Position, arg.Value as string, (double)(i + 1));
                }
            }

            node.Type = NodeType.Lambda;
            if (_node.Id == "<")
            {
                var sigPos = _node.Position;
                var depth = 1;
                var sig = "<";
                while (depth > 0 && _node.Id != "{" && _node.Type != TokenType.End)
                {
                    var tok = Advance();
                    if (tok.Id == ">")
                    {
                        depth--;
                    }
                    else if (tok.Id == "<")
                    {
                        depth++;
                    }

                    sig += tok.Text;
                }

                Advance(">");
                node.Signature = Signature.Parse(sig, sigPos);
            }

            Advance("{");
            node.Body = Expression(0);
            Advance("}");
        }

        return node;
    }
}
